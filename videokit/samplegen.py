"""Deterministic test media made offline: German speech (espeak-ng) and phone-like clips with their quirks.

Used by the bundled sample (`videokit sample`), the tests and the benchmarks, so all three exercise the same
footage: rotation matrices, HDR HLG, variable frame rate, mono 44.1 kHz, no audio, odd aspects, GPS tags.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from videokit.brand import DEFAULT_BRAND_DIR
from videokit.errors import ToolMissing
from videokit.tools import ffmpeg_bin

if TYPE_CHECKING:
    import numpy as np

SAMPLE_TEXT = (
    "Guten Tag aus dem Rathaus. Ab dem 15. Mai wird die Königsstraße zwischen Rathaus und Friedrichsplatz "
    "für drei Wochen gesperrt. Die Busse fahren in dieser Zeit eine Umleitung über die Wilhelmsstraße."
)
FONT = DEFAULT_BRAND_DIR / "fonts" / "OpenSans-Bold.ttf"
X264_DETERMINISTIC = ["-c:v", "libx264", "-preset", "ultrafast", "-threads", "1", "-x264-params", "threads=1"]


def speak(text: str, wav: Path, voice: str = "de+m3", speed: int = 125) -> Path:
    """German speech with espeak-ng (the one offline German voice), resampled to 48 kHz."""
    espeak = shutil.which("espeak-ng")
    if not espeak:
        raise ToolMissing("espeak-ng not found (apt-get install -y espeak-ng)")
    raw = wav.with_suffix(".raw.wav")
    subprocess.run([espeak, "-v", voice, "-s", str(speed), "-g", "3", "-w", str(raw), text], check=True,
                   capture_output=True)
    _ff(["-i", str(raw), "-ar", "48000", str(wav)])
    raw.unlink()
    return wav


def make_clip(path: Path, seconds: float, size: tuple[int, int] = (1920, 1080), fps: int = 30,
              audio: Path | str | None = "tone", audio_rate: int = 48000, channels: int = 2, rotate: int = 0,
              hdr: str | None = None, vfr: bool = False, location: bool = False, faststart: bool = True,
              picture: str = "testsrc2", video_kbps: int | None = None, key_seconds: float = 1.0) -> Path:
    """A phone-like clip. `audio`: a wav, "tone", "silence" or None (no audio track).
    `size` is the stored size; `rotate`: display-matrix rotation (90/270: a portrait picture stored landscape). `hdr`: "hlg" or "pq" (HEVC 10-bit).
    `video_kbps`: a phone-like bitrate (an iPhone's 4K HEVC is about 40 Mbit/s), which sets the decoding cost.
    `key_seconds`: a key frame every so many seconds, as phones write them (every second or two)."""
    w, h = size
    if rotate in (90, 270):
        w, h = h, w  # draw the upright (displayed) picture, then store it turned as the phone does
    vf = [f"drawtext=fontfile='{FONT}':text='%{{pts\\:hms}}':x=40:y=40:fontsize={max(20, h // 18)}"
          ":fontcolor=white:box=1:boxcolor=black@0.6"]
    if vfr:
        # drop every other frame between 1 s and 2 s, and 2 of 3 after 3 s: 30 → 15 → 10 fps, timestamps kept
        vf.append("select='not(between(t\\,1\\,2)*mod(n\\,2))*not(gte(t\\,3)*mod(n\\,3))'")
    if rotate in (90, 270):
        vf.append("transpose=cclock" if rotate == 270 else "transpose=clock")
    key = max(1, round(key_seconds * fps))
    args = ["-f", "lavfi", "-i", f"{picture}=size={w}x{h}:rate={fps}"]
    if isinstance(audio, Path):
        args += ["-i", str(audio)]
    elif audio == "tone":
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={audio_rate}"]
    elif audio == "silence":
        args += ["-f", "lavfi", "-i", f"anullsrc=sample_rate={audio_rate}"]
    args += ["-t", f"{seconds}", "-vf", ",".join(vf)]
    if hdr:
        transfer = {"hlg": "arib-std-b67", "pq": "smpte2084"}[hdr]
        args += ["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-tag:v", "hvc1",
                 "-x265-params", f"log-level=error:colorprim=bt2020:transfer={transfer}:colormatrix=bt2020nc"
                                 f":keyint={key}:min-keyint={key}",
                 "-color_primaries", "bt2020", "-color_trc", transfer, "-colorspace", "bt2020nc"]
    else:
        # tagged like every phone's SDR video
        args += X264_DETERMINISTIC + ["-g", str(key), "-pix_fmt", "yuv420p", "-colorspace", "bt709",
                                      "-color_primaries", "bt709", "-color_trc", "bt709"]
    if video_kbps:
        args += ["-b:v", f"{video_kbps}k", "-maxrate", f"{video_kbps}k", "-bufsize", f"{video_kbps * 2}k"]
    if vfr:
        args += ["-fps_mode", "vfr"]
    if audio is not None:
        args += ["-c:a", "aac", "-ar", str(audio_rate), "-ac", str(channels)]
    if location:
        args += ["-metadata", "location=+51.3127+009.4797/", "-metadata", "com.apple.quicktime.make=Apple",
                 "-metadata", "com.apple.quicktime.model=iPhone 15 Pro", "-movflags", "+use_metadata_tags"]
    if faststart:
        args += ["-movflags", "+faststart" + ("+use_metadata_tags" if location else "")]
    if not rotate:
        _ff(args + ["-shortest", str(path)])
        return path
    # ffmpeg 5.1 writes a display matrix from the rotate tag only when stream-copying: encode, then remux
    plain = path.with_name(f".unrotated-{path.name}")
    _ff(args + ["-shortest", str(plain)])
    _ff(["-i", str(plain), "-c", "copy", "-metadata:s:v:0", f"rotate={rotate}",
         *(["-movflags", "+faststart+use_metadata_tags"] if location else []), str(path)])
    plain.unlink()
    return path


def write_mono_wav(path: Path, samples: "np.ndarray", rate: int) -> Path:
    """Float samples (-1..1) as a 16-bit mono WAV."""
    import wave

    import numpy as np

    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def make_sync_clip(path: Path, seconds: float = 5.0, fps: int = 30, vfr: bool = True) -> Path:
    """White flash frames and 1 kHz beeps at the same instants (every 0.7 s); VFR drops frames in between."""
    period = 0.7
    flash = f"lt(mod(t\\,{period})\\,1/{fps})"
    select = f"select='{flash.replace('t', 't')}+not(mod(n\\,3))'" if vfr else "null"
    _ff([
        "-f", "lavfi", "-i", f"color=c=black:size=320x240:rate={fps}",
        "-f", "lavfi", "-i", f"aevalsrc='if(lt(mod(t\\,{period})\\,0.03)\\,0.5*sin(2*PI*1000*t)\\,0)':s=44100",
        "-t", str(seconds),
        "-vf", f"drawbox=color=white:t=fill:enable='{flash}',{select}",
        *X264_DETERMINISTIC, "-pix_fmt", "yuv420p", *(["-fps_mode", "vfr"] if vfr else []),
        "-c:a", "aac", "-ac", "1", str(path),
    ])
    return path


def make_sample(folder: Path) -> Path:
    """The bundled sample: a portrait phone clip (rotation matrix, mono 44.1 kHz, GPS tags) with German speech."""
    folder.mkdir(parents=True, exist_ok=True)
    wav = speak(SAMPLE_TEXT, folder / "sample-speech.wav")
    clip = make_clip(folder / "rathaus-statement.mp4", seconds=_duration(wav) + 0.8, size=(1920, 1080),
                     audio=wav, audio_rate=44100, channels=1, rotate=270, location=True, picture="testsrc2")
    (folder / "rathaus-statement.txt").write_text(SAMPLE_TEXT + "\n", encoding="utf-8")
    wav.unlink()
    return clip


def _duration(wav: Path) -> float:
    import wave

    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def _ff(args: list[str]) -> None:
    proc = subprocess.run([ffmpeg_bin(), "-hide_banner", "-nostdin", "-v", "error", "-y", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"ffmpeg failed making test media: {proc.stderr.strip()[-500:]}")


def make_photo(path: Path, size: tuple[int, int], seed: int = 1, gray: bool = False, exif_orientation: int = 1,
               gps: bool = False) -> Path:
    """A synthetic street photo (sky, facades, windows, grain): an archive scan or a phone picture.
    `exif_orientation` 6 stores it turned like a phone does; `gps` adds a GPS block like a phone camera."""
    import numpy as np
    from PIL import Image, ImageDraw

    rng = np.random.default_rng(seed)
    w, h = size
    img = Image.new("RGB", (w, h), (150, 180, 215))
    draw = ImageDraw.Draw(img)
    for y in range(h // 2):  # sky gradient
        c = int(120 + 100 * y / (h / 2))
        draw.line([(0, y), (w, y)], fill=(c - 40, c - 10, 235))
    x = 0
    while x < w:  # facades with windows
        bw = int(rng.integers(w // 8, w // 4))
        top = int(rng.integers(h // 5, h // 2))
        colour = tuple(int(v) for v in rng.integers(90, 200, 3))
        draw.rectangle([x, top, x + bw, h], fill=colour)
        for wy in range(top + h // 30, h - h // 6, max(4, h // 12)):
            for wx in range(x + bw // 10, x + bw - bw // 8, max(4, bw // 4)):
                draw.rectangle([wx, wy, wx + max(2, bw // 8), wy + max(2, h // 24)], fill=(40, 50, 70))
        x += bw
    draw.rectangle([0, int(h * 0.85), w, h], fill=(70, 70, 75))  # street
    pixels = np.asarray(img).astype(np.int16) + rng.integers(-12, 12, (h, w, 1))  # film grain
    img = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    if gray:
        img = img.convert("L")
    exif = Image.Exif()
    if exif_orientation != 1:
        # store the pixels turned; the tag tells viewers to turn them back (6 = rotate 90° clockwise to view)
        turn = {6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270, 3: Image.Transpose.ROTATE_180}
        img = img.transpose(turn[exif_orientation])
        exif[0x0112] = exif_orientation
    if gps:
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 15 Pro"
        exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 18.0, 45.7), 3: "E", 4: (9.0, 28.0, 47.2)})
    img.save(path, quality=90, exif=exif.tobytes()) if path.suffix.lower() in (".jpg", ".jpeg") else img.save(path)
    return path


def make_archive(folder: Path, with_clip: bool = True, broken_row: bool = True) -> Path:
    """A small city-archive batch: grayscale scan, EXIF-rotated scan, tiny 400x300 scan, 12 MP phone photo with
    GPS, a 'now' clip with German speech, and one broken row. Returns the manifest (Excel-style: cp1252, ';')."""
    folder.mkdir(parents=True, exist_ok=True)
    make_photo(folder / "rathaus_1962.jpg", (1600, 1200), seed=1, gray=True)
    make_photo(folder / "rathaus_heute.jpg", (4000, 3000), seed=2, gps=True)  # 12 MP phone photo
    make_photo(folder / "markt_1910.jpg", (1200, 900), seed=3, gray=True, exif_orientation=6)
    make_photo(folder / "markt_1910_klein.png", (400, 300), seed=4)
    rows = ["then;now;title;year_then;year_now;credit;place;focus",
            "rathaus_1962.jpg;rathaus_heute.jpg;Rathaus am Königsplatz;1962;;Foto: Stadtarchiv Musterstadt;Königsplatz;0.5,0.4",
            "markt_1910.jpg;markt_1910_klein.png;Der Marktplatz;1910;1985;Foto: Stadtarchiv;Marktplatz;",
            "fehlt.jpg;rathaus_heute.jpg;Kaputte Zeile;19x2;;;;"][: 4 if broken_row else 3]
    if with_clip:
        wav = speak("Heute ist der Marktplatz ein Ort für alle Bürgerinnen und Bürger.", folder / "speech.wav")
        make_clip(folder / "markt_heute.mp4", 6.0, size=(1920, 1080), audio=wav, audio_rate=48000)
        wav.unlink()
        rows.insert(3, "markt_1910_klein.png;markt_heute.mp4;Markt im Wandel;1910;;Foto: Stadtarchiv;;")
    manifest = folder / "archiv.csv"
    manifest.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    return manifest


# A two-voice talk with known pauses: (voice, text, pause after in seconds). The 6 s silence is a long break.
PODCAST_SCRIPT: list[tuple[str, str, float]] = [
    ("de+m3", "Herzlich willkommen zum Rathaus Podcast. Heute sprechen wir über den neuen Radweg in der Innenstadt.",
     2.4),
    ("de+f2", "Vielen Dank für die Einladung. Der Radweg wird im Sommer fertig.", 6.0),
    ("de+m3", "Warum hat der Bau so lange gedauert? Viele Bürgerinnen und Bürger haben danach gefragt. "
              "Wir mussten zuerst die Leitungen unter der Straße erneuern. Das hat die Stadtwerke ein halbes Jahr "
              "beschäftigt. Danach kam der Winter, und im Frost kann man keinen Asphalt legen. "
              "Jetzt arbeiten zwei Firmen gleichzeitig an der Strecke. Die Ampeln an der Kreuzung werden im Juni "
              "umgebaut. Ab Juli können alle auf dem neuen Radweg fahren.", 2.0),
    ("de+f2", "Und was bedeutet das für die Autofahrer in der Königsstraße?", 0.8),
    ("de+m3", "Die Königsstraße bleibt in beide Richtungen offen. Nur die Parkplätze fallen weg.", 1.0),
]


def make_podcast_recording(folder: Path, size: tuple[int, int] = (640, 360), script: list[tuple[str, str, float]]
                           | None = None, lead_in: float = 1.0, video: bool = True,
                           threads: int = 1, fps: int = 30) -> tuple[Path, list[dict[str, object]]]:
    """A camera recording of two people talking (espeak-ng voices, room tone, known pauses). Returns the file
    and the layout: each utterance's voice, text, start and end in seconds. `video=False` gives an .m4a."""
    import json
    import wave

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    rate = 48000
    rng = np.random.default_rng(7)
    pieces: list[np.ndarray] = [np.zeros(int(lead_in * rate), np.float32)]
    layout: list[dict[str, object]] = []
    t = lead_in
    for i, (voice, text, pause) in enumerate(script or PODCAST_SCRIPT):
        wav = speak(text, folder / f".utterance-{i}.wav", voice=voice)
        with wave.open(str(wav)) as w:
            samples = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768.0
        wav.unlink()
        voiced = np.flatnonzero(np.abs(samples) > 0.01)  # espeak pads its output with silence
        layout.append({"voice": voice, "text": text, "start": round(t, 3), "end": round(t + len(samples) / rate, 3),
                       "voice_start": round(t + voiced[0] / rate, 3), "voice_end": round(t + voiced[-1] / rate, 3)})
        pieces += [samples * 0.8, np.zeros(int(pause * rate), np.float32)]
        t += len(samples) / rate + pause
    mix = np.concatenate(pieces)
    mix += rng.normal(0, 10 ** (-62 / 20), mix.size).astype(np.float32)  # room tone: real rooms are never silent
    talk = write_mono_wav(folder / ".talk.wav", mix, rate)
    seconds = mix.size / rate
    if video:
        w_, h_ = size
        path = folder / "podcast-recording.mp4"
        # a still studio shot with a gently moving "speaker": cheap to make, realistic for the encoder
        _ff(["-f", "lavfi", "-i", f"color=c=0x4a5560:size={w_}x{h_}:rate={fps}",
             "-f", "lavfi", "-i", f"color=c=0xd0a080:size={w_ // 5}x{h_ // 2}:rate={fps}", "-i", str(talk),
             "-filter_complex", f"[0:v][1:v]overlay=x='{w_ * 2 // 5}+{w_ // 60}*sin(t*0.9)':y='{h_ // 3}+"
                                f"{h_ // 90}*sin(t*1.7)',drawtext=fontfile='{FONT}':text='%{{pts\\:hms}}':x=20:y=20:"
                                f"fontsize={h_ // 20}:fontcolor=white[v]",
             "-map", "[v]", "-map", "2:a", "-t", f"{seconds:.3f}",
             *(X264_DETERMINISTIC if threads == 1 else ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "18"]),
             "-pix_fmt", "yuv420p",
             "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
             "-c:a", "aac", "-b:a", "160k", "-ac", "2", "-movflags", "+faststart", str(path)])
    else:
        path = folder / "podcast-recording.m4a"
        _ff(["-i", str(talk), "-c:a", "aac", "-b:a", "128k", str(path)])
    talk.unlink()
    (folder / "podcast-recording.json").write_text(json.dumps(layout, ensure_ascii=False, indent=1), encoding="utf-8")
    return path, layout


