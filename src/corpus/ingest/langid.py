"""Offline language identification with Lingua: any language it knows, recorded as ISO 639-1 codes.

Two detectors, both from models inside the wheel (nothing is fetched): a cheap pass over all of
Lingua's languages in low-accuracy mode, reliable on paragraphs, and an accurate detector
restricted to English, Russian and Ukrainian, reliable on one-line texts (telling Russian from
Ukrainian paragraph by paragraph is what matters here). See :func:`detect_many`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache

import lingua
import regex

from corpus.ingest.languages import LANGUAGE_NAMES

#: Below this many characters the cheap all-language pass is unreliable.
SHORT = 120
#: Characters of a page's texts the cheap pass reads to tell the page's language.
CONTEXT_SAMPLE = 400
#: Lingua's language for each language the accurate detector knows (Lingua names them in upper case).
_ACCURATE = [getattr(lingua.Language, name.upper()) for name in LANGUAGE_NAMES.values()]


_CYRILLIC = regex.compile(r"[\u0400-\u04ff]")


def _code(language: lingua.Language) -> str:
    return language.iso_code_639_1.name.lower()


@cache
def _accurate() -> lingua.LanguageDetector:
    return lingua.LanguageDetectorBuilder.from_languages(*_ACCURATE).build()


@cache
def _any_language() -> lingua.LanguageDetector:
    return lingua.LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def _has_cyrillic(text: str) -> bool:
    return _CYRILLIC.search(text) is not None


def _has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@lru_cache(maxsize=4096)  # a page's texts are detected again with its headline: answer from memory
def _cheap(text: str) -> str | None:
    found = _any_language().detect_language_of(text)
    return _code(found) if found is not None else None


@lru_cache(maxsize=4096)
def _accurate_code(text: str) -> str:
    found = _accurate().detect_language_of(text)
    return _code(found) if found is not None else "ru"


def _context(texts: list[str]) -> str | None:
    """The language of a script's texts taken together (a sample of them): one cheap pass per page."""
    sample = " ".join(texts)[:CONTEXT_SAMPLE]
    return _cheap(sample) if sample else None


def detect_many(texts: Sequence[str]) -> list[str]:
    """Detect the language of each text, as ISO 639-1 codes.

    The cheap all-language pass runs once per script on the texts taken together. When it finds
    a language of the accurate detector (the usual case), Latin-script texts are English and
    Cyrillic ones go to the accurate detector one by one; otherwise (a French or Bulgarian
    page) each long text gets the cheap pass of its own and short ones the page's language.
    One text at a time: Lingua's parallel variant loads the same models in several threads at
    once; the build parallelizes across seeds instead.

    Args:
        texts: The texts of one page, e.g. the paragraphs of one article.

    Returns:
        One code per text, in order. A text without letters takes the language of the others.
    """
    latin = [t for t in texts if _has_letters(t) and not _has_cyrillic(t)]
    cyrillic = [t for t in texts if _has_cyrillic(t)]
    latin_context = _context(latin) or "en"
    cyrillic_context = _context(cyrillic)
    out = []
    for text in texts:
        if _has_cyrillic(text):
            if cyrillic_context in LANGUAGE_NAMES or cyrillic_context is None or len(text) < SHORT:
                out.append(_accurate_code(text))
            else:  # Bulgarian, Belarusian, Serbian …: never forced into ru/uk
                out.append(_cheap(text) or cyrillic_context)
        elif latin_context in LANGUAGE_NAMES:
            out.append("en")  # among the accurate detector's languages only English is written in Latin script
        elif len(text) >= SHORT and _has_letters(text):
            out.append(_cheap(text) or latin_context)
        else:
            out.append(latin_context)
    letters = [code for text, code in zip(texts, out, strict=True) if _has_letters(text)]
    fallback = dominant(letters, [1] * len(letters)) if letters else latin_context
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
