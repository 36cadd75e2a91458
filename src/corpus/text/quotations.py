"""The pieces speech attribution is built from: quotations, sentences, names and references.

* :func:`quotations`: the quoted stretches of a text (“…”, «…», „…“, "…", ‘…’), nested ones
  inside their outer quotation, an unclosed one running to the end of the text;
* :func:`sentence_spans`: sentences (:func:`corpus.text.nlp.sentences`), also split where a page
  dump glued two sentences together ("Thursday.Putin");
* :func:`names`: capitalised personal names outside the codebook ("Dmitry Peskov",
  «Мария Захарова»), each with a language-independent id (``other:Peskov``, ``other:Zakharova``):
  the surname in the nominative, transliterated from Cyrillic;
* :func:`references`: words that stand for an actor named elsewhere: pronouns ("he", «он»),
  titles ("the president", «глава МИД», «пресс-секретарь») and institution words ("the
  ministry", «там»), to be resolved to the actor last named.

Word lists here are linguistic resources curated for news language, like the abbreviations of
:mod:`corpus.text.nlp`; nothing in them names a source or a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

import pymorphy3

from corpus.ingest.languages import Language
from corpus.text import nlp

Quotation = tuple[int, int]  # the quoted words: [start, end) without the marks

_OPEN_CLOSE: Final[dict[str, str]] = {"“": "”", "«": "»", "„": "“”", '"': '"', "‘": "’"}


def quotations(text: str) -> list[Quotation]:
    """The top-level quotations of ``text`` (the words between the marks), in order.

    Nested quotations stay inside their outer one; a quotation still open at the end of the
    text (one running on into the next paragraph) ends there. ‘…’ opens only before a letter
    and closes only before a non-letter, so apostrophes (Russia’s) are not quotation marks.
    """
    found: list[Quotation] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if stack and ch in _OPEN_CLOSE[stack[-1][0]] and not (ch == "’" and after.isalpha()):
            _, start = stack.pop()
            if not stack:
                found.append((start, i))
        elif ch in _OPEN_CLOSE and not (ch in '‘"' and (before.isalnum() or not after.strip())):
            stack.append((ch, i + 1))
    if stack:
        found.append((stack[0][1], len(text)))
    return found


def word_count(text: str) -> int:
    """The number of word tokens (with a letter) in ``text``."""
    return sum(1 for token in nlp.tokenize(text) if nlp.is_word(token))


_GLUED = re.compile(r"(?<=[a-zа-яёіїєґ\d][.!?])(?=[A-ZА-ЯЁІЇЄҐ“«\"])|(?<=[a-zа-яёіїєґ][.!?][”»\"])(?=[A-ZА-ЯЁІЇЄҐ])")


def sentence_spans(text: str, language: Language) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``(start, end)``, glued sentences ("Thursday.Putin") split too."""
    spans = []
    for s in nlp.sentences(text, language):
        start = s["start"]
        for cut in _GLUED.finditer(s["text"]):
            spans.append((start, s["start"] + cut.start()))
            start = s["start"] + cut.start()
        spans.append((start, s["end"]))
    return spans


# ------------------------------------------------------------------------- names

_CAPITALISED = re.compile(r"[A-ZА-ЯЁІЇЄҐ][\w'’-]*(?:\s+[A-ZА-ЯЁІЇЄҐ][\w'’-]*){0,5}")
#: Capitalised words that are never names in speaker position.
_NOT_NAMES: Final[frozenset[str]] = frozenset(
    {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "telegram", "twitter", "facebook", "instagram", "truth", "social", "президент", "президента",
        "глава", "министр", "представитель", "помощник", "пресс-секретарь", "госсекретарь", "спикер",
        "україни", "держсекретар", "речник", "заступник", "міністр", "прем'єр", "ранее", "также", "кроме",
        "впрочем", "однако", "при", "этом", "тогда", "раніше", "також", "крім", "однак", "водночас",
        "напомним", "нагадаємо"
    }
)  # fmt: skip

_RU_LETTERS: Final[dict[str, str]] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "'": "", "’": "",
}  # fmt: skip
#: Ukrainian spells English г-names with г (Піготт: Pigott), so г stays g in both languages.


@cache
def _morph(language: Literal["ru", "uk"]) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=language)


@cache
def surname_nominative(word: str, language: Language) -> str:
    """A Cyrillic surname in the nominative, keeping its gender («Пескова» → «песков», «Захаровой» → «захарова»)."""
    lowered = word.lower()
    if language == "en" or not re.search("[а-яёіїєґ]", lowered):
        return word
    for parse in _morph("uk" if language == "uk" else "ru").parse(lowered):
        if "Surn" in parse.tag:
            inflected = parse.inflect({"nomn", "sing"})
            return str(inflected.word) if inflected is not None else str(parse.normal_form)
    return lowered


