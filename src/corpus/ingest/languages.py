"""The corpus's languages: the one place that says which languages the corpus holds.

Every stage takes its language set from here: the catalog's allowed values, language detection,
the published schemas, the tokenizers and stopword lists, and the notebook parameters.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from corpus.errors import ParameterError

Language = Literal["en", "ru", "uk"]
#: ISO 639-1 codes of the corpus's languages, in a fixed order.
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
#: English names of the languages (also Lingua's names for them, in upper case).
LANGUAGE_NAMES: Final[dict[Language, str]] = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}


def check_language(language: str) -> Language:
    """Return ``language`` as a :data:`Language`, or raise naming the allowed codes.

    Raises:
        ParameterError: If ``language`` is not one of :data:`LANGUAGES`.
    """
    for known in LANGUAGES:
        if language == known:
            return known
    raise ParameterError(f"language {language!r} is not supported: use one of {list(LANGUAGES)}")
