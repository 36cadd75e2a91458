"""Offline, reproducible language processing for English, Russian and Ukrainian.

Nothing here downloads anything: fetching NLTK data at run time would make results depend
on whatever happened to be fetched. Every resource comes from a pinned PyPI package instead:

* word tokens: NLTK's data-free :class:`~nltk.tokenize.RegexpTokenizer` (Latin and Cyrillic);
* English sentences: NLTK's Punkt with an abbreviation list curated here (no trained model);
* Russian and Ukrainian sentences: ``razdel`` (rule-based, no data);
* stopwords: the ``stop-words`` package, minus a few words this corpus needs as content words;
* lemmas: ``pymorphy3`` with its Russian and Ukrainian dictionaries (English keeps lowercase
  word forms: NLTK's WordNet lemmatizer would need downloaded data);
* tone: the VADER analyzer of ``vaderSentiment`` with the English lexicon it ships.

Resources load lazily (``functools.cache``) so importing this module does no work.
"""

from __future__ import annotations

import importlib.metadata
import re
from functools import cache
from typing import Final, Literal, TypedDict

import pymorphy3
import razdel
import regex
import stop_words
from nltk.tokenize import PunktSentenceTokenizer, RegexpTokenizer
from nltk.tokenize.punkt import PunktParameters
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from corpus.ingest.languages import LANGUAGES, Language

#: ``stop-words`` file names per language code.
_STOP_WORDS_NAMES: Final[dict[str, str]] = {"en": "english", "ru": "russian", "uk": "ukrainian"}

#: Words the ``stop-words`` lists contain that are content words in news about US–Russia
#: relations ("US" lowercases to "us"; "states", "world", "interests" carry the topic). They are
#: kept in the text and therefore absent from the published stopword table.
KEPT_WORDS: Final[dict[str, frozenset[str]]] = {
    "en": frozenset({"us", "state", "states", "general", "world", "interest", "interests"}),
    "ru": frozenset(),
    "uk": frozenset(),
}

#: Abbreviations (lowercase, without the final period) after which Punkt must not end a
#: sentence. Curated for news English: titles, months, US states and initialisms.
ENGLISH_ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "adm", "sen",
        "rep", "gov", "pres", "amb", "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "ltd",
        "co", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "u.s", "u.k", "u.n", "e.u", "d.c", "e.g", "i.e", "a.m", "p.m", "approx",
    }
)  # fmt: skip

#: A word: letters or digits, with inner hyphens or apostrophes ("full-scale", "Russia's").
TOKEN_PATTERN: Final[str] = r"\w+(?:[-'’]\w+)*"


class Sentence(TypedDict):
    """One sentence of a text, with code-point offsets into that text."""

    start: int
    end: int
    text: str


class Tone(TypedDict):
    """VADER scores of one text: proportions and the normalized compound score."""

    neg: float
    neu: float
    pos: float
    compound: float


def package_version(distribution: str) -> str:
    """Return the installed version of a distribution (for provenance columns and the README)."""
    return importlib.metadata.version(distribution)


@cache
def _listed_stopwords(language: Language) -> tuple[str, ...]:
    words = stop_words.get_stop_words(_STOP_WORDS_NAMES[language], cache=False)
    return tuple(sorted({w.strip().lower() for w in words if w.strip()}))


@cache
def stopwords(language: Language) -> frozenset[str]:
    """The lowercase stopwords removed before counting terms in ``language``.

    Args:
        language: ``en``, ``ru`` or ``uk``.

    Returns:
        The ``stop-words`` list for the language minus :data:`KEPT_WORDS`.
    """
    return frozenset(_listed_stopwords(language)) - KEPT_WORDS[language]


def stopword_rows() -> list[dict[str, str]]:
    """Rows of the published stopword table (``corpus.package.schema.STOPWORDS``), sorted.

    Returns:
        One row per language and word actually removed, with the source package and version.
    """
    source = f"stop-words {package_version('stop-words')}"
    return [
        {"language": language, "word": word, "source": source}
        for language in LANGUAGES
        for word in sorted(stopwords(language))
    ]


