"""Timeline × platforms → one ffmpeg process (graph.py), run with progress and atomic outputs (run.py)."""
