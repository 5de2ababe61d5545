"""Chapters of an episode (pure): where topics change, what each is called, and the YouTube chapter text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from videokit.podcast.speakers import voice_at
from videokit.timeline import Word


@dataclass(frozen=True, slots=True)
class Chapter:
    start: float
    title: str


def sentences(words: list[Word]) -> list[list[Word]]:
    result: list[list[Word]] = [[]]
    for w in words:
        result[-1].append(w)
        if w.text.rstrip('"»“').endswith(SENTENCE_END):
            result.append([])
    return [s for s in result if s]


def chapter_title(sentence: list[Word]) -> str:
    """The chapter's first sentence when short, else its first words up to a comma or CHAPTER_TITLE_CHARS;
    the editor refines them in chapters.txt."""
    full = " ".join(w.text.strip() for w in sentence)
    if len(full) <= CHAPTER_TITLE_CHARS:
        title = full
    else:
        title = ""
        for w in sentence:
            candidate = f"{title} {w.text.strip()}".strip()
            if len(candidate) > CHAPTER_TITLE_CHARS and title:
                break
            title = candidate
            if title.endswith(",") and len(title.split()) >= 3:
                break
    title = title.rstrip(",;:.!…-– ")
    return (title[:1].upper() + title[1:]) if title else "Kapitel"


def plan_chapters(words: list[Word], source_words: list[Word], turns: list[tuple[float, float, int]],
                  duration: float, min_length: float | None = None, names: TitleWords | None = None) -> list[Chapter]:
    """Chapters on body time: a new one may start at a sentence after a long pause in the recording or a change
    of speaker; boundaries are taken greedily so no chapter is shorter than `min_length` (default: an eighth of
    the episode, 10 s to 2 min)."""
    if not words:
        return []
    min_len = min_length if min_length is not None else min(120.0, max(YOUTUBE_MIN_CHAPTER, duration / 8))
    body_sentences = sentences(words)
    source_sentences = sentences(source_words)
    chapters = [Chapter(0.0, chapter_title(body_sentences[0]))]
    for i in range(1, min(len(body_sentences), len(source_sentences))):
        prev_src, src = source_sentences[i - 1], source_sentences[i]
        paused = src[0].start - prev_src[-1].end >= CHAPTER_PAUSE
        changed = voice_at(turns, prev_src[-1].start) != voice_at(turns, src[0].start)
        start = body_sentences[i][0].start
        if (paused or changed) and start - chapters[-1].start >= min_len and duration - start >= min_len:
            chapters.append(Chapter(round(start, 3), chapter_title(body_sentences[i])))
    return title_by_terms(chapters, words, names or TitleWords())


# capitalised words that are not topics: pronouns, greetings, fillers, sentence openers
NOT_TOPICS = {
    "ich", "sie", "wir", "ihr", "er", "es", "man", "das", "die", "der", "den", "dem", "des", "ein", "eine", "einen",
    "und", "aber", "oder", "denn", "also", "doch", "ja", "nein", "na", "nun", "so", "dann", "da", "hier", "dort",
    "herzlich", "willkommen", "vielen", "dank", "danke", "bitte", "guten", "tag", "hallo", "frau", "herr", "heute",
    "jetzt", "was", "wie", "warum", "wer", "wo", "wann", "welche", "welcher", "welches", "wenn", "weil", "dass",
    "genau", "richtig", "gut", "sehr", "noch", "schon", "auch", "nur", "mal", "eben", "halt", "eigentlich",
    "sagen", "gesagt", "zeit", "jahr", "jahre", "prozent", "beispiel", "frage", "fragen", "podcast", "folge",
    "mein", "meine", "unser", "unsere", "dies", "diese", "dieser", "dieses", "alle", "viele", "etwas", "nichts",
    "ab", "im", "in", "am", "an", "auf", "zum", "zur", "mit", "für", "von", "bei", "nach", "vor", "über", "unter",
}
# short words that may join two terms into a phrase ("Radweg in der Innenstadt")
JOINERS = {"in", "im", "der", "die", "das", "dem", "den", "des", "für", "am", "an", "auf", "und", "von", "vom",
           "zum", "zur", "mit", "bei", "an"}


def _term(text: str) -> str:
    return text.strip(" ,.;:!?…\"'»«“”„()–-")


# lowercase words that carry no topic (the recogniser sometimes writes a noun in lower case: those still count)
COMMON_LOWER = {
    "nicht", "diese", "dieser", "dieses", "werden", "wurde", "worden", "haben", "hatte", "schon", "immer", "wieder",
    "damit", "dafür", "darum", "deshalb", "etwas", "einen", "einem", "einer", "eines", "keine", "keinen", "unsere",
    "unser", "ihren", "ihrer", "seine", "seiner", "alles", "allen", "aller", "vielen", "heute", "morgen", "gerne",
    "gleich", "sollen", "sollte", "können", "könnte", "müssen", "wollen", "zwischen", "während", "sondern", "obwohl",
    "sowie", "bereits", "bisher", "durch", "gegen", "unter", "neben", "hinter", "natürlich", "wirklich", "einfach",
    "bleiben", "bleibt", "geben", "kommen", "kommt", "gehen", "sagen", "machen", "macht", "sehen", "steht", "stehen",
    "ihnen", "beginnt", "dauern", "dauert", "danach", "davon", "darauf", "dabei", "dazu", "weiter", "wichtig",
    "welche", "welcher", "welches", "warum", "wieso", "weshalb", "insgesamt", "zusammen", "fertig", "richtig",
}
LOWER_WEIGHT = 0.5  # a lowercase candidate counts half a capitalised one


@dataclass(frozen=True, slots=True)
class TitleWords:
    """What a chapter title may and may not say besides the chapter's confident dictionary words."""

    glossary: frozenset[str] = frozenset()  # names spelled right on purpose: allowed though no dictionary has them
    speakers: frozenset[str] = frozenset()  # the people talking: said in every chapter, never its topic


