"""videokit: offline short-video production for city social-media teams."""

__version__ = "0.1.0"
