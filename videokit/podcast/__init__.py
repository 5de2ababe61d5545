"""`videokit podcast`: the weekly video podcast, from one recording to every upload."""
