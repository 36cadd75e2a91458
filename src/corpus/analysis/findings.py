"""The claims of each report, stated from the numbers, with their robustness verdicts.

Each analysis notebook states its findings through one of the builders here, and the
``findings`` report runs the same builders for every report of the plan, so the two can never
disagree: :func:`vocabulary_claims` (concepts and key terms compared between two groups),
:func:`actor_claims` (the most mentioned actor and topic and the most quoted speaker of each
group), :func:`framing_claims` (cooperation against confrontation markers in each group, and the
tone contrast of the two frames) and :func:`quality_claims` (the codebook and the quote
attribution against the gold, dev and holdout). Every statement is generated from the result
under the report's own choices; the verdict comes from the grid of
:mod:`corpus.analysis.robustness`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import partial

import pandas as pd

from corpus.analysis.claims import (
    CLAIM_COLUMNS,
    Claim,
    Context,
    balance,
    differences,
    evaluate,
    same_value,
    tone_contrast,
    top_item,
    top_speaker,
)  # fmt: skip
from corpus.analysis.data import Tables
from corpus.analysis.notebook import selection_for
from corpus.analysis.params import Parameters, validate
from corpus.analysis.quality import quality_claims
from corpus.analysis.robustness import Axis, Outcome, Spec
from corpus.analysis.stats import CORRECTIONS, format_p

#: Speaker labels for ids outside the codebook.
_UNRESOLVED = "no speaker attributed"


def _label(ctx: Context, item: str) -> str:
    by_id = ctx.selection.tables.codebook.by_id
    if item in by_id:
        return by_id[item].label
    return item.removeprefix("other:") if item.startswith("other:") else item


def _sizes(ctx: Context, target: str, reference: str, language: str | None = None) -> tuple[int, int]:
    units = ctx.units(language)
    return int((units["group"] == target).sum()), int((units["group"] == reference).sum())


def _differences_statement(
    ctx: Context, spec: Spec, what: str, target: str, reference: str, sizes: tuple[int, int], o: Outcome
) -> str:
    correction = CORRECTIONS[ctx.correction]
    if not o.supported:
        return (
            f"No {what} can be tested between {target} and {reference}: with {sizes[0]} and {sizes[1]} article(s), "
            f"none reaches the minimum support ({spec.min_articles} articles per group and "
            f"{spec.min_occurrences} occurrences)."
        )
    if o.value == "none":
        return (
            f"No {what} differs between {target} and {reference} after {correction} correction "
            f"(permutation tests over {sizes[0]} and {sizes[1]} articles; smallest adjusted p = "
            f"{format_p(o.p_adjusted)})."
        )
    items = [(v[:-1], v[-1]) for v in o.value.split(";")]
    listed = ", ".join(f"{_label(ctx, i)} (more in {target if s == '+' else reference})" for i, s in items)
    return f"{len(items)} {what}(s) differ between {target} and {reference} after {correction} correction: {listed}."


def vocabulary_claims(
    ctx: Context, *, target: str, reference: str, languages: Sequence[str], primary: Spec
) -> list[Claim]:
    """Concepts compared between two groups (all languages), and key terms within each language."""
    claims = []
    sizes = _sizes(ctx, target, reference)
    ev = partial(differences, ctx, target=target, reference=reference, items="all")
    state = partial(_differences_statement, ctx, primary, "concept", target, reference, sizes)
    claims.append(
        evaluate(ctx, "Concepts compared", primary, ["denominator", "strictness", "support"], ev, same_value, state)
    )
    for language in languages:
        lang_sizes = _sizes(ctx, target, reference, language)
        if min(lang_sizes) == 0:
            continue
        ev = partial(differences, ctx, target=target, reference=reference, items="terms", language=language)
        state = partial(_differences_statement, ctx, primary, f"{language} term", target, reference, lang_sizes)
        axes: list[Axis] = ["denominator", "form", "support"]
        claims.append(evaluate(ctx, f"Key terms ({language})", primary, axes, ev, same_value, state))
    return claims


def _too_little(spec: Spec, what: str) -> str:
    return (
        f"; too little evidence to generalise (fewer than {spec.min_articles} articles or "
        f"{spec.min_occurrences} {what})"
    )


def _top_statement(ctx: Context, spec: Spec, what: str, group: str, o: Outcome) -> str:
    if o.value == "none":
        return f"No {what} is mentioned in {group}."
    text = (
        f"Most mentioned {what} in {group}: {_label(ctx, o.value)}, {o.effect:.1f} per 1,000 "
        f"{'content' if spec.denominator == 'content' else 'word'} tokens on average over {o.articles} article(s)"
    )
    return text + (_too_little(spec, "mentions") if not o.supported else "") + "."


def _speaker_statement(ctx: Context, spec: Spec, group: str, o: Outcome) -> str:
    if o.value == "none":
        return f"No speech act in {group} has an attribution shown."
    text = (
        f"Most quoted in {group}: {_label(ctx, o.value)}, {int(o.effect)} attributed speech act(s) "
        f"in {o.articles} article(s)"
    )
    return text + (_too_little(spec, "acts") if not o.supported else "") + "."


def actor_claims(ctx: Context, *, groups: Sequence[str], primary: Spec) -> list[Claim]:
    """The most mentioned actor and topic, and the most quoted speaker, of each group."""
    claims = []
    for group in groups:
        for what, concept_group in (("actor", "actor"), ("topic", "topic")):
            ev = partial(top_item, ctx, group=group, concept_group=concept_group)
            state = partial(_top_statement, ctx, primary, what, group)
            axes: list[Axis] = ["denominator", "strictness", "support"]
            claims.append(evaluate(ctx, f"Most mentioned {what}s", primary, axes, ev, same_value, state))
        ev = partial(top_speaker, ctx, group=group)
        state = partial(_speaker_statement, ctx, primary, group)
        claims.append(evaluate(ctx, "Who is quoted", primary, ["confidence", "support"], ev, same_value, state))
    return claims


def _balance_statement(ctx: Context, spec: Spec, group: str, o: Outcome) -> str:
    if o.articles == 0 or math.isnan(o.effect):
        return f"{group} has no frame markers to compare."
    more = "outnumber" if o.effect > 0 else "are outnumbered by"
    text = (
        f"In {group}, cooperation markers {more} confrontation markers by {abs(o.effect):.1f} per 1,000 "
        f"{'content' if spec.denominator == 'content' else 'word'} tokens per article on average "
        f"({o.articles} article(s)"
    )
    if not o.supported:
        return text + f"); too little evidence for a test (fewer than {spec.min_articles} articles)."
    verdict = "a significant difference" if o.p_adjusted < ctx.alpha else "not a significant difference"
    return (
        text + f"; 95 % CI {o.low:.1f} to {o.high:.1f}; sign-flip test, {CORRECTIONS[ctx.correction]}-adjusted "
        f"p = {format_p(o.p_adjusted)}): {verdict}."
    )


def _tone_statement(ctx: Context, spec: Spec, o: Outcome) -> str:
    if o.articles == 0:
        return "No English article has sentences of both frames, so their tone cannot be compared."
    direction = "more positive" if o.effect > 0 else "more negative"
    text = (
        f"Over the {o.articles} English article(s) with both, sentences with cooperation markers are {direction} "
        f"than sentences with confrontation markers by {abs(o.effect):.2f} (VADER compound, frame markers blanked out"
    )
    if not o.supported:
        return text + f"); too little evidence for a test (fewer than {spec.min_articles} articles)."
    verdict = "a significant difference" if o.p_adjusted < ctx.alpha else "not a significant difference"
    return text + f"; 95 % CI {o.low:+.2f} to {o.high:+.2f}; sign-flip p = {format_p(o.p_adjusted)}): {verdict}."


def framing_claims(ctx: Context, *, groups: Sequence[str], primary: Spec) -> list[Claim]:
    """Cooperation against confrontation markers in each group, and the tone contrast of the two frames."""
    claims = []
    for group in groups:
        ev = partial(
            balance, ctx, group=group, first="frame_cooperation", second="frame_confrontation", groups=list(groups)
        )
        state = partial(_balance_statement, ctx, primary, group)
        axes: list[Axis] = ["denominator", "strictness", "support"]
        claims.append(evaluate(ctx, "Cooperation and confrontation", primary, axes, ev, same_value, state))
    tone_ev, tone_state = partial(tone_contrast, ctx), partial(_tone_statement, ctx, primary)
    claims.append(evaluate(ctx, "Tone by frame", primary, ["score", "support"], tone_ev, same_value, tone_state))
    return claims


def claims_table(claims: Sequence[Claim]) -> pd.DataFrame:
    """The claims as a table (:data:`~corpus.analysis.claims.CLAIM_COLUMNS`), p-values in scientific notation."""
    table = pd.DataFrame([c.row() for c in claims], columns=CLAIM_COLUMNS)
    table["p_adjusted"] = [format_p(float(p)) for p in table["p_adjusted"]]
    return table


def primary_spec(p: Parameters) -> Spec:
    """The report's own specification, from its validated parameters."""
    return Spec(
        denominator=p.denominator or "content",
        min_articles=p.min_articles or 3,
        min_occurrences=p.min_occurrences or 5,
        confidence=p.min_confidence or "medium",
    )