# A two-person interview in short turns (a question, an answer), three topics with a longer pause between them:
# the common podcast shape, where no one talks 30 s in one go.
INTERVIEW_TOPICS: list[list[tuple[str, str]]] = [
    [("de+m3", "Frau Beispiel, wann ist der Radweg in der Innenstadt fertig?"),
     ("de+f2", "Der Radweg in der Innenstadt wird im Juli fertig. Der Radweg bekommt eine eigene Ampel."),
     ("de+m3", "Wie breit wird der Radweg?"),
     ("de+f2", "Der Radweg wird zwei Meter breit, damit Lastenräder gut überholen können.")],
    [("de+m3", "Viele Händler sorgen sich um die Parkplätze. Was sagen Sie den Händlern?"),
     ("de+f2", "Wir verstehen die Händler. Die Parkplätze im Parkhaus am Markt bleiben erhalten."),
     ("de+m3", "Wie viele Parkplätze fallen an der Straße weg?"),
     ("de+f2", "Es fallen vierzig Parkplätze weg. Dafür gibt es neue Parkplätze im Parkhaus.")],
    [("de+m3", "Zum Schluss das Sommerfest. Wann feiert die Stadt das Sommerfest?"),
     ("de+f2", "Das Sommerfest beginnt am ersten August auf dem Königsplatz."),
     ("de+m3", "Gibt es beim Sommerfest auch Musik?"),
     ("de+f2", "Beim Sommerfest spielen drei Bands aus der Region. Alle sind herzlich eingeladen.")],
]