CONFIDENT = 0.5  # word probability from which a word counts as heard (the review editor marks those below)


def title_candidates(words: list[Word], names: TitleWords) -> set[str]:
    """Terms a title may use: never heard with doubt, known to the German dictionary (or the glossary), not a
    speaker's name. A misheard word is rare everywhere, so TF-IDF would favour exactly those ("Adväger")."""
    from videokit.captions.dictionary import is_german_word

    unsure = {_term(w.text) for w in words if w.probability < CONFIDENT}
    spoken_names = {part.lower() for name in names.speakers for part in name.split()}
    glossary = {g.lower() for g in names.glossary} | {p.lower() for g in names.glossary for p in g.split()}
    allowed = set()
    for term in {_term(w.text) for w in words} - unsure:
        if not term or term.lower() in spoken_names:
            continue
        if term.lower() in glossary or is_german_word(term) is not False:  # no dictionary: confidence alone
            allowed.add(term)
    return allowed


def _topic_terms(words: list[Word], nouns: set[str], allowed: set[str] | None = None) -> list[tuple[str, float]]:
    """(term, weight): nouns, found the German way (capitalised and not merely opening a sentence, or seen
    capitalised mid-sentence elsewhere); long lowercase words count half (recognisers lowercase some nouns)."""
    terms = []
    for i, w in enumerate(words):
        t = _term(w.text)
        if len(t) < 3 or t.lower() in NOT_TOPICS or allowed is not None and t not in allowed:
            continue
        opener = i == 0 or words[i - 1].text.rstrip('"»“').endswith(SENTENCE_END)
        if t[:1].isupper() and (not opener or t in nouns):
            terms.append((t, 1.0))
        elif t[:1].islower() and len(t) >= 5 and t not in COMMON_LOWER:
            terms.append((t, LOWER_WEIGHT))
    return terms


def _nouns(words: list[Word]) -> set[str]:
    """Capitalised words seen in the middle of a sentence somewhere: nouns (or names)."""
    return {_term(w.text) for i, w in enumerate(words) if i and _term(w.text)[:1].isupper()
            and not words[i - 1].text.rstrip('"»“').endswith(SENTENCE_END)}


