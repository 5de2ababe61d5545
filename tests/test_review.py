"""videokit review: the caption logic (pure), the server as a server (real uvicorn on 127.0.0.1), and the editor
in a real headless Chromium (Debian's chromium + chromium-driver, driven by Selenium)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from videokit.review.project import find_project, retime_words, validate_cues
from videokit.review.server import build_server, safe_file
from videokit.samplegen import make_clip
from videokit.timeline import Cue, Word

from conftest import FAST_TEMPLATE, run_cli

SRT = ("1\n00:00:00,300 --> 00:00:01,700\nHerr Schöler eröffnet die Brücke.\n\n"
       "2\n00:00:02,000 --> 00:00:03,600\nDanke, Herr Schöler, und willkommen.\n")


# ---------------------------------------------------------------- pure

def test_validation_refuses_malformed_cues() -> None:
    good = [{"start": 3.0, "end": 4.0, "text": "Hallo"}]
    assert validate_cues(good, 2.5)[0].start == pytest.approx(0.5)  # video time → body time
    for bad in ("x", [], [{"start": 3, "end": 2, "text": "a"}], [{"start": "3", "end": 4, "text": "a"}],
                [{"start": 3, "end": 4, "text": ""}], [{"start": 1, "end": 2, "text": "before the intro"}],
                [{"start": 4, "end": 5, "text": "a"}, {"start": 3, "end": 4, "text": "b"}]):
        with pytest.raises(ValueError):
            validate_cues(bad, 2.5)


def test_unchanged_words_keep_their_timings_and_changed_ones_stay_inside_their_cue() -> None:
    old = [Word("Herr", 0.3, 0.6, 0.9), Word("Schöler", 0.7, 1.1, 0.3), Word("eröffnet", 1.2, 1.6, 0.9)]
    new = retime_words(old, [Cue(0.3, 1.7, ["Herr Schoeller Junior eröffnet"])])
    assert [w.text for w in new] == ["Herr", "Schoeller", "Junior", "eröffnet"]
    assert (new[0].start, new[0].end) == (0.3, 0.6) and (new[3].start, new[3].end) == (1.2, 1.6)
    assert 0.6 <= new[1].start < new[1].end <= new[2].start < new[2].end <= 1.2


# ---------------------------------------------------------------- a rendered job to review

@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory, media: Path) -> Path:
    folder = tmp_path_factory.mktemp("review")
    clip = make_clip(media / "review clip.mp4", 4.0, size=(1280, 720), audio="tone")
    srt = folder / "edited.srt"
    srt.write_text(SRT, encoding="utf-8")
    out = folder / "out"
    r = run_cli("render", str(clip), "--out", str(out), "--platforms", "tiktok,youtube", "--template", FAST_TEMPLATE,
                "--title", "Brücke", "--subtitles", str(srt), "--no-outro")
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture()
def server(rendered: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh copy of the output folder served by a real uvicorn in a thread (each test edits its own)."""
    folder = tmp_path / "out"
    shutil.copytree(rendered, folder, symlinks=True)
    job = folder / "bruecke.job.toml"
    job.write_text(job.read_text(encoding="utf-8").replace(str(rendered.resolve()), str(folder.resolve())),
                   encoding="utf-8")
    srv, sock, url, _project = build_server(folder, glossary=["Schoeller"])
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    yield url, folder
    srv.should_exit = True
    thread.join(timeout=10)


