"""Video clips of replays: planned (plan.py), rendered by the real player in headless
Chromium and encoded with ffmpeg (render.py, encode.py), as background jobs (job.py)."""
