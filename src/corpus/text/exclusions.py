"""Context rules of the codebook: where a pattern's match is not a mention.

A pattern finds a word; whether the word is a mention depends on its context. Each
``[[exclude]]`` table of ``catalog/codebook.toml`` is one rule, applied to the concepts (or
groups of concepts) it names:

* ``patterns`` per language: regular expressions matched like concept patterns (whole words,
  case-insensitive). A concept's match lying wholly inside a rule's match is dropped. When the
  pattern has a group named ``scope``, only matches inside that group are dropped, so the
  context that triggers the rule can stay outside it: ``(?:not|never)\\s+(?P<scope>(?:\\w+\\s+){0,2}\\w+)``
  drops a frame marker among the three words after a negation, not the negation's own words.
* ``mask``: a concept id; its matches hide every other concept's matches inside them (a
  newspaper named «Украинская правда» is one media mention, not a mention of Ukraine).

The codebook without its rules is the *lenient* codebook (every pattern match counts); with
them, the *strict* one (the default). Both are published (the rules as the ``codebook_rules``
resource), so every analysis can be rerun either way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from corpus.errors import CatalogError
from corpus.ingest.languages import LANGUAGES, Language

_FIELDS: Final[frozenset[str]] = frozenset({"id", "description", "applies_to", "patterns", "mask"})
_ID = re.compile(r"[a-z][a-z0-9-]*")

#: A match to filter: ``(start, end, concept_id)`` in the text.
Match = tuple[int, int, str]


@dataclass(frozen=True)
class Rule:
    """One context rule: the concepts it applies to and the stretches where their matches are dropped."""

    id: str
    description: str
    applies_to: frozenset[str]
    patterns: Mapping[Language, tuple[str, ...]]
    mask: str = ""

    def regexes(self, language: Language) -> tuple[re.Pattern[str], ...]:
        """The compiled whole-word matchers of the rule's patterns for ``language``.

        One per pattern: each may name its own ``scope`` group.
        """
        return _compiled(self.patterns.get(language, ()))


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE) for p in patterns)


def _fail(source: str, where: str, problem: str) -> CatalogError:
    return CatalogError(f"{source}: {where}: {problem}")


def checked_patterns(source: str, where: str, raw: object, *, rule: bool) -> dict[Language, tuple[str, ...]]:
    """The ``patterns`` table of a concept or (``rule=True``) of a context rule, checked.

    Every language must be one of the corpus's, every pattern a valid regular expression; a
    concept's pattern must not match the empty string (a concept needs patterns), a rule's may
    name one group ``scope`` (a rule without patterns is a mask).

    Raises:
        CatalogError: Naming ``where``, the language and the pattern.
    """
    if raw is None and rule:
        return {}
    if not isinstance(raw, Mapping) or not (raw or rule):
        raise _fail(source, where, f"field 'patterns' must be a table with keys among {list(LANGUAGES)}")
    result: dict[Language, tuple[str, ...]] = {}
    for key, values in raw.items():
        language = next((lang for lang in LANGUAGES if lang == key), None)
        if language is None:
            raise _fail(source, where, f"patterns.{key}: unknown language, use one of {list(LANGUAGES)}")
        if isinstance(values, str) or not isinstance(values, Sequence) or not values:
            raise _fail(source, where, f"patterns.{key} must be a non-empty list of strings")
        for pattern in values:
            if not isinstance(pattern, str) or not pattern.strip():
                raise _fail(source, where, f"patterns.{key}: {pattern!r} is not a non-empty string")
            try:
                compiled = re.compile(pattern, re.IGNORECASE)
            except re.error as exc:
                raise _fail(source, where, f"patterns.{key}: {pattern!r} is not a valid regex ({exc})") from exc
            if not rule and compiled.fullmatch(""):
                raise _fail(source, where, f"patterns.{key}: {pattern!r} matches the empty string")
            if rule and compiled.groups and "scope" not in compiled.groupindex:
                raise _fail(source, where, f"patterns.{key}: {pattern!r}: name the group (?P<scope>...) or use (?:...)")
        result[language] = tuple(values)
    return result


def checked_table(
    raw: object, *, kind: str, index: int, source: str, fields: frozenset[str]
) -> tuple[Mapping[str, object], str]:
    """A ``[[kind]]`` table of a codebook checked for shape, and how messages name it.

    Raises:
        CatalogError: If it is not a table or has a field outside ``fields``.
    """
    if not isinstance(raw, Mapping):
        raise CatalogError(f"{source}: {kind} #{index} is not a table")
    named = raw.get("id")
    where = f"{kind} {named!r}" if isinstance(named, str) else f"{kind} #{index}"
    unknown = sorted(set(raw) - fields)
    if unknown:
        raise _fail(source, where, f"unknown field(s) {unknown}: allowed are {sorted(fields)}")
    return raw, where


def _applies_to(source: str, where: str, raw: object, groups: Mapping[str, Sequence[str]]) -> frozenset[str]:
    if isinstance(raw, str) or not isinstance(raw, Sequence) or not raw:
        raise _fail(source, where, "field 'applies_to' must be a non-empty list of concept ids or groups")
    ids: set[str] = set()
    known = {c for members in groups.values() for c in members}
    for item in raw:
        if item in groups:
            ids.update(groups[str(item)])
        elif item in known:
            ids.add(str(item))
        else:
            raise _fail(source, where, f"applies_to: {item!r} is neither a concept id nor a group {sorted(groups)}")
    return frozenset(ids)


def parse_rules(raw: object, *, source: str, groups: Mapping[str, Sequence[str]]) -> tuple[Rule, ...]:
    """Validate the ``[[exclude]]`` tables of a codebook.

    Args:
        raw: The parsed ``exclude`` array (None when the codebook has no rules).
        source: Name of the file, for messages.
        groups: Concept ids per group (``actor``, ``topic``, ``frame``), to expand ``applies_to``.

    Raises:
        CatalogError: Naming the rule and the field that is wrong.
    """
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CatalogError(f"{source}: 'exclude' must be an array of tables ([[exclude]])")
    rules: list[Rule] = []
    for index, entry in enumerate(raw, start=1):
        item, where = checked_table(entry, kind="exclude", index=index, source=source, fields=_FIELDS)
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not _ID.fullmatch(rule_id) or any(r.id == rule_id for r in rules):
            raise _fail(source, where, "field 'id' must be a unique name matching [a-z][a-z0-9-]*")
        description = item.get("description")
        if not isinstance(description, str) or not description.strip():
            raise _fail(source, where, "field 'description' must say what the rule leaves out and why")
        mask = item.get("mask", "")
        concepts = {c for members in groups.values() for c in members}
        if not isinstance(mask, str) or (mask and mask not in concepts):
            raise _fail(source, where, f"field 'mask' is {mask!r}: use a concept id")
        patterns = checked_patterns(source, where, item.get("patterns"), rule=True)
        if bool(patterns) == bool(mask):
            raise _fail(source, where, "give either 'patterns' or 'mask'")
        applies = _applies_to(source, where, item.get("applies_to"), groups) - {mask}
        rules.append(Rule(rule_id, description.strip(), applies, patterns, mask))
    return tuple(rules)


def rule_rows(rules: Iterable[Rule]) -> list[dict[str, object]]:
    """Rows of the published ``codebook_rules`` table, in file order (pattern columns as lists)."""
    return [
        {
            "rule_id": r.id,
            "description": r.description,
            "applies_to": sorted(r.applies_to),
            "mask": r.mask,
            **{f"patterns_{lang}": list(r.patterns.get(lang, ())) for lang in LANGUAGES},
        }
        for r in rules
    ]


def rules_from_rows(rows: Iterable[Mapping[str, object]], *, source: str) -> list[dict[str, object]]:
    """The published rule rows turned back into ``[[exclude]]`` tables (for :func:`parse_rules`).

    Raises:
        CatalogError: If an array cell is not a JSON array.
    """
    tables = []
    for row in rows:
        arrays: dict[str, list[str]] = {}
        for column, value in row.items():
            if column == "applies_to" or column.startswith("patterns_"):
                try:
                    arrays[column] = json.loads(str(value)) if value else []
                except json.JSONDecodeError as exc:
                    raise CatalogError(f"{source}: rule {row.get('rule_id')!r}, {column}: not a JSON array") from exc
        patterns = {k.removeprefix("patterns_"): v for k, v in arrays.items() if k.startswith("patterns_") and v}
        table: dict[str, object] = {
            "id": row.get("rule_id"),
            "description": row.get("description"),
            "applies_to": arrays.get("applies_to", []),
        }
        if patterns:
            table["patterns"] = patterns
        if row.get("mask"):
            table["mask"] = row.get("mask")
        tables.append(table)
    return tables


def _stretches(rule: Rule, text: str, language: Language, matches: Sequence[Match]) -> list[tuple[int, int]]:
    if rule.mask:
        return [(a, b) for a, b, concept in matches if concept == rule.mask]
    found: list[tuple[int, int]] = []
    for regex in rule.regexes(language):
        scoped = "scope" in regex.groupindex
        found.extend(m.span("scope") if scoped else m.span() for m in regex.finditer(text))
    return found


def apply_rules(rules: Sequence[Rule], text: str, language: Language, matches: Sequence[Match]) -> list[bool]:
    """Which matches the rules keep (True) or drop (False), in the order given.

    A match is dropped when a rule applying to its concept has a stretch containing it.
    """
    keep = [True] * len(matches)
    for rule in rules:
        targets = [i for i, (_, _, concept) in enumerate(matches) if keep[i] and concept in rule.applies_to]
        if not targets:
            continue
        stretches = _stretches(rule, text, language, matches)
        for i in targets:
            start, end, _ = matches[i]
            if any(a <= start and end <= b for a, b in stretches):
                keep[i] = False
    return keep
