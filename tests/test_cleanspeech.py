"""--clean-speech (cleanspeech.py): measured on generated mixtures whose clean speech is known (espeak-ng speech
+ traffic-like, wind-like and babble noise at 0-10 dB SNR), and run for real in a render and a podcast."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from videokit.cleanspeech import DEFAULT_STRENGTH, attenuation, clean_sound, denoise, floor_reduction
from videokit.samplegen import make_clip, speak

from conftest import FAST_TEMPLATE, run_cli

RATE = 48000
TEXT = "Guten Tag. Die Königsstraße wird ab Montag für drei Wochen gesperrt. Der Radweg wird im Sommer fertig."


def _load(path: Path) -> np.ndarray:
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.float32).copy()


@pytest.fixture(scope="module")
def speech(media: Path) -> np.ndarray:
    return _load(speak(TEXT, media / "clean-speech.wav"))


def noise(kind: str, n: int, media: Path) -> np.ndarray:
    """Traffic: brown noise rising and falling; wind: low rumble in gusts; babble: three other voices."""
    from scipy.signal import butter, lfilter

    rng = np.random.default_rng(7)
    t = np.arange(n) / RATE
    if kind == "traffic":
        brown = np.cumsum(rng.standard_normal(n))
        brown -= np.convolve(brown, np.ones(4801) / 4801, "same")
        return brown * (0.6 + 0.4 * np.sin(2 * np.pi * 0.2 * t))
    if kind == "wind":
        b, a = butter(2, 120 / (RATE / 2))
        return lfilter(b, a, rng.standard_normal(n)) * (0.5 + 0.5 * np.abs(np.sin(2 * np.pi * 0.7 * t)))
    voices = ["Heute ist Markt auf dem Platz und viele Leute kaufen ein.", "Kommst du später noch mit ins Kino?",
              "Das Wetter war gestern schöner als heute morgen."]
    return sum(np.roll(np.resize(_load(speak(v, media / f"babble-{k}.wav", voice="de+f3" if k != 1 else "de+m3")), n),
                       k * 9000) for k, v in enumerate(voices))


def mixture(clean: np.ndarray, kind: str, snr: float, media: Path) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, the clean speech at the same scale)."""
    bed = noise(kind, len(clean), media)
    gain = np.sqrt(np.mean(clean ** 2) / np.mean(bed ** 2) / 10 ** (snr / 10))
    mix = clean + gain * bed
    scale = 0.9 / np.abs(mix).max()
    return (mix * scale).astype(np.float32), (clean * scale).astype(np.float32)


def write_wav(path: Path, samples: np.ndarray) -> Path:
    """48 kHz mono 16-bit PCM."""
    import wave

    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def si_sdr(reference: np.ndarray, estimate: np.ndarray) -> float:
    reference, estimate = reference - reference.mean(), estimate - estimate.mean()
    target = np.dot(estimate, reference) / np.dot(reference, reference) * reference
    return float(10 * np.log10(np.dot(target, target) / np.dot(estimate - target, estimate - target)))


