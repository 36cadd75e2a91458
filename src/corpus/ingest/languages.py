"""Languages: the one place that says which languages the corpus records and which the analyses support.

The corpus records any language by its ISO 639-1 code (:data:`ISO_639_1`): a French page is
``fr`` and stays in the corpus. The analyses (tokenizers, stopword lists, codebook patterns,
notebook parameters) support the languages of :data:`LANGUAGES` only, and select nothing else.
Every stage takes its language set from here.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from corpus.errors import ParameterError

Language = Literal["en", "ru", "uk"]
#: ISO 639-1 codes of the languages the analyses support, in a fixed order.
LANGUAGES: Final[tuple[Language, ...]] = get_args(Language)
#: English names of the languages (also Lingua's names for them, in upper case).
LANGUAGE_NAMES: Final[dict[Language, str]] = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}
#: Every ISO 639-1 code (the 183 two-letter codes of the standard, plus ``sh``), sorted: the
#: languages the corpus can record.
ISO_639_1: Final[frozenset[str]] = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy
    hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li
    ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa
    pi pl ps pt qu rm rn ro ru rw sa sc sd se sg sh si sk sl sm sn so sq sr ss st su sv sw ta te tg
    th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split()
)


def is_supported(language: str) -> bool:
    """Whether the analyses support ``language`` (one of :data:`LANGUAGES`)."""
    return language in LANGUAGES


def check_language(language: str) -> Language:
    """Return ``language`` as a :data:`Language`, or raise naming the allowed codes.

    Raises:
        ParameterError: If ``language`` is not one of :data:`LANGUAGES`.
    """
    for known in LANGUAGES:
        if language == known:
            return known
    raise ParameterError(f"language {language!r} is not supported: use one of {list(LANGUAGES)}")
