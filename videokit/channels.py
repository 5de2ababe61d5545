"""The channels a job can render for: the built-in presets, then the brand kit's, then the template's."""

from __future__ import annotations

from videokit.brand import BrandKit
from videokit.platforms import PLATFORMS, Platform, with_tables
from videokit.templates import Template


def channel_presets(brand: BrandKit | None = None, template: Template | None = None) -> dict[str, Platform]:
    """Every preset by name, as this brand kit and template define it (the template has the last word: it is the
    more specific of the two, like a job's settings over the template's)."""
    presets = {**PLATFORMS, **(brand.platforms if brand is not None else {})}
    if template is not None and template.platform_tables:
        presets = with_tables(presets, template.platform_tables, template.path)
    return presets