def interview_script() -> list[tuple[str, str, float]]:
    script = []
    for topic in INTERVIEW_TOPICS:
        for i, (voice, text) in enumerate(topic):
            script.append((voice, text, 2.2 if i == len(topic) - 1 else 0.7))
    return script


def make_srt(path: Path, seconds: float) -> Path:
    """A subtitle every 3 s (2.6 s long) over `seconds`: burned captions for the speed benchmarks."""
    lines = []
    for i, t in enumerate(range(0, int(seconds) - 2, 3), 1):
        lines.append(f"{i}\n00:{t // 60:02d}:{t % 60:02d},200 --> 00:{(t + 2) // 60:02d}:{(t + 2) % 60:02d},800\n"
                     f"Untertitel Nummer {i} über die Königsstraße\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def face_photo(path: Path, mirror: bool = False) -> Path:
    """A real face: scikit-image's astronaut photo, head and shoulders (a test-only dependency)."""
    from PIL import Image
    from skimage import data

    face = Image.fromarray(data.astronaut()).crop((140, 20, 340, 260)).resize((220, 264))  # head and shoulders
    if mirror:
        face = face.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    face.save(path)
    return path


def textured_wall(path: Path, seed: int, tint: tuple[int, int, int]) -> Path:
    """A textured wall (static noise): the crop's movement shows in it, and a new one makes a cut."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    small = rng.integers(0, 255, (1080 // 8, 1920 // 8, 1), dtype=np.uint8)
    img = Image.fromarray(np.repeat(small, 3, axis=2)).resize((1920, 1080), Image.BILINEAR)
    img = Image.blend(img, Image.new("RGB", (1920, 1080), tint), 0.55)
    img.save(path)
    return path


def make_shots_clip(path: Path, shots: list[tuple[float, Path, list[tuple[Path, str]]]],
                    key_seconds: float | None = None) -> Path:
    """Shots of (seconds, background, [(face png, x expression in the shot's own t)]) joined into one 1920x1080
    clip with a tone: interviews for --fit auto, with cuts where the background changes. `key_seconds`: a key
    frame every so many seconds and none at the cuts (a phone's clip, joined without re-encoding); default: the
    encoder's own choice (an editor's export: long GOPs)."""
    args, filters, labels = ["ffmpeg", "-v", "error", "-y"], [], []
    n = 0
    for i, (seconds, bg, faces) in enumerate(shots):
        args += ["-loop", "1", "-framerate", str(30), "-t", str(seconds), "-i", str(bg)]
        base, n = n, n + 1
        chain = f"[{base}:v]"
        for j, (png, x) in enumerate(faces):
            args += ["-loop", "1", "-framerate", str(30), "-t", str(seconds), "-i", str(png)]
            out = f"[s{i}f{j}]"
            filters.append(f"{chain}[{n}:v]overlay=x='{x}':y=420:shortest=1{out}")
            chain, n = out, n + 1
        filters.append(f"{chain}format=yuv420p,setsar=1[s{i}]")
        labels.append(f"[s{i}]")
    filters.append(f"{''.join(labels)}concat=n={len(shots)}:v=1:a=0[v]")
    args += ["-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000", "-filter_complex", ";".join(filters),
             "-map", "[v]", "-map", f"{n}:a", "-shortest", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18"]
    if key_seconds:
        key = round(key_seconds * 30)
        args += ["-g", str(key), "-keyint_min", str(key), "-sc_threshold", "0"]
    args += ["-c:a", "aac", str(path)]
    subprocess.run(args, check=True)
    return path


# A statement said the way people speak: fillers ("äh" and "ähm", 0.4-0.8 s, said by espeak) and two retakes (a
# sentence start broken off and said again). ("say", text), ("filler", sound), ("retake", the broken-off start).
DISFLUENT_SCRIPT: list[tuple[str, str]] = [
    ("say", "Guten Tag aus dem Rathaus."),
    ("filler", "ähm"),
    ("say", "Ab dem fünfzehnten Mai wird die Königsstraße gesperrt."),
    ("say", "Die Busse fahren"), ("filler", "äh"), ("say", "eine Umleitung über die Wilhelmsstraße."),
    ("retake", "Der Radweg wird"), ("say", "Der neue Radweg wird im Juni fertig."),
    ("say", "Wir bitten um"), ("filler", "äh"), ("say", "Verständnis für die Bauarbeiten."),
    ("retake", "Alle Geschäfte bleiben"), ("say", "Alle Geschäfte in der Innenstadt bleiben geöffnet."),
    ("filler", "ähm"), ("say", "Vielen Dank."),
]
# a second statement for the benchmark's set: other words, other places for the fillers
DISFLUENT_SCRIPT_2: list[tuple[str, str]] = [
    ("say", "Das Sommerfest beginnt am ersten August."), ("say", "Es spielen"), ("filler", "äh"),
    ("say", "drei Bands aus der Region."), ("retake", "Der Eintritt ist"), ("say", "Der Eintritt ist für alle frei."),
    ("filler", "ähm"), ("say", "Die Straßenbahn fährt bis Mitternacht."), ("say", "Bitte kommen Sie"),
    ("filler", "ähm"), ("say", "mit dem Fahrrad oder zu Fuß."),
]


def make_disfluent_speech(folder: Path, script: list[tuple[str, str]] | None = None, noise_db: float = -60.0,
                          voice: str = "de+m3") -> tuple[Path, list[dict[str, object]]]:
    """A 48 kHz WAV of the script and its layout: each piece's kind, text, start and end (the voice itself)."""
    import wave

    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    rate = 48000
    pieces: list[np.ndarray] = [np.zeros(rate // 2, np.float32)]
    layout: list[dict[str, object]] = []
    t = 0.5
    items = script or DISFLUENT_SCRIPT
    for i, (kind, text) in enumerate(items):
        wav = speak(text, folder / f".piece-{i}.wav", voice=voice, speed=70 if kind == "filler" else 125)
        with wave.open(str(wav)) as w:
            samples = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768.0
        wav.unlink()
        voiced = np.flatnonzero(np.abs(samples) > 0.01)
        samples = samples[voiced[0]: voiced[-1] + 1] * (0.5 if kind == "filler" else 0.8)
        nxt = items[i + 1][0] if i + 1 < len(items) else "say"
        # fillers sit in short pauses; sentences end in longer ones; a broken-off start is followed quickly
        gap = 0.25 if "filler" in (kind, nxt) else 0.3 if kind == "retake" else 0.45
        layout.append({"kind": kind, "text": text, "start": round(t, 3), "end": round(t + samples.size / rate, 3)})
        pieces += [samples, np.zeros(int(gap * rate), np.float32)]
        t += samples.size / rate + gap
    mix = np.concatenate(pieces + [np.zeros(rate // 2, np.float32)])
    mix += np.random.default_rng(3).normal(0, 10 ** (noise_db / 20), mix.size).astype(np.float32)
    return write_mono_wav(folder / "disfluent-speech.wav", mix, rate), layout


def make_disfluent_clip(folder: Path, size: tuple[int, int] = (1280, 720)) -> tuple[Path, list[dict[str, object]]]:
    """A phone-like clip of DISFLUENT_SCRIPT; its layout says where every filler and retake is."""
    wav, layout = make_disfluent_speech(folder)
    clip = make_clip(folder / "statement-with-fillers.mp4", seconds=_duration(wav), size=size, audio=wav)
    wav.unlink()
    return clip, layout


def make_interpreter_clip(path: Path, seconds: float, background: str = "0x3b6ea5", size: tuple[int, int] = (640, 480),
                          fps: int = 30, flashes: tuple[float, ...] = ()) -> Path:
    """A stand-in for a sign-language interpreter's recording: a real face moving as a signer does, on a plain
    background (`green` for a green screen), with white frames at `flashes` (seconds) to measure the sync by."""
    face = face_photo(path.with_name(f".{path.stem}-face.png"))
    colour = "0x00b140" if background == "green" else background
    w, h = size
    flash = "+".join(f"between(t\\,{t:.3f}\\,{t + 0.5 / fps:.3f})" for t in flashes) or "0"
    _ff(["-f", "lavfi", "-i", f"color=c={colour}:size={w}x{h}:rate={fps}", "-loop", "1", "-i", str(face),
         "-filter_complex", f"[1:v]scale={w // 3}:-2[f];[0:v][f]overlay=x='{w // 3}+{w // 10}*sin(t*2.1)':"
                            f"y='{h // 6}+{h // 20}*sin(t*3.3)',drawbox=color=white:t=fill:enable='{flash}'[v]",
         "-map", "[v]", "-t", f"{seconds}", *X264_DETERMINISTIC, "-pix_fmt", "yuv420p", str(path)])
    face.unlink()
    return path


def make_flash_clip(path: Path, seconds: float, flashes: tuple[float, ...], size: tuple[int, int] = (1280, 720),
                    fps: int = 30, audio: Path | str = "tone") -> Path:
    """A programme clip with white frames at `flashes` (seconds): the interpreter's sync is measured against it."""
    clip = make_clip(path.with_name(f".{path.stem}-plain.mp4"), seconds, size=size, fps=fps, audio=audio)
    flash = "+".join(f"between(t\\,{t:.3f}\\,{t + 0.5 / fps:.3f})" for t in flashes)
    _ff(["-i", str(clip), "-vf", f"drawbox=color=white:t=fill:enable='{flash}'", *X264_DETERMINISTIC,
         "-pix_fmt", "yuv420p", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
         "-c:a", "copy", "-movflags", "+faststart", str(path)])
    clip.unlink()
    return path