def stoi(reference: np.ndarray, estimate: np.ndarray) -> float:
    from pystoi import stoi as measure

    return float(measure(reference[::3], estimate[::3], RATE // 3))


@pytest.mark.parametrize("kind", ["traffic", "wind", "babble"])
@pytest.mark.parametrize("snr", [0, 5, 10])
def test_cleaned_speech_is_closer_to_the_clean_speech(speech: np.ndarray, media: Path, kind: str, snr: int) -> None:
    """Traffic and wind: at least 3 dB better SI-SDR; every noise: intelligibility (STOI) not lowered beyond the
    measure's own noise (0.005), at the default strength."""
    noisy, clean = mixture(speech, kind, snr, media)
    cleaned = denoise(noisy, attenuation(DEFAULT_STRENGTH))
    assert len(cleaned) == len(noisy)
    if kind != "babble":
        assert si_sdr(clean, cleaned) >= si_sdr(clean, noisy) + 3.0
    assert stoi(clean, cleaned) >= stoi(clean, noisy) - 0.005
    assert np.abs(cleaned).max() <= 1.0  # never clipped


def test_no_delay_speech_comes_out_where_it_went_in(speech: np.ndarray, media: Path) -> None:
    noisy, clean = mixture(speech, "traffic", 5, media)
    cleaned = denoise(noisy, attenuation(1.0))
    window = slice(RATE, 3 * RATE)
    corr = [np.dot(cleaned[window], np.roll(clean, lag)[window]) for lag in range(-96, 97)]
    assert abs(int(np.argmax(corr)) - 96) <= RATE // 1000  # within 1 ms


@pytest.mark.slow
def test_whisper_hears_cleaned_steady_noise_but_not_cleaned_babble(speech: np.ndarray, media: Path,
                                                                   tmp_path: Path) -> None:
    import jiwer

    from videokit.captions.transcribe import TranscribeOptions, transcribe_file

    def wer(path: Path) -> float:
        words = " ".join(w.text for w in transcribe_file(str(path), TranscribeOptions()))
        norm = lambda s: " ".join("".join(c for c in s.lower() if c.isalnum() or c.isspace()).split())  # noqa: E731
        return jiwer.wer(norm(TEXT), norm(words))

    for kind, wants_clean in (("traffic", True), ("babble", False)):
        noisy, _clean = mixture(speech, kind, 5, media)
        source = write_wav(tmp_path / f"{kind}.wav", noisy)
        sound = clean_sound(source, DEFAULT_STRENGTH)
        assert sound.for_whisper is wants_clean, (kind, sound)
        heard = Path(sound.path) if sound.for_whisper else source
        assert wer(heard) <= wer(source) + 1e-9, kind  # what Whisper hears is never worse than the original


def test_music_and_silence_are_left_alone(media: Path, tmp_path: Path) -> None:
    t = np.arange(4 * RATE) / RATE
    chord = 0.1 * (np.sin(2 * np.pi * 261.6 * t) + np.sin(2 * np.pi * 329.6 * t) + np.sin(2 * np.pi * 392 * t))
    for name, samples in (("music", chord), ("silence", np.zeros_like(t))):
        path = tmp_path / f"{name}.wav"
        subprocess.run(["ffmpeg", "-v", "error", "-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", "-", str(path)],
                       input=samples.astype(np.float32).tobytes(), check=True)
        sound = clean_sound(path, 0.8)
        assert sound.path == "" and not sound.for_whisper, name  # no speech: nothing to clean, no pumping


def test_floor_reduction_measures_the_pauses() -> None:
    rng = np.random.default_rng(3)
    before = rng.standard_normal(RATE * 2).astype(np.float32) * 0.1
    assert floor_reduction(before, before * 0.1) == pytest.approx(20.0, abs=0.1)
    pauses = before.copy()
    pauses[: RATE // 2] = 0.0  # digital silence (a synthetic clip's pauses) is no noise floor: never negative
    assert floor_reduction(pauses, pauses * 0.1 + 1e-5) == pytest.approx(20.0, abs=0.1)


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.parametrize("strength", [None, "0.8", "0"])
def test_render_with_clean_speech_says_what_it_did_and_stays_in_sync(speech: np.ndarray, media: Path,
                                                                     tmp_path: Path, strength: str | None) -> None:
    """`--clean-speech` (alone, with a strength, or 0 = off) on a phone clip with traffic under the voice."""
    noisy, _clean = mixture(speech, "traffic", 5, media)
    wav = write_wav(tmp_path / "verkehr.wav", noisy)
    clip = make_clip(media / f"verkehr-{strength}.mp4", len(noisy) / RATE, size=(1280, 720), audio=wav)
    args = ["render", str(clip), "--out", str(tmp_path / "out"), "--platforms", "youtube", "--template", FAST_TEMPLATE,
            "--title", "Baustelle", "--no-intro", "--no-outro", "--clean-speech", *([strength] if strength else [])]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    if strength == "0":
        assert "clean speech" not in result.output
        return
    assert "clean speech: noise reduced by" in result.output and "Whisper heard the cleaned sound" in result.output
    rendered = _load(tmp_path / "out" / "baustelle_youtube.mp4")
    window = slice(RATE, 3 * RATE)
    corr = [np.dot(rendered[window], np.roll(speech, lag)[window]) for lag in range(-480, 481)]
    assert abs(int(np.argmax(corr)) - 480) <= RATE // 1000 + 48  # within a millisecond (+ the AAC priming)
    job = (tmp_path / "out" / "baustelle.job.toml").read_text(encoding="utf-8")
    assert f"clean_speech = {0.8 if strength else 0.5}" in job


@pytest.mark.render
def test_a_clip_without_sound_renders_with_clean_speech(media: Path, tmp_path: Path) -> None:
    clip = make_clip(media / "stumm.mp4", 2.0, size=(640, 360), audio=None)
    result = run_cli("render", str(clip), "--out", str(tmp_path / "out"), "--platforms", "youtube", "--template",
                     FAST_TEMPLATE, "--title", "Stumm", "--no-intro", "--no-outro", "--clean-speech")
    assert result.exit_code == 0, result.output
    assert "no speech heard, the sound stays as recorded" in result.output


def test_template_and_job_file_values(tmp_path: Path) -> None:
    from videokit.errors import ConfigError
    from videokit.templates import clean_speech_setting

    assert clean_speech_setting(True, "t") == 0.5 and clean_speech_setting(False, "t") is None
    assert clean_speech_setting(0.3, "t") == 0.3 and clean_speech_setting(None, "t") is None
    for bad in (1.5, -0.1, "ja"):
        with pytest.raises(ConfigError, match="clean_speech"):
            clean_speech_setting(bad, "t")
    template = tmp_path / "laut.toml"
    template.write_text("clean_speech = true\n" + Path(FAST_TEMPLATE).read_text(encoding="utf-8"), encoding="utf-8")
    from videokit.templates import load_template

    assert load_template(str(template)).clean_speech == 0.5
