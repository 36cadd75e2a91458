"""Who says what: speech acts and their speakers, right or silent.

An article is a sequence of :class:`Block` (paragraphs, or a page's lines) with the codebook's
mentions. :func:`speech_acts` finds its speech acts and attributes each to a speaker:

* **Acts.** Every reported-speech marker of the codebook outside a quotation opens an act
  (said, «заявил», «по словам», "according to"); a participle ("saying", «заявив») opens a second
  act of the same speaker; another verb in the clause of an act, without a quotation of its own,
  is part of that act; a source credit («сообщает X», «цитата по X») is an act of its own. A
  quotation of two or more words is direct speech of the act whose marker follows it closely
  ("“…,” Putin said") or precedes it in the same sentence; a quotation with no marker continues
  the act before it, or, opening a paragraph, is a new act of the last speaker. A paragraph
  followed by a dash line («– сообщили там») or ending in a dash attribution («…, — сказал
  Песков») is direct speech; "Об этом заявил X" attributes the sentence before. A quotation is
  not speech when it names a news organisation, a programme or a forum, or is a short label
  ("principles of “indivisible security”").
* **Speakers.** The actor the attribution names: the first one after a marker introducing its
  source ("according to X", «по словам X», «сообщает X»); after the marker when it follows the
  words ("…,” said X; «…, — сказал Песков»; in Russian and Ukrainian also «…, заявил Песков»)
  or when it comes after "Об этом"/«Про це»; otherwise the best candidate of the marker's
  clause before it (people, then institutions and media, then countries; in Russian and
  Ukrainian a word that cannot be nominative ranks lower; the nearest, the first for a
  participle), or after it when a better one is there. Candidates are the codebook's actors,
  other personal names (``other:<Surname>``) and references: a pronoun or title resolves to the
  speaker of the act before when it is a person, else to the person last named (preferably as
  a subject); an institution word ("the ministry", «там») to the institution last named.
* **Confidence.** ``high``: a speaker named in the attribution; ``medium``: a resolved
  reference, a continued quotation, or ``unknown`` for an impersonal marker with no source
  («ранее сообщалось»); ``low``: an impersonal marker given the previous speaker, and every
  unresolved act. Reports show ``high`` and ``medium`` and count the rest as "speaker
  unresolved"; the precision of each basis on the gold quotes is published (``quote_quality``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from corpus.text.quotations import Quotation, quotations, sentence_spans, word_count
from corpus.text.speakers import (
    ABOUT,
    CONFIDENCES,
    CREDIT,
    PARTICIPLE,
    UNKNOWN,
    UNRESOLVED,
    Act,
    Block,
    Candidate,
    Confidence,
    Marker,
    State,
    Who,
    candidates,
    find_speaker,
    finish,
    pick,
    regex,
    subjects,
)  # fmt: skip

__all__ = ["CONFIDENCES", "UNKNOWN", "UNRESOLVED", "Act", "Block", "Confidence", "speech_acts"]

#: Markers that point back to a source of what precedes («Это следует из ответов МИД»): no new act.
_NO_ACT = regex(r"следует\s+из\s+\w+|випливає\s+з\s+\w+")
_MERGED = regex(r"citing|со\s+ссылкой|з\s+посиланням")
_DASH_START = re.compile(r"^\s*[–—-]\s+")
_DASH_BEFORE = re.compile(r"[,.!?…»”\"]?\s*[–—-]\s*$")
_TRAILING_NAME = re.compile(r"^(?P<words>.+?)\s+[-–—]\s+(?P<name>[^-–—]{2,60})$")
_LEADING_NAME = re.compile(r"^(?P<name>[^:]{2,60}):\s+(?P<words>.+)$")
_FIRST_PERSON = re.compile(r"(?<!\w)(?:I|we|my|our|я|мы|мой|наш\w*|ми|мій)(?!\w)", re.IGNORECASE)
#: Nouns after which a quotation is a name (of a programme, newspaper, forum), not speech.
_NAME_NOUN = regex(
    r"(?:program(?:me)?|show|forum|festival|campaign|conference|magazine|newspaper|operation|передач\w*|"
    r"программ\w*|форум\w*|фестивал\w*|газет\w*|издани\w*|телеканал\w*|програм\w*|видання|операци\w*|"
    r"операці\w*|журналіст\w*|журналист\w*)\s*$"
)
_LABEL_BEFORE = regex(r"(?<!\w)(?:of|about|the|a|an|its|о|об|про|по|на|в|во|у)\s*$")
_CLAUSE_BREAK = re.compile(r"[:;]")
#: What may stand between a quotation and the marker attributing it: punctuation, a dash and a
#: few words, no conjunction ("…,” Putin said"; «…», — сказал Ушаков).
_ATTRIBUTION_GAP = regex(r"[\s,.!?…”»\"’–—-]*(?:(?!while|and|but|и|а|но|та|і|однако)[\w'’-]+\s+){0,5}")


def _speech_quotes(block: Block, media: list[tuple[int, int]]) -> list[Quotation]:
    kept = []
    for start, end in quotations(block.text):
        inner = block.text[start:end]
        if word_count(inner) < 2 or any(a <= start + 1 and end - 1 <= b for a, b in media):
            continue
        before = block.text[max(0, start - 40) : max(0, start - 1)]
        if _NAME_NOUN.search(before) or (word_count(inner) <= 3 and _LABEL_BEFORE.search(before)):
            continue
        kept.append((start, end))
    return kept


def _markers(index: int, block: Block, markers: frozenset[str], quotes: list[Quotation]) -> list[Marker]:
    """The reported-speech markers outside quotations, a "citing" right after another merged into it."""
    found: list[Marker] = []
    for concept, start, end in sorted(block.mentions, key=lambda m: m[1]):
        if concept not in markers or any(a <= start < b for a, b in quotes):
            continue
        text = block.text[start:end]
        if _NO_ACT.fullmatch(text):
            continue
        if found and _MERGED.fullmatch(text) and start - found[-1].end <= 25:
            continue
        if found and re.search(r"\bas\s+$", block.text[max(0, start - 4) : start]) and text.endswith("ing"):
            continue  # "cited X as saying": one act
        found.append(Marker(index, start, end, text))
    return found


def _units(block: Block, quotes: list[Quotation]) -> list[tuple[int, int]]:
    """Sentences, merged where a quotation runs across a sentence end."""
    units: list[tuple[int, int]] = []
    for start, end in sentence_spans(block.text, block.language):
        if units and any(a < start < b or (a <= units[-1][1] and start < b <= end) for a, b in quotes if a < start):
            units[-1] = (units[-1][0], end)
        else:
            units.append((start, end))
    return units


def _assign_quotes(text: str, quotes: list[Quotation], marks: list[Marker]) -> dict[int, list[Quotation]]:
    """Quotations of a unit per marker (by index); those with no marker under -1."""
    assigned: dict[int, list[Quotation]] = {}
    for q in quotes:
        following = [
            i
            for i, m in enumerate(marks)
            if m.start >= q[1]
            and _ATTRIBUTION_GAP.fullmatch(text[q[1] : m.start])
            and not CREDIT.fullmatch(m.text.strip())
        ]
        preceding = [i for i, m in enumerate(marks) if m.end <= q[0] and not CREDIT.fullmatch(m.text.strip())]
        target = following[0] if following else (preceding[-1] if preceding else -1)
        assigned.setdefault(target, []).append(q)
    return assigned


def _act(index: int, segments: tuple[tuple[int, int, int], ...], kind: str, marker: str, who: Who) -> Act:
    return Act(
        index, segments, "direct" if kind == "direct" else "reported", marker,
        who.speaker, who.text, who.basis, who.confidence, who.source,
    )  # fmt: skip


Segments = tuple[tuple[int, int, int], ...]
Unit = tuple[int, int]


def _about_segments(state: State, index: int, unit: Unit, units: list[Unit]) -> tuple[str, Segments] | None:
    """Kind and segments of the acts of a unit opening with "Об этом" / «Про це» / "This was".

    The words are the sentence before in the same paragraph: its quotations (which become direct
    speech of these acts), or the whole sentence; at the start of a paragraph, "Об этом" itself.
    None when the sentence before has its own attribution (the unit adds no act).
    """
    s0, s1 = unit
    about = ABOUT.match(state.blocks[index].text[s0:s1])
    if about is None:
        return None
    position = units.index(unit)
    if position == 0:
        return "reported", ((index, s0 + about.start("about"), s0 + about.end("about")),)
    p0, p1 = units[position - 1]
    inside = [a for a in state.acts if a.block == index and any(p0 <= s < p1 for _, s, _ in a.segments)]
    if any(a.marker for a in inside):
        return "skip", ()
    state.acts[:] = [a for a in state.acts if a not in inside]
    if inside:
        return "direct", tuple(seg for a in inside for seg in a.segments)
    return "reported", ((index, p0, p1),)


def _unit_acts(
    state: State, index: int, unit: Unit, units: list[Unit], cands: list[Candidate], quotes: list[Quotation],
    marks: list[Marker],
) -> None:  # fmt: skip
    """Acts of one unit: one per marker (minus nested verbs), then its quotations without a marker."""
    s0, s1 = unit
    text = state.blocks[index].text
    uq, um = [q for q in quotes if s0 <= q[0] < s1], [m for m in marks if s0 <= m.start < s1]
    assigned = _assign_quotes(text, uq, um)
    about = _about_segments(state, index, unit, units) if um else None
    if about is not None and about[0] == "skip":
        return
    first = len(state.acts)
    for i, mark in enumerate(um):
        own, credit = assigned.get(i, []), bool(CREDIT.fullmatch(mark.text.strip()))
        here = len(state.acts) > first
        if here and not own and not credit and _trailing(text, mark, s1):
            del state.acts[first:]  # ", the foreign ministry said.": the earlier verbs are in its words
            here = False
        if here and not own and not credit and not PARTICIPLE.fullmatch(mark.text.strip()):
            continue  # a verb nested in the previous act's clause
        bounds = [s0, *(q[1] + 1 for q in uq if q[1] < mark.start)]
        bounds += [s0 + b.end() for b in _CLAUSE_BREAK.finditer(text[s0 : mark.start])]
        if here and own:
            bounds.append(um[i - 1].end)
        previous = state.acts[-1] if state.acts else None
        who = find_speaker(state, mark, (max(bounds), s1), cands, previous)
        dash = _DASH_BEFORE.search(text[: mark.start]) if not quotes else None
        if own:
            kind, segments = "direct", tuple((index, a, b) for a, b in own)
        elif about is not None:
            kind, segments = about
        elif dash is not None and dash.start() > 0:
            kind, segments = "direct", ((index, 0, dash.start()),)
        else:
            kind, segments = "reported", ((index, s0, s1),)
        state.acts.append(_act(index, segments, kind, mark.text, who))
    for q in assigned.get(-1, []):
        _orphan_quote(state, index, q)


def _trailing(text: str, mark: Marker, end: int) -> bool:
    """Whether a marker is a trailing attribution (", X said on Friday.", «…, заявил X.»)."""
    if PARTICIPLE.fullmatch(mark.text.strip()):
        return False
    head = text[: mark.start].rstrip()
    comma = head.rfind(",")
    segment = head[comma + 1 :]
    if comma < 0 or word_count(segment) > 8 or re.match(r"\W*(?:but|and|while|и|а|но|та|і|однако)\b", segment):
        return False
    return word_count(text[mark.end : end]) <= 8 and not re.search(r"[,;:]", text[mark.end : end].rstrip(" .!?"))


def _orphan_quote(state: State, index: int, quote: Quotation) -> None:
    """A quotation with no marker: a continued act, a new act of the last speaker, or unresolved."""
    previous = state.acts[-1] if state.acts else None
    if previous is not None and previous.kind == "direct" and previous.block == index:
        state.acts[-1] = replace(previous, segments=(*previous.segments, (index, *quote)))
    elif previous is not None and quote[0] <= 2 and previous.block >= index - 2:
        who = Who(previous.speaker, "", "continuation", "medium" if previous.shown else "low", previous.block)
        state.acts.append(_act(index, ((index, *quote),), "direct", "", who))
    else:
        state.acts.append(_act(index, ((index, *quote),), "direct", "", Who(UNRESOLVED, "", "none", "low")))


def _dash_line(state: State, index: int, cands: list[Candidate], marks: list[Marker]) -> bool:
    """A short line «– сообщили там» / «– Юрий Ушаков» attributing the paragraph before it."""
    block = state.blocks[index]
    if index == 0 or not _DASH_START.match(block.text) or word_count(block.text) > 8:
        return False
    previous = [a for a in state.acts if a.block == index - 1 and a.marker]
    if marks:
        who = find_speaker(state, marks[0], (0, len(block.text)), cands, previous[-1] if previous else None)
    else:
        who = finish(state, pick(cands, nearest_to=None))
    state.acts[:] = [a for a in state.acts if not (a.block == index - 1 and not a.marker)]
    text = state.blocks[index - 1].text
    state.acts.append(
        _act(index - 1, ((index - 1, 0, len(text.rstrip())),), "direct", marks[0].text if marks else "–", who)
    )
    return True


def _headline(state: State, index: int, cands: list[Candidate]) -> bool:
    """A line "words - Name" (reported) or "Name: words" (direct in the first person, else reported)."""
    raw = state.blocks[index].text
    offset = len(raw) - len(raw.lstrip())
    for pattern in (_TRAILING_NAME, _LEADING_NAME):
        m = pattern.match(raw.strip())
        if m is None:
            continue
        a, b = m.span("name")
        named = [c for c in cands if c.speaker and a + offset <= c.start and c.end <= b + offset]
        if not named or word_count(m.group("name")) > 4 or word_count(m.group("words")) < 3:
            continue
        kind = "direct" if pattern is _LEADING_NAME and _FIRST_PERSON.search(m.group("words")) else "reported"
        w0, w1 = m.span("words")
        state.acts.append(_act(index, ((index, w0 + offset, w1 + offset),), kind, "", finish(state, named[-1])))
        return True
    return False


def speech_acts(blocks: Sequence[Block], *, subgroups: Mapping[str, str], markers: frozenset[str]) -> list[Act]:
    """The speech acts of one article, in reading order.

    Args:
        blocks: The article's paragraphs (or lines) in order, with the codebook's mentions.
        subgroups: Subgroup (person, institution, media, country) of every actor concept.
        markers: The ids of the reported-speech concepts.

    Returns:
        One :class:`Act` per speech act, speaker ``unresolved`` when no attribution is found.
    """
    state = State(blocks, subgroups, markers)
    for index, block in enumerate(blocks):
        media = [(a, b) for c, a, b in block.mentions if subgroups.get(c) == "media"]
        quotes = _speech_quotes(block, media)
        units = _units(block, quotes)
        cands = subjects(candidates(state, index, quotes), units)
        state.named.extend(c for c in cands if c.speaker)
        marks = _markers(index, block, markers, quotes)
        if _dash_line(state, index, cands, marks):
            continue
        if not marks and not quotes and _headline(state, index, cands):
            continue
        for unit in units:
            _unit_acts(state, index, unit, units, cands, quotes, marks)
    return state.acts
