"""German line-break knowledge: where a subtitle line or cue may break, and where it never may."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?…]+[\"'»«“”)]*$")
CLAUSE_END = re.compile(r"[,;:–—]+[\"'»«“”)]*$")
ORDINAL = re.compile(r"^\d{1,4}\.$")  # "15." in "15. Mai": ends in a period but not a sentence
NUMBER = re.compile(r"^[+-]?\d[\d.,]*$")

ABBREVIATIONS = {"dr.", "prof.", "nr.", "st.", "str.", "z.", "b.", "bzw.", "ca.", "usw.", "etc.", "vgl.", "u.", "a.",
                 "hl.", "dipl.", "ing.", "mag.", "abs.", "jh.", "mio.", "mrd.", "tel.", "inkl.", "ggf."}
ARTICLES = {"der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "einem", "einer", "eines",
            "kein", "keine", "keinen", "keinem", "keiner", "keines", "dieser", "diese", "dieses", "diesen",
            "diesem", "jeder", "jede", "jedes", "jeden", "jedem", "unser", "unsere", "unseren", "unserem",
            "unserer", "ihr", "ihre", "ihren", "ihrem", "ihrer", "sein", "seine", "seinen", "seinem", "seiner",
            "mein", "meine", "meinen", "meinem", "meiner", "zum", "zur", "im", "am", "vom", "beim", "ins", "ans"}
CONJUNCTIONS = {"und", "oder", "aber", "denn", "sondern", "dass", "weil", "wenn", "als", "ob", "damit",
                "obwohl", "während", "doch", "sowie", "bevor", "nachdem", "sodass", "falls", "wie"}
PREPOSITIONS = {"in", "an", "auf", "aus", "bei", "mit", "nach", "von", "zu", "für", "über", "unter", "vor",
                "hinter", "neben", "zwischen", "durch", "gegen", "ohne", "um", "seit", "bis", "ab", "trotz",
                "wegen", "innerhalb", "außerhalb", "entlang", "gegenüber"}
PRONOUNS = {"ich", "du", "er", "sie", "es", "wir", "ihr", "man"}
HONORIFICS = {"herr", "frau", "herrn", "dr.", "prof.", "sankt", "st."}
TITLES = {"oberbürgermeister", "oberbürgermeisterin", "bürgermeister",
          "bürgermeisterin", "stadtrat", "stadträtin", "dezernent", "dezernentin"}
UNITS = {"%", "prozent", "euro", "€", "cent", "uhr", "km", "m", "cm", "kg", "t", "g", "l", "meter", "kilometer",
         "jahre", "jahren", "jahr", "monate", "monaten", "tage", "tagen", "stunden", "minuten", "sekunden",
         "millionen", "milliarden", "mio.", "mrd.", "grad", "°c", "km/h", "quadratmeter", "m²", "hektar",
         "einwohner", "menschen", "personen", "stück"}
MONTHS = {"januar", "jänner", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
          "oktober", "november", "dezember"}

FORBIDDEN = 100.0
NAME = 60.0
SENTENCE, CLAUSE, CONJ, PREP, NEUTRAL, WEAK = 0.0, 1.0, 2.0, 3.0, 5.0, 8.0


def _bare(word: str) -> str:
    return word.strip("\"'»«“”()[]").lower()


def ends_sentence(word: str) -> bool:
    bare = _bare(word)
    return bool(SENTENCE_END.search(word)) and not ORDINAL.match(bare) and bare not in ABBREVIATIONS


def break_penalty(before: str, after: str) -> float:
    """Cost of a line or cue break between two words; FORBIDDEN where German subtitling never breaks."""
    b, a = _bare(before), _bare(after)
    if ends_sentence(before):
        return SENTENCE
    if ORDINAL.match(b) or b in ABBREVIATIONS or b in HONORIFICS:
        return FORBIDDEN  # "15. | Mai", "Dr. | Schoeller", "Herr | Muster"
    if b in TITLES:
        return WEAK  # "Oberbürgermeister | Sven Muster" is acceptable when the line is full
    if NUMBER.match(b) and (a in UNITS or a in MONTHS or NUMBER.match(a)):
        return FORBIDDEN  # "25 | Prozent", "3 | Millionen"
    if b in ARTICLES and not CLAUSE_END.search(before):
        return FORBIDDEN  # article + noun (or + adjective + noun)
    if CLAUSE_END.search(before):
        return CLAUSE
    if a in CONJUNCTIONS:
        return CONJ
    if a in PREPOSITIONS:
        return PREP
    if b in PRONOUNS:
        return WEAK  # pronoun + verb
    if _is_capitalised(before) and _is_capitalised(after):
        return NAME  # likely first + last name ("Sven Muster"): only when nothing else fits
    if before[:1].islower() and _is_capitalised(after) and b.endswith(("e", "en", "er", "es", "em")):
        return WEAK  # adjective + noun ("neue Brücke")
    return NEUTRAL


def _is_capitalised(word: str) -> bool:
    w = word.strip("\"'»«“”()[]")
    return bool(w[:1].isupper()) and not CLAUSE_END.search(word) and not SENTENCE_END.search(word)
