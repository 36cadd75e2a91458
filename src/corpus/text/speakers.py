"""Speakers of speech acts: the candidates an attribution can name, and which one it names.

The rules are those of :mod:`corpus.text.speech` (see its docstring): candidates are the
codebook's actors, other personal names and references (pronouns, titles, institution words);
:func:`find_speaker` chooses among them for one marker; references resolve to the speaker of
the act before or to the actor last named.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from corpus.ingest.languages import Language
from corpus.text.quotations import (
    Quotation,
    is_adjective,
    is_nominative,
    names,
    quotations,
    references,
    word_count,
)  # fmt: skip

Confidence = Literal["high", "medium", "low"]
CONFIDENCES: Final[tuple[Confidence, ...]] = ("high", "medium", "low")
UNRESOLVED: Final[str] = "unresolved"
UNKNOWN: Final[str] = "unknown"


def regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


#: Markers that introduce their source: the speaker comes after them.
_SOURCE_AFTER = regex(
    r"according\s+to|citing|in\s+(?:his|her|their)\s+words|по\s+(?:\w+\s+)?(?:словам|данным|мнению|"
    r"информации)|согласно|со\s+ссылкой|цитат\w*\s+по|переда[её]т|передают|привод\w+|сообщает|сообщают|"
    r"за\s+(?:\w+\s+)?(?:словами|даними|інформацією)|на\s+думку|з\s+посиланням|повідомляє|пише"
)
#: Source credits: acts of their own even inside another act's sentence.
CREDIT = regex(r"citing|цитат\w*\s+по|переда[её]т|передают|привод\w+|сообщает|сообщают|повідомляє|пише")
PARTICIPLE = regex(
    r"\w+ing|заяв(?:ив|ивши)|добавив|отметив|подчеркнув|назвав|сказав|уточнив|обещая|предлагая|ссылаясь|"
    r"заявивши|додавши|зазначивши|наголосивши|назвавши|вказавши|повідомивши"
)
#: Markers of saying whose object is the addressee, never the speaker ("told Reuters").
_TOLD = regex(r"told|tells|сказал\w*|сообщил\w*|сказав\w*|повідомив\w*")
_IMPERSONAL = regex(
    r"отмечается|сообщается|сообщалось|как\s+было\s+объявлено|стало\s+известно|по\s+прогнозам|"
    r"зазначається|як\s+зазначається|повідомляється|як\s+ідеться|it\s+was\s+(?:reported|announced)"
)
_UNKNOWN_SOURCE = regex(r"ранее|раніше|earlier|как\s+было|по\s+прогнозам")
ABOUT = re.compile(r"\W*(?P<about>об\s+этом|про\s+це|this\s+was)\b", re.IGNORECASE)

#: Rank of a speaker candidate: people first, then institutions and media, then countries.
_RANK: Final[dict[str, float]] = {"person": 0, "institution": 1, "media": 1, "country": 2}


@dataclass(frozen=True)
class Block:
    """A paragraph (or line) of an article with the codebook's mentions in it."""

    text: str
    language: Language
    mentions: tuple[tuple[str, int, int], ...]  # (concept_id, start, end)


@dataclass(frozen=True)
class Act:
    """One speech act: where its words are, its kind, its speaker and how sure the attribution is."""

    block: int
    segments: tuple[tuple[int, int, int], ...]  # (block, start, end) of the quoted words or the clause
    kind: Literal["direct", "reported"]
    marker: str
    speaker: str
    speaker_text: str
    basis: str
    confidence: Confidence
    resolved_from: int | None = None

    @property
    def shown(self) -> bool:
        """Whether the attribution is confident enough to be shown (high or medium)."""
        return self.speaker != UNRESOLVED and self.confidence != "low"


@dataclass(frozen=True)
class Candidate:
    block: int
    start: int
    end: int
    text: str
    rank: float
    speaker: str = ""  # empty: a reference to resolve
    ref: str = ""  # person | female | institution
    subgroup: str = ""
    subject: bool = False  # the first person named in its sentence


@dataclass(frozen=True)
class Marker:
    block: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Who:
    """An attribution: speaker id, the words naming it, basis, confidence, block of the antecedent."""

    speaker: str
    text: str
    basis: str
    confidence: Confidence
    source: int | None = None


@dataclass
class State:
    """What the walk through an article has seen so far."""

    blocks: Sequence[Block]
    subgroups: Mapping[str, str]
    markers: frozenset[str]
    named: list[Candidate] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)