def title_by_terms(chapters: list[Chapter], words: list[Word], names: TitleWords = TitleWords()) -> list[Chapter]:
    """Each chapter titled with its most telling term: frequent in the chapter, rare in the others (TF-IDF over
    the chapters), among the words a title may use (title_candidates); the chapter's own phrase when the two best
    stand close ("Radweg in der Innenstadt"), else the best one alone. A chapter with nothing telling left is
    "Teil N" rather than nonsense."""
    import math
    from collections import Counter

    bounds = [c.start for c in chapters] + [math.inf]
    parts = [[w for w in words if bounds[i] <= w.start < bounds[i + 1]] for i in range(len(chapters))]
    nouns = _nouns(words)
    allowed = title_candidates(words, names)
    counts: list[Counter[str]] = []
    for part in parts:
        count: Counter[str] = Counter()
        for term, weight in _topic_terms(part, nouns, allowed):
            count[term] += weight
        counts.append(count)
    df = Counter(t for c in counts for t in c)
    titled = []
    for n, (chapter, part, count) in enumerate(zip(chapters, parts, counts), 1):
        ranked = sorted(count, key=lambda t: (-count[t] * math.log((1 + len(chapters)) / df[t]) - 0.01 * count[t],
                                              [_term(w.text) for w in part].index(t)))
        title = _phrase(part, ranked[:2]) if ranked else _fallback(chapter.title, allowed, n)
        titled.append(Chapter(chapter.start, title[:1].upper() + title[1:]))
    return titled


def _fallback(first_words: str, allowed: set[str], n: int) -> str:
    """The chapter's first words when every one of them may stand in a title, else "Teil N"."""
    terms = [_term(t) for t in first_words.split()]
    return first_words if terms and all(t in allowed or t.lower() in allowed for t in terms if t) else f"Teil {n}"


def _phrase(part: list[Word], terms: list[str]) -> str:
    """The shortest stretch of the chapter joining the two terms with joiners only, else the first term."""
    text = [_term(w.text) for w in part]
    if len(terms) == 2:
        for i, t in enumerate(text):
            if t not in terms:
                continue
            for j in range(i + 1, min(i + 5, len(text))):
                if text[j] in terms and text[j] != t:
                    phrase = " ".join(text[i:j + 1])
                    inside_sentence = not any(w.text.rstrip('"»“').endswith((*SENTENCE_END, ",", ";", ":"))
                                              for w in part[i:j])
                    if (inside_sentence and all(x.lower() in JOINERS for x in text[i + 1:j])
                            and len(phrase) <= CHAPTER_TITLE_CHARS):
                        return phrase
                    break
    return terms[0][:CHAPTER_TITLE_CHARS]  # one strong term, not "X und Y" glued from two places


def shift_chapters(chapters: list[Chapter], offset: float) -> list[Chapter]:
    """Chapters moved by the intro; the first always starts at 0:00 (YouTube's rule)."""
    shifted = [Chapter(round(c.start + offset, 3) if i else 0.0, c.title) for i, c in enumerate(chapters)]
    return shifted


def youtube_timestamp(seconds: float) -> str:
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def format_chapters(chapters: list[Chapter]) -> str:
    return "".join(f"{youtube_timestamp(c.start)} {c.title}\n" for c in chapters)


CHAPTER_LINE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s+(\S.{0,99})$")
MIN_CHAPTER_GAP = 10.0  # seconds: YouTube ignores chapters closer than this


def parse_chapters(text: str, duration: float | None = None) -> list[Chapter]:
    """YouTube's `00:00 Title` lines (video time): the first at 00:00, times increasing at least 10 s apart and,
    given the episode's `duration`, all inside it. The one rule for the editor and `--chapters`; raises
    ValueError naming the line."""
    chapters: list[Chapter] = []
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for n, line in enumerate(lines, 1):
        m = CHAPTER_LINE.match(line)
        if not m:
            raise ValueError(f"chapter {n}: write it as '01:23 Title' ({line[:40]!r})")
        seconds = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        if n == 1 and seconds != 0:
            raise ValueError("the first chapter starts at 00:00 (YouTube's rule)")
        if chapters and seconds < chapters[-1].start + MIN_CHAPTER_GAP:
            raise ValueError(f"chapter {n} ({line[:40]}): times must increase, at least {MIN_CHAPTER_GAP:g} s apart "
                             "(YouTube's rule)")
        if duration is not None and seconds >= duration:
            raise ValueError(f"chapter {n} ({line[:40]}) starts after the episode ends "
                             f"({youtube_timestamp(duration)})")
        chapters.append(Chapter(float(seconds), m.group(4).strip()))
    if not chapters:
        raise ValueError("no chapters: one '00:00 Title' per line")
    return chapters


SENTENCE_END = (".", "!", "?", "…")
CHAPTER_PAUSE = 1.5  # seconds of silence in the recording that may start a new topic
CHAPTER_TITLE_CHARS = 40
YOUTUBE_MIN_CHAPTER = 10.0  # YouTube ignores chapter lists with a chapter shorter than this
