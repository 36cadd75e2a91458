"""Robustness shown, not claimed: every headline finding recomputed over a grid of defensible choices.

A finding depends on choices a careful analyst could have made otherwise: the denominator of
the rates (content tokens or all word tokens), the codebook (strict, with its context rules, or
lenient), term forms (lemmas or lowercase words), the minimum support (2/3, 3/5 or 5/10 articles
per group / occurrences), the speaker confidence shown, the tone score (frame markers blanked
out or not), and which articles are in (all, or all but one article, or all but one outlet).
:func:`grid` lists the specifications: the full cross of the choices that apply to a kind of
finding, plus each leave-one-out under the report's own choices (Simonsohn, Simmons & Nelson
2020, "Specification curve analysis", *Nature Human Behaviour* 4; Steegen et al. 2016,
"Increasing transparency through a multiverse analysis", *Perspectives on Psychological Science*
11). :func:`run` evaluates a finding under each and gives the **verdict**:

* **too little evidence**: the report's own specification lacks the minimum support;
* **robust**: the finding holds (same direction; same significance after correction, or same
  top item) in every specification with enough support;
* **fragile**: it fails in at least one of them.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, replace
from typing import Final, Literal

import pandas as pd

Verdict = Literal["robust", "fragile", "too little evidence"]
VERDICTS: Final[tuple[Verdict, ...]] = ("robust", "fragile", "too little evidence")
Axis = Literal["denominator", "strictness", "form", "support", "score", "confidence"]

#: The minimum supports of the grid: (articles per group, occurrences).
SUPPORTS: Final[tuple[tuple[int, int], ...]] = ((2, 3), (3, 5), (5, 10))

#: The alternatives of each choice.
CHOICES: Final[dict[str, tuple[str, ...]]] = {
    "denominator": ("content", "all"),
    "strictness": ("strict", "lenient"),
    "form": ("lemma", "lower"),
    "score": ("compound_unmarked", "compound"),
    "confidence": ("medium", "high"),
}


@dataclass(frozen=True)
class Spec:
    """One specification: a value for every choice (those a finding does not use are ignored)."""

    denominator: str = "content"
    strictness: str = "strict"
    form: str = "lemma"
    min_articles: int = 3
    min_occurrences: int = 5
    score: str = "compound_unmarked"
    confidence: str = "medium"
    leave_out: str = ""  # "", "article:<doc_id>" or "outlet:<outlet_id>"

    def label(self, axes: Iterable[Axis]) -> str:
        """The choices on ``axes`` and the leave-out, in a few words."""
        parts = []
        for axis in axes:
            if axis == "support":
                parts.append(f"≥{self.min_articles} art./{self.min_occurrences} occ.")
            else:
                parts.append(str(getattr(self, axis)))
        parts.append(f"without {self.leave_out}" if self.leave_out else "all articles")
        return " · ".join(parts)


@dataclass(frozen=True)
class Outcome:
    """A finding under one specification."""

    supported: bool
    effect: float
    low: float = math.nan
    high: float = math.nan
    p_adjusted: float = math.nan
    articles: int = 0
    value: str = ""  # what the finding states under this specification (a top item, a result)


def _with(spec: Spec, axis: Axis, value: object) -> Spec:
    """``spec`` with the choice on ``axis`` set to ``value``."""
    if axis == "support":
        articles, occurrences = value if isinstance(value, tuple) else (spec.min_articles, spec.min_occurrences)
        return replace(spec, min_articles=int(articles), min_occurrences=int(occurrences))
    text = str(value)
    if axis == "denominator":
        return replace(spec, denominator=text)
    if axis == "strictness":
        return replace(spec, strictness=text)
    if axis == "form":
        return replace(spec, form=text)
    if axis == "score":
        return replace(spec, score=text)
    return replace(spec, confidence=text)


def grid(primary: Spec, axes: Iterable[Axis], *, articles: Iterable[str], outlets: Iterable[str]) -> list[Spec]:
    """The specifications of a finding: the cross of its axes' choices, then each leave-one-out of the primary one.

    The primary specification comes first.
    """
    axes = list(axes)
    options: list[tuple[object, ...]] = [SUPPORTS if axis == "support" else CHOICES[axis] for axis in axes]
    crossed = []
    for combo in itertools.product(*options):
        spec = primary
        for axis, value in zip(axes, combo, strict=True):
            spec = _with(spec, axis, value)
        crossed.append(spec)
    leave = [replace(primary, leave_out=f"article:{a}") for a in sorted(articles)]
    leave += [replace(primary, leave_out=f"outlet:{o}") for o in sorted(outlets)]
    specs = [primary, *(s for s in crossed if s != primary), *leave]
    return list(dict.fromkeys(specs))


def verdict(primary: Outcome, outcomes: Iterable[tuple[Outcome, bool]]) -> Verdict:
    """The verdict over the specifications (``outcomes``: each with whether the finding holds there)."""
    if not primary.supported:
        return "too little evidence"
    return "robust" if all(holds for outcome, holds in outcomes if outcome.supported) else "fragile"


def run(
    evaluate: Callable[[Spec], Outcome],
    holds: Callable[[Outcome, Outcome], bool],
    specs: list[Spec],
    axes: Iterable[Axis],
) -> tuple[Outcome, pd.DataFrame, Verdict]:
    """Evaluate a finding under every specification (``specs[0]`` is the report's own).

    Args:
        evaluate: The finding under one specification.
        holds: Whether an outcome confirms the primary one (``holds(primary, outcome)``).
        specs: From :func:`grid`.
        axes: The choices the finding depends on (for the labels).

    Returns:
        The outcome under the report's specification, the specification curve (one row per
        specification: its choices, ``supported``, ``effect``, ``low``, ``high``, ``p_adjusted``,
        ``articles``, ``value``, ``holds``,
        ``primary``, ``label``) and the verdict.
    """
    axes = list(axes)
    primary = evaluate(specs[0])
    rows, judged = [], []
    for number, spec in enumerate(specs):
        outcome = primary if number == 0 else evaluate(spec)
        ok = outcome.supported and holds(primary, outcome)
        judged.append((outcome, ok))
        rows.append({**asdict(spec), **asdict(outcome), "holds": ok, "primary": number == 0, "label": spec.label(axes)})
    return primary, pd.DataFrame(rows), verdict(primary, judged)