def candidates(state: State, index: int, quotes: list[Quotation]) -> list[Candidate]:
    """Speaker candidates of a block: actor mentions, other names, references.

    A title wins over the words inside it ("Russian President", «Глава Білого дому»); a title
    in apposition to the name after it gives way to the name; a country adjective qualifying a
    noun ("Ukrainian media", «американських ЗМІ») is not a speaker.
    """
    block, subgroups = state.blocks[index], state.subgroups
    refs = references(block.text, block.language)
    markers = {a for c, a, _ in block.mentions if c in state.markers}
    found = [
        Candidate(index, a, b, block.text[a:b], _rank(block, subgroups[c], a, b), c, subgroup=subgroups[c])
        for c, a, b in block.mentions
        if c in subgroups
        and not any(r0 <= a and b <= r1 and kind != "institution" for r0, r1, kind in refs)
        and not (subgroups[c] == "country" and _qualifier(block, b, markers))
    ]
    taken = [(a, b) for _, a, b in block.mentions] + [(a - 1, b + 1) for a, b in quotations(block.text)]
    known = frozenset(c.speaker for c in state.named)
    for n in names(block.text, block.language, taken=taken, known=known):
        rank = _rank(block, "person", n.start, n.end)
        found.append(Candidate(index, n.start, n.end, n.text, rank, n.speaker, subgroup="person"))
    for a, b, kind in refs:
        if any(c.start < b and a < c.end for c in found):
            continue
        if kind != "institution" and any(0 <= c.start - b <= 30 and c.rank < 1 for c in found if c.speaker):
            continue  # a title in apposition to the name that follows it
        rank = 1.1 if kind == "institution" else 0.1
        found.append(Candidate(index, a, b, block.text[a:b], rank, "", kind, subgroup="reference"))
    found.sort(key=lambda c: c.start)
    # "Putin Envoy", "Putin's envoy": the name owns the title, it is not the speaker
    owners = {
        i
        for i, c in enumerate(found[:-1])
        if c.speaker and not found[i + 1].speaker and 0 <= found[i + 1].start - c.end <= 3
    }
    return [c for i, c in enumerate(found) if i not in owners]


_SIDE = regex(r"\s+(?:side|authorities|government|сторон\w*|власт\w*|правительств\w*|уряд\w*)")


def _qualifier(block: Block, end: int, markers: set[int]) -> bool:
    """Whether a country word ending at ``end`` qualifies the noun after it (not the side or government)."""
    rest = block.text[end : end + 30]
    if _SIDE.match(rest) or any(end < m <= end + 2 for m in markers):
        return False
    following = re.match(r"\s+(\w+)", rest)
    if following is None:
        return False
    word = following.group(1)
    if block.language == "en":
        verbs = r"(?:has|had|have|is|was|were|will|would|could|should|can|may|might|must|also|then|did|does|do)\b"
        return word[:1].islower() and not re.match(verbs, word)
    return is_adjective(block.text[:end].split()[-1], block.language) if block.text[:end].split() else False


def subjects(cands: list[Candidate], units: list[tuple[int, int]]) -> list[Candidate]:
    """The candidates with the first named person of each sentence marked as its subject."""
    firsts = set()
    for a, b in units:
        people = [i for i, c in enumerate(cands) if a <= c.start < b and c.speaker and c.subgroup == "person"]
        firsts.update(people[:1])
    return [replace(c, subject=True) if i in firsts else c for i, c in enumerate(cands)]


def _rank(block: Block, subgroup: str, start: int, end: int) -> float:
    last = block.text[start:end].split()[-1] if block.text[start:end].split() else ""
    penalty = 0.0 if is_nominative(last.strip("'’"), block.language) else 0.5
    return _RANK[subgroup] + penalty


def _resolve(state: State, ref: Candidate) -> tuple[str, int | None]:
    """The speaker a reference stands for (see the module docstring)."""
    text = state.blocks[ref.block].text
    possessor = re.search(r"[\w'’]+\s*$", text[max(0, ref.start - 30) : ref.start])
    before = [
        c
        for c in state.named
        if (c.block, c.start) < (ref.block, ref.start)
        and not (c.block == ref.block and 0 <= ref.start - c.end <= 3 and possessor)
    ]
    if ref.ref == "institution":
        pool = [c for c in before if c.subgroup == "institution"] or [c for c in before if c.subgroup == "media"]
        return (pool[-1].speaker, pool[-1].block) if pool else (UNRESOLVED, None)
    previous = state.acts[-1] if state.acts else None
    if previous is not None and previous.speaker not in (UNRESOLVED, UNKNOWN) and previous.block >= ref.block - 2:
        person = any(c.speaker == previous.speaker and c.subgroup == "person" for c in state.named)
        female = previous.speaker.startswith("other:") and previous.speaker.endswith("a")
        if person and (ref.ref != "female" or female):
            return previous.speaker, previous.block
    pool = [c for c in before if c.subgroup == "person"]
    if ref.ref == "female":
        pool = [c for c in pool if c.speaker.endswith("a")] or pool
    if not pool:
        return UNRESOLVED, None
    subjects = [c for c in pool if c.subject and c.rank == 0]
    chosen = subjects[-1] if subjects and subjects[-1].block >= pool[-1].block - 1 else pool[-1]
    return chosen.speaker, chosen.block


