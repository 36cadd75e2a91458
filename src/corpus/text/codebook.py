"""The codebook: the study's instrument for finding actors, topics and frames across languages.

``catalog/codebook.toml`` holds one ``[[concept]]`` table per concept with ``id``, ``group``
(``actor`` | ``topic`` | ``frame``), ``subgroup`` (see :data:`SUBGROUPS`), ``label``,
``definition`` and ``patterns`` per language (``en``, ``ru``, ``uk``). A pattern is a Python
regular expression matched case-insensitively on whole words, so ``санкци\\w*`` matches
«санкциями» and «санкций»; ``(?-i:US)`` makes a part case-sensitive. No translation happens:
each language has its own patterns for the same concept, which is what makes counts comparable
across English, Russian and Ukrainian text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Final, Literal, get_args

from corpus.errors import CatalogError
from corpus.fileio import read_toml
from corpus.ingest.languages import LANGUAGES, Language, check_language
from corpus.text.exclusions import Rule, apply_rules, checked_patterns, checked_table, parse_rules, rules_from_rows

Group = Literal["actor", "topic", "frame"]
GROUPS: Final[tuple[Group, ...]] = get_args(Group)

#: ``strict``: the codebook's context rules apply (:mod:`corpus.text.exclusions`); ``lenient``:
#: every pattern match counts.
Strictness = Literal["strict", "lenient"]

#: Allowed subgroups per group: what kind of actor, or which side of a frame.
SUBGROUPS: Final[dict[str, frozenset[str]]] = {
    "actor": frozenset({"person", "institution", "country", "media"}),
    "topic": frozenset({"topic"}),
    "frame": frozenset({"cooperation", "confrontation", "evaluative", "distancing", "reported-speech"}),
}

_ID = re.compile(r"[a-z][a-z0-9_]*")
_FIELDS: Final[frozenset[str]] = frozenset({"id", "group", "subgroup", "label", "definition", "patterns"})


@dataclass(frozen=True)
class Concept:
    """One concept of the codebook."""

    id: str
    group: Group
    subgroup: str
    label: str
    definition: str
    patterns: Mapping[Language, tuple[str, ...]]

    def regex(self, language: Language) -> re.Pattern[str] | None:
        """The compiled whole-word, case-insensitive matcher for ``language`` (None if none)."""
        found = self.patterns.get(language, ())
        if not found:
            return None
        # Alternatives are tried in order: the codebook lists longer phrases first.
        body = "|".join(f"(?:{p})" for p in found)
        return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Codebook:
    """The validated codebook: concepts in file order, with compiled matchers."""

    source: str
    concepts: tuple[Concept, ...]
    rules: tuple[Rule, ...] = ()

    @cached_property
    def by_id(self) -> dict[str, Concept]:
        """Concepts keyed by id."""
        return {c.id: c for c in self.concepts}

    @cached_property
    def matchers(self) -> dict[Language, tuple[tuple[str, re.Pattern[str]], ...]]:
        """Per language, ``(concept_id, regex)`` pairs for the concepts having patterns in it."""
        result: dict[Language, tuple[tuple[str, re.Pattern[str]], ...]] = {}
        for language in LANGUAGES:
            pairs = []
            for concept in self.concepts:
                regex = concept.regex(language)
                if regex is not None:
                    pairs.append((concept.id, regex))
            result[language] = tuple(pairs)
        return result

    def ids(self, group: Group | None = None, subgroup: str | None = None) -> list[str]:
        """Concept ids in file order, optionally restricted to a group and subgroup."""
        return [
            c.id
            for c in self.concepts
            if (group is None or c.group == group) and (subgroup is None or c.subgroup == subgroup)
        ]


def _fail(source: str, where: str, problem: str) -> CatalogError:
    return CatalogError(f"{source}: {where}: {problem}")


def _text_field(source: str, where: str, raw: Mapping[str, object], field: str) -> str:
    value = raw.get(field)
    if not isinstance(value, str) or not value.strip():
        raise _fail(source, where, f"field '{field}' must be a non-empty string, got {value!r}")
    return value.strip()


def _concept(raw: object, *, index: int, source: str) -> Concept:
    """Check one ``[[concept]]`` table (``index``: its position, for a table without an id)."""
    raw, where = checked_table(raw, kind="concept", index=index, source=source, fields=_FIELDS)
    concept_id = _text_field(source, where, raw, "id")
    if not _ID.fullmatch(concept_id):
        raise _fail(source, where, "field 'id' must match [a-z][a-z0-9_]* (e.g. 'arms_control')")
    group_value = _text_field(source, where, raw, "group")
    group = next((g for g in GROUPS if g == group_value), None)
    if group is None:
        raise _fail(source, where, f"field 'group' is {group_value!r}: use one of {list(GROUPS)}")
    subgroup = _text_field(source, where, raw, "subgroup")
    if subgroup not in SUBGROUPS[group]:
        allowed = sorted(SUBGROUPS[group])
        raise _fail(source, where, f"field 'subgroup' is {subgroup!r}: for group {group!r} use one of {allowed}")
    return Concept(
        id=concept_id,
        group=group,
        subgroup=subgroup,
        label=_text_field(source, where, raw, "label"),
        definition=_text_field(source, where, raw, "definition"),
        patterns=checked_patterns(source, where, raw.get("patterns"), rule=False),
    )


def parse_codebook(data: Mapping[str, object], *, source: str) -> Codebook:
    """Validate parsed codebook data (the TOML document as a mapping).

    Args:
        data: The parsed TOML document, with a ``concept`` array of tables.
        source: Name of the file, used in error messages.

    Returns:
        The validated :class:`Codebook`.

    Raises:
        CatalogError: Naming the concept and field that is wrong and what is allowed.
    """
    unknown = sorted(set(data) - {"concept", "exclude"})
    if unknown:
        raise CatalogError(f"{source}: unknown top-level key(s) {unknown}: use [[concept]] and [[exclude]] tables")
    raw_concepts = data.get("concept")
    if not isinstance(raw_concepts, list) or not raw_concepts:
        raise CatalogError(f"{source}: no [[concept]] tables: add at least one concept")
    concepts: list[Concept] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_concepts, start=1):
        concept = _concept(raw, index=index, source=source)
        if concept.id in seen:
            raise _fail(source, f"concept {concept.id!r}", "field 'id' is duplicated: ids must be unique")
        seen.add(concept.id)
        concepts.append(concept)
    groups: dict[str, list[str]] = {g: [c.id for c in concepts if c.group == g] for g in GROUPS}
    rules = parse_rules(data.get("exclude"), source=source, groups=groups)
    return Codebook(source=source, concepts=tuple(concepts), rules=rules)


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook TOML file.

    Args:
        path: Usually ``catalog/codebook.toml``.

    Returns:
        The validated :class:`Codebook`.

    Raises:
        CatalogError: If the file is missing, is not valid TOML, or a concept is invalid
            (the message names the concept and the field).
    """
    data = read_toml(path, error=CatalogError, missing="the codebook of the study's concepts lives there")
    return parse_codebook(data, source=path.name)


