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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from videokit.review.project import find_project, retime_words, validate_cues
from videokit.review.server import build_server
from videokit.commands.render import run_job_file
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
    with serving(folder, glossary=["Schoeller"]) as (url, _srv):
        yield url, folder


@contextmanager
def serving(folder: Path, glossary: list[str] | None = None):  # type: ignore[no-untyped-def]
    """The editor on `folder`, a real uvicorn in a thread, until the block ends: (address, server)."""
    srv, sock, url, _project = build_server(folder, run_job_file, glossary=glossary)
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        yield url, srv
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def _request(url: str, path: str, method: str = "GET", body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    return resp.status, resp.read()


@pytest.mark.slow
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
    # the next render uses it, named relative to the job file so a copied folder uses its own
    assert 'chapters = "chapters.txt"' in job.read_text(encoding="utf-8")


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


@pytest.mark.slow
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

@pytest.mark.slow
@pytest.mark.render
def test_podcast_paragraph_given_to_the_other_speaker_follows_on_the_next_render(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from videokit.podcast.jobfile import load_podcast_job
    from videokit.commands.podcast import run_podcast
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
    srv, sock, url, project = build_server(out, run_job_file)
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


# ---------------------------------------------------------------- nothing lost: hostile and careless requests

JSON = {"Content-Type": "application/json"}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _save(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    token = url.split("token=")[1]
    return _request(url, f"/api/save?token={token}", "POST", body, {**JSON, **(headers or {})})


def _cues(url: str) -> list[dict]:
    token = url.split("token=")[1]
    data = json.loads(_request(url, f"/api/project?token={token}")[1])
    return [{"start": c["start"], "end": c["end"], "text": c["text"]} for c in data["cues"]]


def test_bad_numbers_and_bad_json_are_400_and_change_nothing(server: tuple[str, Path]) -> None:
    url, folder = server
    cues = _cues(url)
    before = _snapshot(folder)
    raw = json.dumps({"cues": cues})
    bodies = [raw.replace(json.dumps(cues[0]["start"]), value, 1).encode()
              for value in ("NaN", "Infinity", "-Infinity", "1e400", "9" * 400, "-3")]
    bodies += [b"[" * 100_000, b'{"cues": ' + b"[" * 5000 + b"]" * 5000 + b"}", "\xff".encode("latin-1")]
    for body in bodies:
        status, answer = _save(url, body)
        assert status == 400 and json.loads(answer)["error"], body[:60]
    assert _snapshot(folder) == before
    assert _request(url, f"/api/project?token={url.split('token=')[1]}")[0] == 200  # the project still opens


@pytest.mark.parametrize("text, message", [
    ("Hallo\n00:00:00,000 --> 00:09:00,000\nINJIZIERT", "timing"),
    ("Null\x00Byte", "control character"),
    ("Escape\x1b[31m", "control character"),
    ("eins\nzwei\ndrei\nvier", "at most 3"),
])
def test_cue_text_that_would_become_structure_is_refused(server: tuple[str, Path], text: str, message: str) -> None:
    url, folder = server
    cues = _cues(url)
    cues[0]["text"] = text
    before = _snapshot(folder)
    status, answer = _save(url, json.dumps({"cues": cues}).encode())
    assert status == 400 and message in json.loads(answer)["error"]
    assert _snapshot(folder) == before


def test_typed_text_is_saved_as_typed_in_every_file(server: tuple[str, Path]) -> None:
    from videokit.captions.formats import read_subtitles

    url, folder = server
    cues = _cues(url)
    typed = ["Preis {ca. 5 Euro} heute", "C:\\Nutzer\\neu", "a < b … > d", "A --> B"]
    cues[0]["text"], cues[1]["text"] = "\n".join(typed[:2]), "\n".join(typed[2:])
    assert _save(url, json.dumps({"cues": cues}).encode())[0] == 200
    for name in ("bruecke_youtube.srt", "bruecke_youtube.vtt", "bruecke.captions.srt"):
        assert [line for c in read_subtitles(folder / name) for line in c.lines] == typed, name
    words = json.loads((folder / "bruecke.words.json").read_text(encoding="utf-8"))
    assert [line for c in words["cues"] for line in c["lines"]] == typed


def test_post_must_be_json_from_this_origin_and_the_page_is_locked_down(server: tuple[str, Path]) -> None:
    url, folder = server
    body = json.dumps({"cues": _cues(url)}).encode()
    assert _save(url, body, {"Content-Type": "text/plain"})[0] == 415
    assert _save(url, body, {"Origin": "http://evil.example"})[0] == 403
    host = urlparse(url).netloc
    assert _save(url, body, {"Origin": f"http://{host}"})[0] == 200
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.request("GET", f"/?token={url.split('token=')[1]}")
    resp = conn.getresponse()
    page = resp.read().decode()
    csp = resp.getheader("Content-Security-Policy")
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page and "frame-ancestors 'none'" in csp
    assert resp.getheader("X-Frame-Options") == "DENY" and resp.getheader("Cache-Control") == "no-store"
    assert _request(url, f"/media/a%00.mp4?token={url.split('token=')[1]}")[0] == 404


def test_the_browser_gets_a_one_time_code_not_the_token(rendered: Path, tmp_path: Path) -> None:
    from videokit.review.server import login_url

    folder = tmp_path / "out"
    shutil.copytree(rendered, folder, symlinks=True)
    with serving(folder) as (url, srv):
        token = url.split("token=")[1]
        login = login_url(url, srv)
        assert token not in login  # what the browser's command line (`ps`) shows
        parsed = urlparse(login)
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        conn.request("GET", f"{parsed.path}?{parsed.query}")
        resp = conn.getresponse()
        resp.read()
        cookie = resp.getheader("Set-Cookie")
        assert resp.status == 303 and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert _request(url, "/api/project", headers={"Cookie": cookie.split(";")[0]})[0] == 200
        assert _request(url, f"{parsed.path}?{parsed.query}")[0] == 403  # spent
        assert _request(url, "/api/project", headers={"Cookie": "videokit_token=wrong"})[0] == 403


def test_broken_job_file_or_speaker_is_a_400_before_anything_is_written(server: tuple[str, Path]) -> None:
    url, folder = server
    cues = _cues(url)
    job = folder / "bruecke.job.toml"
    good_job = job.read_text(encoding="utf-8")
    job.write_text(good_job + "\n[[broken\n", encoding="utf-8")
    before = _snapshot(folder)
    status, answer = _save(url, json.dumps({"cues": cues}).encode())
    assert status == 400 and "not valid TOML" in json.loads(answer)["error"]
    assert _snapshot(folder) == before
    job.write_text(good_job, encoding="utf-8")


@pytest.fixture()
def podcast_server(rendered: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The rendered job as a podcast: two speakers, chapters (the episode's body is the clip's 4 s)."""
    folder = tmp_path / "out"
    shutil.copytree(rendered, folder, symlinks=True)
    job = folder / "bruecke.job.toml"
    job.write_text(job.read_text(encoding="utf-8").replace('kind = "render"', 'kind = "podcast"'), encoding="utf-8")
    (folder / "bruecke.speakers.json").write_text(json.dumps(
        {"labels": {"0": "Anna", "1": "Bernd"}, "turns": [[0.0, 4.0, 0]], "keep": [[0.0, 30.0]]}), encoding="utf-8")
    (folder / "chapters.txt").write_text("00:00 Anfang\n", encoding="utf-8")
    with serving(folder) as (url, _srv):
        yield url, folder


def test_speakers_and_chapters_are_validated(podcast_server: tuple[str, Path]) -> None:
    url, folder = podcast_server
    token = url.split("token=")[1]
    cues = [{**c, "speaker": ["Anna"]} for c in _cues(url)]
    before = _snapshot(folder)
    status, answer = _save(url, json.dumps({"cues": cues}).encode())
    assert status == 400 and "speaker must be one of" in json.loads(answer)["error"]
    # chapters: past the episode's end (intro + 30 s kept), 5 s apart, a control character
    for bad in ("00:00 A\n05:00 Nach dem Ende", "00:00 A\n00:05 B", "00:00 A\n00:20 B\x1b"):
        status, answer = _request(url, f"/api/chapters?token={token}", "POST", json.dumps({"text": bad}).encode(), JSON)
        assert status == 400 and json.loads(answer)["error"], bad
    assert _snapshot(folder) == before
    ok = json.dumps({"cues": [{**c, "speaker": "Bernd"} for c in _cues(url)]}).encode()
    assert _save(url, ok)[0] == 200
    assert (folder / "bruecke.speaker-fixes.toml").is_file()
    assert 'speaker_fixes = "bruecke.speaker-fixes.toml"' in (folder / "bruecke.job.toml").read_text(encoding="utf-8")


@pytest.mark.slow
def test_random_requests_never_500_and_leave_the_folder_whole(server: tuple[str, Path]) -> None:
    """Property: any JSON (valid cues, wrong types, odd numbers, odd text) is a 200 or a 4xx, never a 500, and the
    folder afterwards is either as it was or completely saved (the SRT says what words.json says)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from videokit.captions.formats import read_subtitles

    url, folder = server
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=30))
    times = st.one_of(st.floats(min_value=0, max_value=20), st.integers(-5, 10**30), scalars)
    cue = st.fixed_dictionaries({"start": times, "end": times, "text": st.one_of(st.text(max_size=60), scalars)})
    bodies = st.one_of(st.fixed_dictionaries({"cues": st.lists(cue, max_size=5)}),
                       st.recursive(scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                                    max_leaves=20))

    @settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
    @given(bodies)
    def check(body: object) -> None:
        before = _snapshot(folder)
        status, _answer = _save(url, json.dumps(body).encode())
        assert status == 200 or 400 <= status < 500, (status, body)
        if status != 200:
            assert _snapshot(folder) == before
        if (folder / "bruecke.captions.srt").exists():  # written by the first save that passed
            words = json.loads((folder / "bruecke.words.json").read_text(encoding="utf-8"))
            saved = read_subtitles(folder / "bruecke.captions.srt")
            assert [c["lines"] for c in words["cues"]] == [c.lines for c in saved]

    check()


@pytest.mark.slow
@pytest.mark.render
def test_a_save_during_render_again_is_refused_then_kept(server: tuple[str, Path]) -> None:
    """Saving while "Neu rendern" runs would be overwritten by what the render read before: it is refused with a
    message (the edits stay in the browser) and the save after the render lands."""
    url, folder = server
    token = url.split("token=")[1]
    cues = _cues(url)
    assert _request(url, f"/api/render?token={token}", "POST", b"{}", JSON)[0] == 200
    cues[0]["text"] = "Während des Renderns geändert"
    status, answer = _save(url, json.dumps({"cues": cues}).encode())
    assert status == 409 and "render is running" in json.loads(answer)["error"]
    for _ in range(600):
        state = json.loads(_request(url, f"/api/render?token={token}")[1])
        if state["status"] != "running":
            break
        time.sleep(0.2)
    assert state["status"] == "done", state
    assert _save(url, json.dumps({"cues": cues}).encode())[0] == 200
    assert _cues(url)[0]["text"] == "Während des Renderns geändert"
    assert "Während des Renderns geändert" in (folder / "bruecke_youtube.srt").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.render
def test_render_again_from_a_copied_folder_writes_into_the_copy(rendered: Path, tmp_path: Path) -> None:
    """`cp -a out kopie`, correct and render in kopie: out/ stays as it was."""
    from videokit.commands.render import run_job_file
    from videokit.review.project import save_corrections

    original = tmp_path / "out"
    shutil.copytree(rendered, original, symlinks=True)
    copy = tmp_path / "kopie"
    shutil.copytree(original, copy, symlinks=True)
    job = copy / "bruecke.job.toml"  # as earlier versions recorded it: the original folder by absolute path
    job.write_text(job.read_text(encoding="utf-8").replace('out = "."', f'out = "{original.resolve()}"'), "utf-8")
    assert str(original.resolve()) in job.read_text(encoding="utf-8")
    before = _snapshot(original)
    project = find_project(copy)
    cues = [Cue(c.start, c.end, ["In der Kopie korrigiert"]) for c in project.cues]
    save_corrections(project, cues)
    written = run_job_file(copy / "bruecke.job.toml", force=True)
    assert written and all(p.parent == copy.resolve() or p.parent == copy for p in written)
    assert _snapshot(original) == before
    assert "In der Kopie korrigiert" in (copy / "bruecke_youtube.srt").read_text(encoding="utf-8")


def test_review_of_a_damaged_words_file_is_one_clear_line(rendered: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    shutil.copytree(rendered, folder, symlinks=True)
    words = folder / "bruecke.words.json"
    text = words.read_text(encoding="utf-8")
    for damaged in (text[: len(text) // 2], json.dumps({"words": []}), '{"cues": [{"start": NaN}], "words": []}'):
        words.write_text(damaged, encoding="utf-8")
        result = run_cli("review", str(folder), "--no-browser")
        assert result.exit_code == 2 and "bruecke.words.json: " in result.output and "damaged" in result.output \
            or "cannot be read" in result.output, result.output


def test_cuts_are_validated_mapped_to_the_recording_and_restorable(server: tuple[str, Path]) -> None:
    """/api/cuts: a bad request is a 400 and writes nothing; struck words become a range of the recording in the
    cuts file, the job names it, the edited captions follow; a saved cut is brought back."""
    from videokit.edits.cutfile import read_cuts

    url, folder = server
    token = url.split("token=")[1]
    data = json.loads(_request(url, f"/api/project?token={token}")[1])
    intro, words = data["intro"], data["words"]
    assert data["can_cut"] and data["removed"] == []

    def post(body: object, with_token: bool = True) -> tuple[int, dict]:
        path = f"/api/cuts?token={token}" if with_token else "/api/cuts"
        status, answer = _request(url, path, "POST", json.dumps(body).encode(), JSON)
        return status, json.loads(answer) if answer.startswith(b"{") else {}

    before = _snapshot(folder)
    for bad in ([], {"ranges": "x"}, {"ranges": [{"start": "a", "end": 1}]},
                {"ranges": [{"start": intro - 1, "end": intro + 0.5}]}, {"ranges": [{"start": intro + 2, "end": intro + 1}]},
                {"ranges": [{"start": intro + 1, "end": intro + 99}]}, {"ranges": [{"start": intro + 1, "end": intro + 2, "reason": "x"}]},
                {"ranges": [], "restore": [1]}, {"ranges": [{"start": intro + 1, "end": intro + 2}] * 20001}):
        status, answer = post(bad)
        assert status == 400 and answer["error"], bad
    assert post({"ranges": []}, with_token=False)[0] == 403
    assert _snapshot(folder) == before

    herr, schoeler = words[0], words[1]
    original = next(line.split('"')[1] for line in (folder / "bruecke.job.toml").read_text(encoding="utf-8").splitlines()
                    if line.startswith("subtitles"))
    status, answer = post({"ranges": [{"start": herr["start"], "end": schoeler["end"]}]})
    assert status == 200, answer
    cuts = read_cuts(folder / "bruecke.cuts.toml")
    assert [(c.clip, c.text) for c in cuts] == [(1, "Herr Schöler")]
    assert cuts[0].start == pytest.approx(herr["start"] - intro, abs=0.002)  # the clip starts at 0: body = recording
    assert 'cuts = "bruecke.cuts.toml"' in (folder / "bruecke.job.toml").read_text(encoding="utf-8")
    assert "Herr Schöler eröffnet" in Path(original).read_text(encoding="utf-8")  # the person's SRT: an input
    edited = original
    job = (folder / "bruecke.job.toml").read_text(encoding="utf-8")
    srt_name = next(line.split('"')[1] for line in job.splitlines() if line.startswith("subtitles"))
    srt = (folder / srt_name if not Path(srt_name).is_absolute() else Path(srt_name)).read_text(encoding="utf-8")
    assert "eröffnet die Brücke." in srt and "Herr Schöler eröffnet" not in srt, (edited, srt)
    data = json.loads(_request(url, f"/api/project?token={token}")[1])
    assert data["removed"][0]["text"] == "Herr Schöler" and data["removed"][0]["video_start"] == pytest.approx(
        herr["start"], abs=0.002)
    # brought back: the file is empty again and the captions are heard anew on the next render
    status, answer = post({"ranges": [], "restore": [1]})
    assert status == 200 and read_cuts(folder / "bruecke.cuts.toml") == [] and answer["note"]
    assert 'subtitles = "auto"' in (folder / "bruecke.job.toml").read_text(encoding="utf-8")


def test_words_no_dictionary_knows_are_offered_the_glossarys_closest_name() -> None:
    from videokit.review.glossary import unknown_words

    found = unknown_words(["Der", "Friedwigplatz", "Radweg", "Königsstraße", "15.", "Hatshaus,", "Lastenräder"],
                          ["Friedrichsplatz", "Rathaus Musterstadt", "Schoeller"])
    assert found == {"Friedwigplatz": ["Friedrichsplatz"], "Hatshaus": ["Rathaus"]}


@pytest.mark.slow
def test_editor_marks_a_misheard_name_and_one_click_fixes_it(server: tuple[str, Path]) -> None:
    from selenium.webdriver.common.by import By

    url, folder = server
    driver = _browser()
    try:
        driver.get(url)
        _wait(driver, lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-names") == "1", 60)
        marks = driver.find_elements(By.CSS_SELECTOR, ".cue .text mark.unknown")
        assert [m.text for m in marks][:1] == ["Schöler"] and marks[0].get_attribute("data-fix") == "Schoeller"
        marks[0].click()
        assert driver.find_elements(By.CSS_SELECTOR, ".cue .text")[0].text == "Herr Schoeller eröffnet die Brücke."
        assert "„Schöler“ → „Schoeller“" in driver.find_element(By.ID, "status").text
    finally:
        driver.quit()