def report_claims(tables: Tables, *, notebook: str, parameters: Mapping[str, object]) -> list[Claim]:
    """The claims one planned report states (its notebook's builder, with its parameters).

    Args:
        tables: The published package.
        notebook: The report's notebook file name (``02_vocabulary.ipynb`` …).
        parameters: The report's parameters: the notebook's defaults with the plan's values.

    Returns:
        The claims, in the report's order; none for a notebook that states no finding.
    """
    names = ("groups_by", "languages", "date_from", "date_to", "outlets", "top_n", "min_freq", "target", "reference",
             "kwic_term", "kwic_concept", "measure", "denominator", "min_articles", "min_occurrences", "correction",
             "min_confidence")  # fmt: skip
    p = validate(tables, **{name: parameters.get(name) for name in names})
    selection = selection_for(tables, p)
    if selection.empty:
        return []
    ctx = Context(selection, correction=p.correction or "holm")
    spec = primary_spec(p)
    if notebook == "02_vocabulary.ipynb" and p.target and p.reference:
        return vocabulary_claims(ctx, target=p.target, reference=p.reference, languages=p.languages, primary=spec)
    if notebook == "03_actors_topics.ipynb":
        return actor_claims(ctx, groups=selection.groups, primary=spec)
    if notebook == "04_framing.ipynb":
        return framing_claims(ctx, groups=selection.groups, primary=spec)
    if notebook == "05_codebook_quality.ipynb":
        return quality_claims(tables)
    return []


def findings(
    tables: Tables, reports: Sequence[tuple[str, str, Mapping[str, object]]]
) -> tuple[pd.DataFrame, list[tuple[str, Claim]]]:
    """Every claim of every planned report, as one table (report first) and as claims.

    Args:
        tables: The published package.
        reports: ``(name, notebook, parameters)`` of each planned report.
    """
    found = [
        (name, claim)
        for name, notebook, params in reports
        for claim in report_claims(tables, notebook=notebook, parameters=params)
    ]
    table = claims_table([c for _, c in found])
    table.insert(0, "report", [name for name, _ in found])
    return table, found