def codebook_rows(codebook: Codebook) -> list[dict[str, object]]:
    """Rows of the published codebook table (``corpus.package.schema.CODEBOOK``), in file order.

    Pattern columns hold lists (a Frictionless ``array``: written as JSON in CSV); a language
    without patterns gets an empty list.
    """
    return [
        {
            "concept_id": c.id,
            "group": c.group,
            "subgroup": c.subgroup,
            "label": c.label,
            "definition": c.definition,
            **{f"patterns_{lang}": list(c.patterns.get(lang, ())) for lang in LANGUAGES},
        }
        for c in codebook.concepts
    ]


def codebook_from_rows(
    rows: Iterable[Mapping[str, object]], *, source: str, rule_rows: Iterable[Mapping[str, object]] = ()
) -> Codebook:
    """The codebook as its published tables have it (rows of :func:`codebook_rows` and of
    :func:`~corpus.text.exclusions.rule_rows`), validated again.

    Raises:
        CatalogError: Naming ``source``, the concept and the field, if a row is not a valid concept.
    """
    concepts = []
    for row in rows:
        patterns: dict[str, object] = {}
        for column, value in row.items():
            if column.startswith("patterns_"):
                try:
                    values = json.loads(str(value)) if value else []
                except json.JSONDecodeError as exc:
                    where = f"concept {row.get('concept_id')!r}, {column}"
                    raise CatalogError(f"{source}: {where}: not a JSON array ({exc})") from exc
                if values:
                    patterns[column.removeprefix("patterns_")] = values
        fields = {key: row.get(key) for key in ("group", "subgroup", "label", "definition")}
        concepts.append({"id": row.get("concept_id"), **fields, "patterns": patterns})
    rules = rules_from_rows(rule_rows, source=source)
    return parse_codebook({"concept": concepts, **({"exclude": rules} if rules else {})}, source=source)


