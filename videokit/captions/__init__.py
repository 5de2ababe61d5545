"""Captions: transcribe (engines) → words → segment (cues per style) → formats (srt/vtt/ass)."""