@cache
def _word_tokenizer() -> RegexpTokenizer:
    return RegexpTokenizer(TOKEN_PATTERN)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Code-point spans of the word tokens of ``text`` (see :data:`TOKEN_PATTERN`)."""
    return list(_word_tokenizer().span_tokenize(text))


def tokenize(text: str) -> list[str]:
    """The word tokens of ``text``, in order, as they appear (case kept)."""
    return [text[start:end] for start, end in token_spans(text)]


def is_word(token: str) -> bool:
    """Whether a token counts as a word: it has at least one letter (numbers do not count)."""
    return any(ch.isalpha() for ch in token)


_ACRONYM = re.compile(r"[A-ZА-ЯЁІЇЄҐ]{2,}")


def is_acronym(token: str) -> bool:
    """Whether ``token`` is an all-capital acronym (US, NATO, США), never a function word."""
    return _ACRONYM.fullmatch(token) is not None


@cache
def _morph(language: Literal["ru", "uk"]) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=language)


@cache
def lemma(word: str, language: Language) -> str:
    """The lemma of one word: pymorphy3's most probable normal form for ru/uk, lowercase for en.

    Args:
        word: A single token.
        language: The language of the text the token comes from.

    Returns:
        The lowercase lemma (English: the lowercase word form itself).
    """
    lowered = word.lower()
    if language == "en":
        return lowered
    parses = _morph(language).parse(lowered)
    return str(parses[0].normal_form) if parses else lowered


def normalize(token: str, language: Language, *, form: Literal["lemma", "lower"]) -> str:
    """Normalize a token for counting: its lemma or its lowercase form."""
    return lemma(token, language) if form == "lemma" else token.lower()


def is_stopword(token: str, language: Language) -> bool:
    """Whether ``token`` (as written) is removed as a stopword; acronyms never are."""
    if is_acronym(token):
        return False
    return token.lower() in stopwords(language)


def terms(text: str, language: Language, *, form: Literal["lemma", "lower"] = "lemma") -> list[str]:
    """The countable terms of ``text``: words, without stopwords, normalized.

    Args:
        text: Any text in ``language``.
        language: ``en``, ``ru`` or ``uk``.
        form: ``lemma`` (pymorphy3 for ru/uk) or ``lower`` (lowercase word forms).

    Returns:
        Terms in text order.
    """
    return [
        normalize(token, language, form=form)
        for token in tokenize(text)
        if is_word(token) and not is_stopword(token, language)
    ]


def word_count(text: str) -> int:
    """The number of word tokens in ``text`` (stopwords included): the size used for rates."""
    # The tokens of :func:`tokenize` without NLTK's per-match timeout wrapper, spans and slices:
    # the same engine (``regex``, whose \w differs from ``re``'s on combining marks) and flags as
    # RegexpTokenizer; most tokens are all letters, which settles is_word at once.
    # finditer, not findall: one token at a time, so a long article costs no list of its tokens.
    return sum(1 for m in _token_regex().finditer(text) if (token := m.group()).isalpha() or is_word(token))


@cache
def _token_regex() -> regex.Pattern[str]:
    return regex.compile(TOKEN_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)


@cache
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(ENGLISH_ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentences(text: str, language: Language) -> list[Sentence]:
    """Split ``text`` into sentences with offsets into ``text``.

    English uses Punkt with :data:`ENGLISH_ABBREVIATIONS` (no trained parameters, so the result
    does not depend on downloaded data); Russian and Ukrainian use ``razdel``.

    Args:
        text: A paragraph or document.
        language: ``en``, ``ru`` or ``uk``.

    Returns:
        Sentences in order; whitespace between sentences belongs to none.
    """
    if language == "en":
        spans = list(_punkt().span_tokenize(text))
    else:
        spans = [(s.start, s.stop) for s in razdel.sentenize(text)]
    return [{"start": a, "end": b, "text": text[a:b]} for a, b in spans if text[a:b].strip()]


@cache
def vader() -> SentimentIntensityAnalyzer:
    """The VADER analyzer of ``vaderSentiment`` with the lexicon it ships (loaded once)."""
    return SentimentIntensityAnalyzer()


def tone(text: str) -> Tone:
    """VADER scores of an English text (VADER's lexicon is English only).

    Returns:
        ``neg``, ``neu``, ``pos`` proportions and ``compound`` in [-1, 1].
    """
    scores = vader().polarity_scores(text)
    return {
        "neg": float(scores["neg"]),
        "neu": float(scores["neu"]),
        "pos": float(scores["pos"]),
        "compound": float(scores["compound"]),
    }


def resources() -> list[dict[str, str]]:
    """The language resources in use, with installed version and licence, for reports.

    Returns:
        One row per resource: ``resource``, ``package``, ``version``, ``licence``, ``use``.
    """
    rows = [
        ("NLTK", "nltk", "Apache-2.0", "tokenizers, Punkt, collocations"),
        ("razdel", "razdel", "MIT", "Russian and Ukrainian sentence splitting"),
        ("pymorphy3", "pymorphy3", "MIT", "Russian and Ukrainian lemmatization"),
        (
            "pymorphy3 Russian dictionary",
            "pymorphy3-dicts-ru",
            "MIT (package); OpenCorpora data CC BY-SA 3.0",
            "Russian lemmas",
        ),
        (
            "pymorphy3 Ukrainian dictionary",
            "pymorphy3-dicts-uk",
            "contradictory metadata: GPLv3 (License field) vs MIT (classifier)",
            "Ukrainian lemmas",
        ),
        ("stop-words", "stop-words", "BSD-3-Clause", "stopword lists (en, ru, uk)"),
        ("VADER", "vaderSentiment", "MIT", "English tone analyzer and lexicon"),
    ]
    return [
        {
            "resource": name,
            "package": package,
            "version": package_version(package),
            "licence": licence,
            "use": use,
        }
        for name, package, licence, use in rows
    ]
