"""Automatic reframing (`--fit auto`): find the speaker, plan a calm camera path, crop along it in ffmpeg."""