def find_mentions(
    codebook: Codebook,
    *,
    doc_id: str,
    paragraph: int,
    text: str,
    language: str,
    offset: int,
    strictness: Strictness = "strict",
) -> list[dict[str, object]]:
    """Find every concept mention in one paragraph (rows of ``corpus.package.schema.MENTIONS``).

    Args:
        codebook: The validated codebook.
        doc_id: Document id of the paragraph.
        paragraph: 1-based paragraph number.
        text: The paragraph's text.
        language: The paragraph's language; selects which patterns apply.
        offset: The paragraph's start offset in the raw seed.
        strictness: ``strict`` applies the codebook's context rules (negation, names, titles,
            places); ``lenient`` keeps every pattern match.

    Returns:
        Rows sorted by position, then concept id. Matches of different concepts may overlap
        (a phrase can be both an actor and a frame); matches of one concept never do.

    Raises:
        ParameterError: If ``language`` is not en, ru or uk.
    """
    lang = check_language(language)
    matchers = codebook.matchers[lang]
    matches = _matches_at_candidates(matchers, text)
    if matches is None:
        matches = [(match, concept_id) for concept_id, regex in matchers for match in regex.finditer(text)]
    matches.sort(key=lambda item: (item[0].start(), item[1]))
    if strictness == "strict" and codebook.rules and matches:
        spans = [(m.start(), m.end(), concept_id) for m, concept_id in matches]
        kept = apply_rules(codebook.rules, text, lang, spans)
        matches = [item for item, keep in zip(matches, kept, strict=True) if keep]
    return [
        {
            "doc_id": doc_id,
            "paragraph": paragraph,
            "concept_id": concept_id,
            "language": lang,
            "start": offset + match.start(),
            "end": offset + match.end(),
            "para_start": match.start(),
            "para_end": match.end(),
            "text": match.group(0),
        }
        for match, concept_id in matches
    ]


def _matches_at_candidates(
    matchers: tuple[tuple[str, re.Pattern[str]], ...], text: str
) -> list[tuple[re.Match[str], str]] | None:
    """Every concept's ``finditer`` matches in ``text``, trying the concepts only where one matches.

    One scan with all concepts in a lookahead finds the positions where at least one concept
    matches (most positions of a paragraph have none); at such a position ``regex.match`` gives
    the match ``finditer`` would report there, and a concept's scan resuming after its previous
    match is kept by ``resume``. So the result equals running each concept's ``finditer``.

    Returns:
        ``(match, concept_id)`` pairs, or None when a match is empty (then ``finditer``'s rules
        for empty matches apply, and the caller runs it).
    """
    found: list[tuple[re.Match[str], str]] = []
    resume: dict[str, int] = {}
    for candidate in _any_concept(tuple(regex.pattern for _, regex in matchers)).finditer(text):
        position = candidate.start()
        for concept_id, regex in matchers:
            if position < resume.get(concept_id, 0):
                continue
            match = regex.match(text, position)
            if match is None:
                continue
            if match.end() == position:
                return None
            resume[concept_id] = match.end()
            found.append((match, concept_id))
    return found


@cache
def _any_concept(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """A zero-width matcher of the positions where any of ``patterns`` matches."""
    # Every concept regex starts with (?<!\w): tested once up front, it skips the inner words.
    bodies = "|".join(f"(?:{p.removeprefix(_WORD_START)})" for p in patterns)
    return re.compile(rf"{_WORD_START}(?={bodies})", re.IGNORECASE)


_WORD_START = r"(?<!\w)"
