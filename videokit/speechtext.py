"""German reference texts for generated speech (tests, benchmarks, samples): city-newsroom sentences."""

from __future__ import annotations

SENTENCES = [
    "Die Stadt saniert in diesem Sommer die Brücke am Hafen.",
    "Die Arbeiten beginnen am Montag und dauern etwa drei Wochen.",
    "Busse fahren in dieser Zeit eine Umleitung über die Wilhelmsstraße.",
    "Autofahrer sollen die Innenstadt nach Möglichkeit meiden.",
    "Der neue Spielplatz im Stadtpark wird am Freitag eröffnet.",
    "Kinder und Eltern sind herzlich eingeladen.",
    "Im Rathaus gibt es ab nächster Woche längere Öffnungszeiten.",
    "Termine können ab sofort online gebucht werden.",
    "Die Feuerwehr bedankt sich bei allen Helferinnen und Helfern.",
    "Am Wochenende findet der große Wochenmarkt auf dem Marktplatz statt.",
    "Die Bibliothek bietet neue Kurse für Senioren an.",
    "Wir wünschen Ihnen einen schönen Tag.",
]


def text_of(n_sentences: int, offset: int = 0) -> str:
    return " ".join(SENTENCES[(offset + i) % len(SENTENCES)] for i in range(n_sentences))
