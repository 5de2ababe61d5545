"""The review editor on a 60-minute episode (about 9,000 words, 1,300 cues): time from opening the address to an
interactive page with the whole transcript shown, in headless Chromium (Debian's chromium + chromium-driver).

    .venv/bin/python benchmarks/review_speed.py [--minutes 60] [--repeat 3]

Target: under 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from videokit.captions.wordsfile import write_words_file  # noqa: E402
from videokit.commands.render import run_job_file  # noqa: E402
from videokit.review.server import build_server  # noqa: E402
from videokit.samplegen import make_clip  # noqa: E402
from videokit.timeline import ClipSegment, Cue, Word  # noqa: E402

SENTENCE = "Die Stadt saniert in diesem Sommer die Brücke am Hafen und die Arbeiten dauern drei Wochen".split()


def episode(folder: Path, minutes: float) -> None:
    """A recorded job with captions of `minutes` of talk: 2.5 words a second (9,000 an hour), cues of 7 words."""
    words, cues, t = [], [], 0.0
    while t < minutes * 60:
        chunk = []
        for k in range(7):
            text = SENTENCE[(len(words) + k) % len(SENTENCE)]
            chunk.append(Word(text, round(t, 3), round(t + 0.3, 3), 0.3 if len(words) % 37 == 0 else 0.95))
            t += 0.35
        words += chunk
        cues.append(Cue(chunk[0].start, chunk[-1].end, [" ".join(w.text for w in chunk)]))
        t += 0.35
    recording = ClipSegment("episode.mp4", 0.0, round(t, 3), 1920, 1080, True)  # one piece: the editor can cut
    write_words_file(folder / "episode.words.json", cues, words, 2.5, [recording])
    (folder / "episode.job.toml").write_text('kind = "render"\ntitle = "Episode"\ntemplate = "podcast"\n',
                                             encoding="utf-8")
    make_clip(folder / "episode_youtube.mp4", 3.0, size=(640, 360), audio="tone")
    print(f"{minutes:g}-minute episode: {len(words)} words, {len(cues)} cues")


def main() -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vk-review-"))
    episode(folder, args.minutes)
    server, sock, url, _ = build_server(folder, run_job_file)
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    try:
        times = []
        for _ in range(args.repeat):
            driver.execute_script("localStorage.clear()") if driver.current_url.startswith("http") else None
            driver.get(url)
            WebDriverWait(driver, 30).until(lambda d: d.execute_script("return window.videokitReadyMs"))
            times.append(driver.execute_script("return window.videokitReadyMs") / 1000)
            shown = driver.execute_script("return document.querySelectorAll('.cue').length")
        print(f"editor ready (transcript shown, {shown} cues): median {statistics.median(times):.2f} s of "
              f"{args.repeat} loads {[round(t, 2) for t in times]} (target < 1 s)")
    finally:
        driver.quit()
        server.should_exit = True


if __name__ == "__main__":
    main()
