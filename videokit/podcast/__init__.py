"""The weekly video podcast's parts: one pass over the recording (analysis, voices), the cuts, chapters, teasers,
speakers, the feed's audio files and the job file. `videokit podcast` runs them in order (commands/podcast.py)."""