def _request(url: str, path: str, method: str = "GET", body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, resp.read()


def test_server_is_a_server(server: tuple[str, Path], tmp_path: Path) -> None:
    url, folder = server
    token = url.split("token=")[1]
    assert urlparse(url).hostname == "127.0.0.1"
    assert _request(url, "/")[0] == 403  # no token
    assert _request(url, "/?token=wrong")[0] == 403
    assert _request(url, f"/?token={token}")[0] == 200
    # DNS rebinding: a page on another name that resolves to 127.0.0.1 is refused
    assert _request(url, f"/?token={token}", headers={"Host": "evil.example:80"})[0] == 403
    # range request: the video seeks
    status, body = _request(url, f"/media/bruecke_youtube.mp4?token={token}", headers={"Range": "bytes=0-99"})
    assert status == 206 and len(body) == 100
    # only files directly in the folder: no traversal, no symlink leading out
    secret = tmp_path / "secret.srt"
    secret.write_text("geheim", encoding="utf-8")
    (folder / "link.srt").symlink_to(secret)
    for name in ("..%2Fsecret.srt", "link.srt", "%2Fetc%2Fpasswd", "bruecke.job.toml"):
        assert _request(url, f"/media/{name}?token={token}")[0] == 404, name
    assert _request(url, f"/media/../secret.srt?token={token}")[0] == 404
    # a malformed save is refused and nothing on disk changes
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    for body in (b"{not json", json.dumps({"cues": [{"start": 9, "end": 8, "text": "x"}]}).encode(),
                 b"x" * (5 * 1024 * 1024)):
        status, answer = _request(url, f"/api/save?token={token}", "POST", body, {"Content-Type": "application/json"})
        assert status == 400 and b"error" in answer
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_chapters_are_validated_and_saved(server: tuple[str, Path]) -> None:
    url, folder = server
    token = url.split("token=")[1]
    path = f"/api/chapters?token={token}"
    headers = {"Content-Type": "application/json"}
    assert _request(url, path, "POST", b'{"text": "00:00 X"}', headers)[0] == 404  # no chapters in a news job
    (folder / "chapters.txt").write_text("00:00 Intro\n00:12 Radweg\n", encoding="utf-8")
    job = folder / "bruecke.job.toml"
    job.write_text(job.read_text(encoding="utf-8").replace('kind = "render"', 'kind = "podcast"'), encoding="utf-8")
    status, body = _request(url, f"/api/project?token={token}")
    assert json.loads(body)["chapters"] == "00:00 Intro\n00:12 Radweg\n"
    for bad in ("00:05 Zu spät", "00:00 A\n00:05 B", "00:00 A\nRadweg", "00:00 A\n00:30 B\n00:20 C", ""):
        status, answer = _request(url, path, "POST", json.dumps({"text": bad}).encode(), headers)
        assert status == 400 and b"error" in answer, bad
    assert (folder / "chapters.txt").read_text(encoding="utf-8") == "00:00 Intro\n00:12 Radweg\n"
    good = "00:00 Begrüßung\n00:12 Radwege in der Innenstadt\n01:02:03 Parkplätze"
    assert _request(url, path, "POST", json.dumps({"text": good}).encode(), headers)[0] == 200
    assert (folder / "chapters.txt").read_text(encoding="utf-8") == good + "\n"
    assert (folder / "chapters.auto.txt").read_text(encoding="utf-8") == "00:00 Intro\n00:12 Radweg\n"
    assert str((folder / "chapters.txt").resolve()) in job.read_text(encoding="utf-8")  # the next render uses it


# ---------------------------------------------------------------- the editor in a real browser

def _browser():  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
                "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(arg)
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def _wait(driver, condition, seconds: float = 20):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


@pytest.mark.render
def test_editor_replace_save_reload_and_render_again(server: tuple[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    url, folder = server
    before_tiktok = (folder / "bruecke_tiktok.mp4").read_bytes()
    driver = _browser()
    try:
        driver.get(url)
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        texts = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".cue .text")]
        assert texts == ["Herr Schöler eröffnet die Brücke.", "Danke, Herr Schöler, und willkommen."]
        assert driver.execute_script("return document.getElementById('video').src").endswith(".mp4?token=" + url.split("token=")[1])
        # the glossary is offered
        assert "Schoeller" in [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#names option")]
        driver.find_element(By.ID, "find").send_keys("Schöler")
        driver.find_element(By.ID, "replace").send_keys("Schoeller")
        driver.find_element(By.ID, "replaceall").click()
        assert "2 ersetzt" in driver.find_element(By.ID, "status").text
        # edits are never lost: a reload before saving restores them
        driver.refresh()
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        assert "Herr Schoeller eröffnet" in driver.find_elements(By.CSS_SELECTOR, ".cue .text")[0].text
        assert "wiederhergestellt" in driver.find_element(By.ID, "status").text
        driver.find_element(By.ID, "save").click()
        _wait(driver, lambda d: "Gespeichert" in d.find_element(By.ID, "status").text)
        srt = (folder / "bruecke_youtube.srt").read_text(encoding="utf-8")
        assert srt.count("Schoeller") == 2 and "Schöler" not in srt
        assert "Schöler" in (folder / "bruecke_youtube.auto.srt").read_text(encoding="utf-8")  # the first version
        assert "bruecke.captions.srt" in (folder / "bruecke.job.toml").read_text(encoding="utf-8")
        # render again, from the page, with progress
        driver.find_element(By.ID, "render").click()
        _wait(driver, lambda d: "fertig" in d.find_element(By.ID, "renderstatus").text
              or "Fehler" in d.find_element(By.ID, "renderstatus").text, 180)
        assert "fertig" in driver.find_element(By.ID, "renderstatus").text, \
            driver.find_element(By.ID, "renderstatus").text
    finally:
        driver.quit()
    assert (folder / "bruecke_youtube.srt").read_text(encoding="utf-8").count("Schoeller") == 2
    assert (folder / "bruecke_tiktok.mp4").read_bytes() != before_tiktok  # the burned-in captions changed
    words = json.loads((folder / "bruecke.words.json").read_text(encoding="utf-8"))["words"]
    assert [w["text"] for w in words].count("Schoeller") + [w["text"] for w in words].count("Schoeller,") == 2
    assert find_project(folder).cues[0].lines == ["Herr Schoeller eröffnet die Brücke."]


def test_review_command_prints_the_address_first(rendered: Path) -> None:
    import sys

    proc = subprocess.Popen([str(Path(sys.executable).parent / "videokit"), "review", str(rendered), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "BROWSER": "true"})
    try:
        first = proc.stdout.readline().strip() if proc.stdout else ""
        assert first.startswith("http://127.0.0.1:") and "?token=" in first
        assert _request(first, "/?token=" + first.split("token=")[1])[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# ---------------------------------------------------------------- a podcast: speakers per paragraph, static page

@pytest.mark.render
def test_podcast_paragraph_given_to_the_other_speaker_follows_on_the_next_render(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from videokit.podcast.jobfile import load_podcast_job
    from videokit.podcast.pipeline import run_podcast
    from videokit.samplegen import make_photo, make_podcast_recording

    from conftest import DATA

    script = [("de+m3", "Willkommen zum Podcast aus dem Rathaus.", 1.2),
              ("de+f3", "Heute geht es um den neuen Radweg am Hafen.", 1.2),
              ("de+m3", "Wann beginnen die Arbeiten am Radweg?", 1.0)]
    recording, _ = make_podcast_recording(tmp_path, script=script, video=False)
    speakers = tmp_path / "speakers.toml"
    speakers.write_text('[[speaker]]\nname = "Sven Muster"\nrole = "OB"\n\n[[speaker]]\nname = "Jana Beispiel"\n'
                        'role = "Tiefbauamt"\n', encoding="utf-8")
    out = tmp_path / "out"
    r = run_cli("podcast", str(recording), "--speakers", str(speakers), "--out", str(out), "--image",
                str(make_photo(tmp_path / "studio.jpg", (1200, 900), seed=3)), "--teasers", "0",
                "--template", str(DATA / "fast-podcast.toml"), "--title", "Radweg")
    assert r.exit_code == 0, r.output
    srv, sock, url, project = build_server(out)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    token = url.split("token=")[1]
    driver = _browser()
    try:
        # the static review.html: the same page, read-only, opened from the folder without a server
        driver.get((out / "review.html").as_uri())
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        static_who = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".cue .who")]
        assert static_who[:2] == ["Sven Muster", "Jana Beispiel"], static_who
        assert not driver.find_elements(By.CSS_SELECTOR, "[contenteditable]") and not driver.find_elements(By.ID, "save")
        assert driver.find_elements(By.CSS_SELECTOR, "#chapterlist button")
        assert driver.execute_script("return document.getElementById('video').src").endswith("radweg_youtube.mp4")

        # a malformed speaker is refused and nothing changes
        before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
        data = json.loads(_request(url, f"/api/project?token={token}")[1])
        bad = [dict(c, speaker="Niemand") for c in data["cues"]]
        status, answer = _request(url, f"/api/save?token={token}", "POST", json.dumps({"cues": bad}).encode(),
                                  {"Content-Type": "application/json"})
        assert status == 400 and b"speaker" in answer
        assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before

        # the editor: Jana's paragraph was Sven's all along
        driver.get(url)
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        # a split cue is cut where the word after the cut is spoken (Whisper's timing), not by its length
        first = data["cues"][0]
        tokens = first["text"].split()
        timed = [w for w in data["words"] if first["start"] - 0.05 <= w["start"] < first["end"]]
        assert len(timed) == len(tokens) >= 2
        driver.find_elements(By.CSS_SELECTOR, ".cue [data-op=split]")[0].click()
        starts = driver.execute_script("return cues.map(c => c.start)")
        assert starts[1] == pytest.approx(timed[(len(tokens) + 1) // 2]["start"], abs=0.002)
        choices = driver.find_elements(By.CSS_SELECTOR, ".cue .who select")
        assert [Select(c).first_selected_option.text for c in choices][:2] == ["Sven Muster", "Jana Beispiel"]
        Select(choices[1]).select_by_visible_text("Sven Muster")
        assert "Absatz an Sven Muster" in driver.find_element(By.ID, "status").text
        assert len(driver.find_elements(By.CSS_SELECTOR, ".cue .who select")) == 1  # one speaker, one paragraph
        driver.find_element(By.ID, "save").click()
        _wait(driver, lambda d: "Gespeichert" in d.find_element(By.ID, "status").text)
        assert "radweg.speaker-fixes.toml" in driver.find_element(By.ID, "status").text
        job_text = (out / "radweg.job.toml").read_text(encoding="utf-8")
        assert "speaker_fixes" in job_text and "Sven Muster" in (out / "radweg.speaker-fixes.toml").read_text("utf-8")
        driver.find_element(By.ID, "render").click()
        _wait(driver, lambda d: "fertig" in d.find_element(By.ID, "renderstatus").text
              or "Fehler" in d.find_element(By.ID, "renderstatus").text, 240)
        assert "fertig" in driver.find_element(By.ID, "renderstatus").text, \
            driver.find_element(By.ID, "renderstatus").text
        # the review page of the new render follows
        driver.get((out / "review.html").as_uri())
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")
        assert [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".cue .who")] == ["Sven Muster"]
    finally:
        driver.quit()
        srv.should_exit = True
        thread.join(timeout=10)
    # and so do the lower thirds: Jana no longer speaks, so hers is gone
    replay = run_podcast(load_podcast_job(out / "radweg.job.toml", force=True), dry_run=True, echo=lambda _: None)
    assert [lt.name for lt in replay.episode.timeline.lower_thirds] == ["Sven Muster"]