def pick(pool: list[Candidate], *, nearest_to: int | None) -> Candidate | None:
    if not pool:
        return None
    best = min(c.rank for c in pool)
    top = [c for c in pool if c.rank == best]
    return min(top, key=lambda c: abs(nearest_to - c.end)) if nearest_to is not None else top[0]


def finish(state: State, c: Candidate | None) -> Who:
    """The attribution to a chosen candidate (a reference resolved)."""
    if c is None:
        return Who(UNRESOLVED, "", "none", "low")
    if c.speaker:
        return Who(c.speaker, c.text, "named", "high")
    speaker, source = _resolve(state, c)
    return Who(speaker, c.text, "reference", "medium" if speaker != UNRESOLVED else "low", source)


def _inverted(head: str, language: Language) -> bool:
    """Whether the attribution follows the words: after a quotation or a dash, or (ru, uk) a comma."""
    tail = head.rstrip()
    if not tail:
        return False
    if tail[-1] in "–—-" or tail.rstrip(",.").endswith(("”", "»", '"')):
        return True
    return language != "en" and tail[-1] == ","


def find_speaker(
    state: State, mark: Marker, clause: tuple[int, int], cands: list[Candidate], previous: Act | None
) -> Who:
    """The speaker of the act a marker opens (see the module docstring for the rules)."""
    block = state.blocks[mark.block]
    text = mark.text.strip()
    if _IMPERSONAL.search(text):
        if previous is None or _UNKNOWN_SOURCE.search(block.text[max(0, mark.start - 12) : mark.end]):
            return Who(UNKNOWN, "", "impersonal", "medium")
        return Who(previous.speaker, "", "impersonal", "low", previous.block)
    between = re.compile(r",|\b(?:что|що|that|чтобы|щоб)\b")
    after = [
        c for c in cands if mark.end <= c.start <= mark.end + 100 and not between.search(block.text[mark.end : c.start])
    ]
    if _SOURCE_AFTER.fullmatch(text):
        inside = [c for c in cands if mark.start <= c.start and c.end <= mark.end]
        return finish(state, inside[0] if inside else _first(after))
    head = block.text[clause[0] : mark.start]
    participle = bool(PARTICIPLE.fullmatch(text))
    same = previous is not None and previous.block == mark.block and bool(previous.marker)
    if same and previous is not None and (participle or re.search(r"\b(?:and|и|та|і|й|а\s+также)\s*$", head)):
        return Who(previous.speaker, previous.speaker_text, previous.basis, previous.confidence, previous.resolved_from)
    start = clause[0] + _subject_start(head, block.language)
    before = [c for c in cands if start <= c.start and c.end <= mark.start]
    inverted = _inverted(head, block.language)
    if _TOLD.fullmatch(text) and not inverted:
        after = []  # "told Reuters": the addressee
    if block.language == "en" and not inverted:
        after = [c for c in after if re.match(r"\s*(?:[,.;:]|$|on\s|in\s|at\s|to\s)", block.text[c.end :])]
    best_before = pick(before, nearest_to=None if participle else mark.start)
    best_after = pick(after, nearest_to=mark.end)
    about = ABOUT.match(head) is not None
    if best_after is not None and (
        inverted
        or (about and best_after.rank <= (best_before.rank if best_before else 9))
        or best_before is None
        or (block.language != "en" and best_before.rank % 1 >= 0.5 and best_after.rank < best_before.rank)
    ):
        return finish(state, best_after)
    return finish(state, best_before)


def _first(pool: list[Candidate]) -> Candidate | None:
    """The first candidate, or the one right after it when the first is a country word qualifying it."""
    if len(pool) > 1 and pool[0].subgroup == "country" and pool[1].start - pool[0].end <= 2:
        return pool[1]
    return pool[0] if pool else None


def _subject_start(head: str, language: Language) -> int:
    """Where the subject of a marker may start in ``head`` (the clause before it).

    After "Об этом" / «Про це»; in English, after the last comma when what follows it is a
    short trailing attribution (", the Russian Foreign Ministry said"), not a relative clause.
    """
    about = re.match(r"\W*(?:об\s+этом|про\s+це|this\s+was)\b", head, re.IGNORECASE)
    if about:
        return about.end()
    comma = head.rfind(",")
    if language == "en" and comma > 0:
        tail = head[comma + 1 :]
        if 1 <= word_count(tail) <= 8 and not re.match(r"\s*(?:who|which|that|where|when|while|but|and)\b", tail):
            return comma + 1
    return 0
