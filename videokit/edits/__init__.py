"""Cutting by the text: the cuts file, fillers and retakes found, cut edges placed in the pauses."""
