"""Offline language identification with Lingua: any language it knows, recorded as ISO 639-1 codes.

Two detectors, both from models inside the wheel (nothing is fetched): a cheap pass over all of
Lingua's languages in low-accuracy mode, reliable on paragraphs, and an accurate detector
restricted to English, Russian and Ukrainian, reliable on one-line texts. Cyrillic texts go to
the accurate one (telling Russian from Ukrainian is what matters here) unless the cheap pass,
on a long text, names another Cyrillic language; short Latin-script texts (a subheading, a
headline) take the language of the Latin-script text around them, which is long enough to tell.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

import lingua

from corpus.ingest.languages import LANGUAGE_NAMES

#: Below this many characters the cheap all-language pass is unreliable.
SHORT = 120
#: Lingua's language for each language the accurate detector knows (Lingua names them in upper case).
_ACCURATE = [getattr(lingua.Language, name.upper()) for name in LANGUAGE_NAMES.values()]


def _code(language: lingua.Language) -> str:
    return language.iso_code_639_1.name.lower()


@cache
def _accurate() -> lingua.LanguageDetector:
    return lingua.LanguageDetectorBuilder.from_languages(*_ACCURATE).build()


@cache
def _any_language() -> lingua.LanguageDetector:
    return lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@lru_cache(maxsize=4096)  # a page's texts are detected again with its headline: answer from memory
def _cheap(text: str) -> str | None:
    found = _any_language().detect_language_of(text)
    return _code(found) if found is not None else None


@lru_cache(maxsize=4096)
def _cyrillic(text: str) -> str:
    if len(text) >= SHORT:
        cheap = _cheap(text)
        if cheap is not None and cheap not in LANGUAGE_NAMES:
            return cheap  # Bulgarian, Belarusian, Serbian …: not to be forced into ru/uk
    found = _accurate().detect_language_of(text)
    return _code(found) if found is not None else "ru"


def detect_many(texts: Sequence[str]) -> list[str]:
    """Detect the language of each text, as ISO 639-1 codes.

    One text at a time: Lingua's parallel variant loads the same models in several threads at
    once; the build parallelizes across seeds instead.

    Args:
        texts: The texts of one page, e.g. the paragraphs and headline of its articles.

    Returns:
        One code per text, in order. A text without letters takes the language of the others.
    """
    latin = " ".join(t for t in texts if _has_letters(t) and not _has_cyrillic(t))
    context = (_cheap(latin) or "en") if latin else "en"
    out = []
    for text in texts:
        if _has_cyrillic(text):
            out.append(_cyrillic(text))
        elif len(text) >= SHORT and _has_letters(text):
            out.append(_cheap(text) or context)
        else:
            out.append(context)
    letters = [code for text, code in zip(texts, out, strict=True) if _has_letters(text)]
    fallback = dominant(letters, [1] * len(letters)) if letters else context
    return [code if _has_letters(text) else fallback for text, code in zip(texts, out, strict=True)]


def detect(text: str) -> str:
    """Detect the language of one text (see :func:`detect_many`)."""
    return detect_many([text])[0]


def dominant(languages: Sequence[str], weights: Sequence[int]) -> str:
    """The language covering the most characters, ties broken alphabetically."""
    totals: dict[str, int] = {}
    for language, weight in zip(languages, weights, strict=True):
        totals[language] = totals.get(language, 0) + weight
    return max(sorted(totals), key=lambda k: totals[k])