def transliterate(word: str) -> str:
    """A Cyrillic word in Latin letters (BGN/PCGN-like), capitalised; a Latin word is kept as written."""
    if not re.search("[а-яёіїєґ]", word.lower()):
        return word
    latin = "".join(_RU_LETTERS.get(ch, ch) for ch in word.lower())
    return latin[:1].upper() + latin[1:]


def other_id(surname: str, language: Language) -> str:
    """The language-independent id of a speaker outside the codebook: ``other:`` and the surname."""
    return "other:" + transliterate(surname_nominative(surname, language))


def _tags(word: str, language: Language) -> list[set[str]]:
    parses = _morph("uk" if language == "uk" else "ru").parse(word.lower())
    return [set(str(p.tag).replace(" ", ",").split(",")) | ({"known"} if p.is_known else set()) for p in parses[:4]]


def _cyrillic(word: str) -> bool:
    return re.search("[а-яёіїєґ]", word.lower()) is not None


def is_nominative(word: str, language: Language) -> bool:
    """Whether a Cyrillic word can be in the nominative (a sentence's subject); Latin words always."""
    if language == "en" or not _cyrillic(word):
        return True
    if _SURNAME_NOMINATIVE.search(word.lower()):
        return True
    return any("nomn" in t or "Fixd" in t for t in _tags(word, language))


#: English words before a name that make it a person's name: titles and roles.
_EN_TITLE = re.compile(
    r"(?:spokes(?:man|woman|person)|minister|secretary|envoy|adviser|advisor|aide|ambassador|president|chairman|"
    r"director|head|chief|deputy|official|senator|congress(?:man|woman)|representative|negotiator|commissioner|"
    r"leader|premier|mayor|governor|analyst|expert|counterpart|Mr\.|Ms\.|Mrs\.|Dr\.)\s+(?:[A-Z][\w'’-]*\s+)?$"
)
#: English words after a name that make it a speaker's name: a verb of saying.
_EN_SAYS = re.compile(
    r"^(?:['’]s\s+\w+\s+)?\s*(?:has\s+|had\s+|also\s+|later\s+|then\s+)?(?:said|says|told|tells|stated|added|noted|"
    r"stressed|explained|recalled|responded|replied|declared|announced|confirmed|acknowledged|wrote|writes|warned|"
    r"insisted|argued|claimed|called|urged|suggested|described|commented|remarked|emphasi[sz]ed|pointed)\b"
)


#: Endings of Russian and Ukrainian surnames, in any case form.
_SURNAME = re.compile(
    r"(?:ов|ев|ёв|ин|ын)(?:а|у|ым|ом|е|ой|ою|им|ім|і|ої|ую)?$|(?:ск|цк|зьк|цьк|ськ)(?:ий|ого|ому|им|ом|ая|ой|ую|а|у|ої|ій|ою)$|"
    r"енк(?:о|а|у|ом)$|(?:ук|юк|чук)(?:а|у|ом|ові)?$"
)


_SURNAME_NOMINATIVE = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ина|ский|цкий|ская|ський|цький|ська|енко|ук|юк)$")


def is_name_word(word: str, language: Language) -> bool:
    """Whether a capitalised word can be part of a personal name.

    Never a stopword, weekday, month or title word. In English any other capitalised word (see
    :func:`names`). In Russian and Ukrainian text, a first name, surname or patronymic the
    dictionary knows first, a noun with a surname's ending (-ов, -ин, -ский, -енко … in any case),
    or a word the dictionary does not know (a foreign name); never a place, an organisation, an
    adjective or a verb.
    """
    lowered = word.lower()
    if lowered in _NOT_NAMES or nlp.is_stopword(word, language) or not word[:1].isupper() or len(word) < 2:
        return False
    if language == "en" or not _cyrillic(word):
        return True  # English names are told from other capitalised words by their context (names())
    tags = _tags(word, language)
    if not tags or "known" not in tags[0]:
        return True  # a word the dictionary does not know: a foreign name
    if {"Surn", "Name", "Patr"} & tags[0]:
        return True
    if any({"Geox", "Orgn", "Abbr", "Trad"} & t for t in tags) or {"ADJF", "VERB", "INFN", "PRTF", "ADVB"} & tags[0]:
        return False
    return _SURNAME.search(lowered) is not None


@dataclass(frozen=True)
class Name:
    """A personal name in a text, with the id of the person it names."""

    start: int
    end: int
    text: str
    speaker: str


def _runs(words: list[tuple[int, str]], language: Language) -> list[list[tuple[int, str]]]:
    runs: list[list[tuple[int, str]]] = [[]]
    for start, word in words:
        if is_name_word(word.strip("'’-,.:;"), language):
            runs[-1].append((start, word.rstrip(",.:;")))
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if r]


