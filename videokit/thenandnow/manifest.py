"""Batch input: a CSV manifest (UTF-8 or Excel's Windows-1252 with semicolons) or a folder of *_then/*_now pairs.

Each row is validated on its own: a bad row becomes a BadRow with its number and reason, the others go on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from videokit.errors import InputError
from videokit.textfile import read_text_any

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp"}
REQUIRED = ("then", "now")
OLDEST_YEAR = 1826  # the first photograph


@dataclass(frozen=True, slots=True)
class PairItem:
    row: int
    then: Path
    now: Path
    title: str
    year_then: int
    year_now: int
    credit: str = ""
    place: str = ""
    focus: tuple[float, float] | None = None  # None: framed on the faces the photo shows (thenandnow.faces)

    @property
    def now_is_photo(self) -> bool:
        return self.now.suffix.lower() in PHOTO_SUFFIXES


@dataclass(frozen=True, slots=True)
class BadRow:
    row: int
    reason: str


def read_manifest(path: Path, this_year: int | None = None) -> tuple[list[PairItem], list[BadRow]]:
    if not path.is_file():
        raise InputError.for_file(path, "manifest not found", "a CSV file or a folder with *_then/*_now files")
    text, _encoding = read_text_any(path)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    fields = {(f or "").strip().lower() for f in reader.fieldnames or []}
    missing = [f for f in REQUIRED + ("title", "year_then") if f not in fields]
    if missing:
        raise InputError.for_file(path, f"manifest lacks column(s) {', '.join(missing)}",
                                  "columns: then;now;title;year_then;year_now;credit;place;focus")
    items: list[PairItem] = []
    bad: list[BadRow] = []
    year = this_year or dt.date.today().year
    for number, raw in enumerate(reader, start=2):  # row 1 is the header, as a spreadsheet numbers it
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        try:
            items.append(_item(row, number, path.parent, year))
        except ValueError as exc:
            bad.append(BadRow(number, str(exc)))
    return items, bad


def scan_folder(folder: Path, this_year: int | None = None) -> tuple[list[PairItem], list[BadRow]]:
    """Pairs `NAME_then.*` with `NAME_now.*`; NAME may carry the year: `koenigsplatz-1962_then.jpg`."""
    year = this_year or dt.date.today().year
    thens = sorted(p for p in folder.iterdir() if p.stem.lower().endswith("_then"))
    items: list[PairItem] = []
    bad: list[BadRow] = []
    for number, then in enumerate(thens, start=1):
        base = then.stem[:-5]
        nows = sorted(p for p in folder.iterdir() if p.stem.lower() == f"{base.lower()}_now")
        if not nows:
            bad.append(BadRow(number, f"{then.name}: no matching {base}_now file"))
            continue
        digits = [part for part in base.replace("_", "-").split("-") if part.isdigit() and len(part) == 4]
        row = {"then": then.name, "now": nows[0].name, "title": base.replace("-", " ").replace("_", " ").title(),
               "year_then": digits[-1] if digits else ""}
        if not digits:
            bad.append(BadRow(number, f"{then.name}: no year in the name (name the pair like "
                                      f"{base}-1962_then{then.suffix} and {base}-1962_now{nows[0].suffix}, "
                                      "or use a CSV manifest)"))
            continue
        try:
            items.append(_item(row, number, folder, year))
        except ValueError as exc:
            bad.append(BadRow(number, str(exc)))
    return items, bad


def _item(row: dict[str, str], number: int, base: Path, this_year: int) -> PairItem:
    then, now = base / row.get("then", ""), base / row.get("now", "")
    for label, p in (("then", then), ("now", now)):
        if not row.get(label):
            raise ValueError(f"no '{label}' file given")
        if not p.is_file():
            raise ValueError(f"{p}: file not found")
    year_then = _year(row.get("year_then", ""), "year_then", this_year)
    year_now = _year(row.get("year_now", ""), "year_now", this_year) if row.get("year_now") else this_year
    if year_now < year_then:
        raise ValueError(f"year_now {year_now} is before year_then {year_then}")
    title = row.get("title") or row.get("place") or then.stem
    return PairItem(number, then, now, title, year_then, year_now, row.get("credit", ""), row.get("place", ""),
                    _focus(row.get("focus", "")))


def _year(text: str, column: str, this_year: int) -> int:
    if not text.isdigit() or not OLDEST_YEAR <= int(text) <= this_year:
        raise ValueError(f"bad {column} '{text}' (a year between {OLDEST_YEAR} and {this_year})")
    return int(text)


def _focus(text: str) -> tuple[float, float] | None:
    """'x,y' or 'x' as fractions 0..1 of the photo (0,0 top left); None when not given (the faces decide)."""
    if not text:
        return None
    parts = text.replace(" ", "").replace(";", ",").split(",")
    try:
        values = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"bad focus '{text}' (use x,y between 0 and 1, e.g. 0.3,0.5)") from None
    x, y = (values + [0.5])[:2]
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise ValueError(f"bad focus '{text}' (use x,y between 0 and 1)")
    return x, y
