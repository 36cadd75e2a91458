"""Offline language identification among the corpus's languages (:mod:`corpus.ingest.languages`) with Lingua.

Lingua is restricted to the three languages: restricted, it is reliable on one-line texts and
small in memory; its models ship inside the wheel, so nothing is fetched.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import lingua

from corpus.ingest.languages import LANGUAGE_NAMES, Language

#: Lingua's language for each of the corpus's languages (Lingua names them in upper case).
_CODES: dict[lingua.Language, Language] = {
    getattr(lingua.Language, name.upper()): code for code, name in LANGUAGE_NAMES.items()
}


@cache
def _detector() -> lingua.LanguageDetector:
    return lingua.LanguageDetectorBuilder.from_languages(*_CODES).build()


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def detect_many(texts: Sequence[str]) -> list[Language]:
    """Detect the language of each text.

    A text without a Cyrillic letter is English: among en/ru/uk only English is written in
    Latin script, and answering so spares the detector. Texts it cannot decide fall back on the
    script as well (Russian for Cyrillic), which only happens for texts without letters.

    Args:
        texts: The texts, e.g. the paragraphs of one article.

    Returns:
        One code per text, in order.
    """
    cyrillic = [i for i, t in enumerate(texts) if _has_cyrillic(t)]
    out: list[Language] = ["en"] * len(texts)
    if cyrillic:
        # One text at a time: Lingua's parallel variant loads the same models in several threads
        # at once (about 2.5 times the CPU time on a small corpus, for the same answers). The
        # build parallelizes across seeds instead.
        detector = _detector()
        for i in cyrillic:
            language = detector.detect_language_of(texts[i])
            out[i] = _CODES.get(language, "ru") if language is not None else "ru"
    return out


def detect(text: str) -> Language:
    """Detect the language of one text (see :func:`detect_many`)."""
    return detect_many([text])[0]


def dominant(languages: Sequence[str], weights: Sequence[int]) -> str:
    """The language covering the most characters, ties broken alphabetically."""
    totals: dict[str, int] = {}
    for language, weight in zip(languages, weights, strict=True):
        totals[language] = totals.get(language, 0) + weight
    return max(sorted(totals), key=lambda k: totals[k])