def names(
    text: str, language: Language, *, taken: list[tuple[int, int]], known: frozenset[str] = frozenset()
) -> list[Name]:
    """Personal names in ``text`` outside the stretches ``taken`` (mentions, quotations).

    A name is a run of capitalised name words (:func:`is_name_word`). In English, where
    capitals also mark places and organisations, a run counts only after a title ("spokesman
    Dmitry Peskov"), before a verb of saying ("Peskov said"), or when its id is ``known``
    (named so earlier in the article).
    """
    found = []
    for m in _CAPITALISED.finditer(text):
        words = [(m.start() + w.start(), w.group()) for w in re.finditer(r"\S+", m.group())]
        for run in _runs(words, language):
            start, end = run[0][0], run[-1][0] + len(run[-1][1])
            if any(a < end and start < b for a, b in taken):
                continue
            speaker = other_id(re.sub(r"['’]s?$", "", run[-1][1]), language)
            if (
                language == "en"
                and speaker not in known
                and not (_EN_TITLE.search(text[max(0, start - 40) : start]) or _EN_SAYS.match(text[end:]))
            ):
                continue
            found.append(Name(start, end, text[start:end], speaker))
    return found


# ------------------------------------------------------------------------- references

RefKind = Literal["person", "female", "institution"]

_REFERENCES: Final[dict[str, tuple[tuple[str, RefKind], ...]]] = {
    "en": (
        (r"(?:he|his|him)", "person"),
        (r"(?:she|her)", "female"),
        (r"(?:the\s+)?(?:Russian\s+|US\s+|U\.S\.\s+|American\s+|Ukrainian\s+)?(?:president|leader|minister|"
         r"foreign\s+minister|spokes(?:man|woman|person)|envoy|diplomat|official|negotiator|POTUS)", "person"),
        (r"the\s+(?:ministry|department|statement|agency|administration|embassy)", "institution"),
    ),
    "ru": (
        (r"(?:он|его|ему|им)", "person"),
        (r"(?:она|её|ее|ей)", "female"),
        (r"(?:(?:российск|американск|украинск)\w*\s+(?:диктатор|лидер|президент)\w*|глава\s+МИД\w*|пресс-секретар\w+(?:\s+президента)?|замминистра|министр\w*|представител\w+\s+"
         r"(?:Кремля|МИД\w*)|российск\w+\s+лидер\w*|американск\w+\s+лидер\w*|президент\w*(?:\s+(?:США|РФ|России))?|"
         r"(?:спец)?посланник\w*|дипломат)", "person"),
        (r"(?:там|в\s+(?:российском\s+|американском\s+)?(?:министерстве|ведомстве)|министерств\w+|ведомств\w+)",
         "institution"),
    ),
    "uk": (
        (r"(?:він|його|йому|ним)", "person"),
        (r"(?:вона|її|їй)", "female"),
        (r"(?:(?:російськ|американськ|українськ)\w*\s+(?:диктатор|лідер|президент)\w*|держсекретар\w*|глава\s+(?:МЗС|Білого\s+дому)|речни\w+|заступни\w+\s+міністра|міністр\w*|американськ\w+\s+лідер\w*|"
         r"російськ\w+\s+лідер\w*|президент\w*(?:\s+(?:США|РФ|Росії|України))?|(?:спец)?посланц\w*|дипломат)",
         "person"),
        (r"(?:там|в\s+(?:російському\s+|американському\s+)?(?:міністерстві|відомстві)|міністерств\w+|відомств\w+)",
         "institution"),
    ),
}  # fmt: skip


@cache
def _reference_regex(language: Language) -> tuple[tuple[re.Pattern[str], RefKind], ...]:
    return tuple((re.compile(rf"(?<!\w){p}(?!\w)", re.IGNORECASE), kind) for p, kind in _REFERENCES.get(language, ()))


def references(text: str, language: Language) -> list[tuple[int, int, RefKind]]:
    """Pronouns, titles and institution words of ``text`` (``start``, ``end``, kind), in order."""
    found = [(m.start(), m.end(), kind) for regex, kind in _reference_regex(language) for m in regex.finditer(text)]
    found.sort()
    kept: list[tuple[int, int, RefKind]] = []
    for ref in found:
        if not kept or ref[0] >= kept[-1][1]:
            kept.append(ref)
    return kept


def is_adjective(word: str, language: Language) -> bool:
    """Whether a Cyrillic word is (most probably) an adjective: «американских», «российского»."""
    if language == "en" or not _cyrillic(word):
        return False
    tags = _tags(word, language)
    return bool(tags) and "ADJF" in tags[0]
