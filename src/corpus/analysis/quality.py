"""How far the reports can lean on the codebook and the quote attribution: their published scores.

The build scores the codebook against the gold annotation (``codebook_quality``) and the speech
attribution against the gold quotes (``quote_quality``), separately on the ``dev`` pages (which
the rules were tuned on) and the ``holdout`` pages (never looked at while tuning). The study's
targets: precision ≥ 95 % and recall ≥ 90 % for actors, topics and frames each, and ≥ 90 % of the
shown attributions with the right speaker and kind. A target met on ``dev`` only is a
measurement of fit, not of how the instrument generalises; the holdout score is the honest one.
"""

from __future__ import annotations

import math
from typing import Any, Final

import pandas as pd

from corpus.analysis.claims import Claim
from corpus.analysis.data import Tables
from corpus.analysis.robustness import Outcome, Verdict

PRECISION_TARGET: Final[float] = 0.95
RECALL_TARGET: Final[float] = 0.90
QUOTE_TARGET: Final[float] = 0.90
SPLIT_ORDER: Final[tuple[str, ...]] = ("dev", "holdout", "all")


def _number(value: object) -> float:
    return float(str(value)) if str(value) not in ("", "nan", "None") else math.nan


def _int(value: object) -> int:
    number = _number(value)
    return int(number) if not math.isnan(number) else 0


def group_quality(tables: Tables) -> pd.DataFrame:
    """Precision and recall of each concept group (and all), per split, all languages, with the targets.

    Returns:
        Columns ``group``, ``split``, ``gold``, ``predicted``, ``precision``, ``recall``,
        ``meets_target``; empty when the package was built without the gold.
    """
    q = tables.codebook_quality
    columns = ["group", "split", "gold", "predicted", "precision", "recall", "meets_target"]
    if q.empty:
        return pd.DataFrame(columns=columns)
    part = q[(q["language"] == "all") & q["level"].isin(["group", "all"])]
    rows = []
    for r in part.to_dict("records"):
        p, rc = _number(r["precision"]), _number(r["recall"])
        met = p >= PRECISION_TARGET and rc >= RECALL_TARGET
        rows.append((str(r["scope"]), str(r["split"]), _int(r["gold"]), _int(r["predicted"]), p, rc, met))
    table = pd.DataFrame(rows, columns=columns)
    order = {g: i for i, g in enumerate(("actor", "topic", "frame", "all"))}
    table["_split"], table["_group"] = table["split"].map(SPLIT_ORDER.index), table["group"].map(order)
    table = table.sort_values(["_split", "_group"], kind="stable").drop(columns=["_split", "_group"])
    return table.reset_index(drop=True)


def concept_quality(tables: Tables, *, split: str = "holdout") -> pd.DataFrame:
    """Precision and recall of every concept on one split (all languages), with its number of gold mentions.

    Returns:
        Columns ``concept_id``, ``group``, ``gold``, ``predicted``, ``precision``, ``recall``.
    """
    q = tables.codebook_quality
    columns = ["concept_id", "group", "gold", "predicted", "precision", "recall"]
    if q.empty:
        return pd.DataFrame(columns=columns)
    part = q[(q["language"] == "all") & (q["level"] == "concept") & (q["split"] == split)]
    by_id = tables.codebook.by_id
    rows = []
    for r in part.to_dict("records"):
        scope = str(r["scope"])
        group = by_id[scope].group if scope in by_id else ""
        rows.append(
            (scope, group, _int(r["gold"]), _int(r["predicted"]), _number(r["precision"]), _number(r["recall"]))
        )
    return pd.DataFrame(rows, columns=columns)


def quote_quality(tables: Tables) -> pd.DataFrame:
    """The attribution's scores per split (all languages, all bases), with the target.

    Returns:
        Columns ``split``, ``gold``, ``predicted``, ``shown``, ``right``, ``precision``,
        ``recall``, ``meets_target``.
    """
    q = tables.quote_quality
    columns = ["split", "gold", "predicted", "shown", "right", "precision", "recall", "meets_target"]
    if q.empty:
        return pd.DataFrame(columns=columns)
    part = q[(q["language"] == "all") & (q["basis"] == "all")]
    rows = [
        (str(r["split"]), _int(r["gold"]), _int(r["predicted"]), _int(r["shown"]), _int(r["right"]),
         _number(r["precision"]), _number(r["recall"]), _number(r["precision"]) >= QUOTE_TARGET)
        for r in part.to_dict("records")
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


Row = dict[str, Any]


def _split_row(table: pd.DataFrame, split: str) -> Row | None:
    rows = table[table["split"] == split].to_dict("records")
    return {str(k): v for k, v in rows[0].items()} if rows else None


def _quality_claim(section: str, name: str, dev: Row | None, holdout: Row | None, quotes: bool) -> Claim:
    def measured(row: Row | None) -> str:
        if row is None:
            return "not scored"
        if quotes:
            return (
                f"{row['precision']:.1%} of {int(row['shown'])} shown attributions right (recall {row['recall']:.1%})"
            )
        return f"precision {row['precision']:.1%} and recall {row['recall']:.1%} over {int(row['gold'])} gold mentions"

    met = [bool(r["meets_target"]) if r is not None else False for r in (dev, holdout)]
    verdict: Verdict = "robust" if all(met) else ("fragile" if any(met) else "too little evidence")
    target = (
        f"≥ {QUOTE_TARGET:.0%} right" if quotes else f"precision ≥ {PRECISION_TARGET:.0%}, recall ≥ {RECALL_TARGET:.0%}"
    )
    where = {
        (True, True): "met on both",
        (True, False): "met on the dev pages only",
        (False, True): "met on the holdout pages only",
        (False, False): "not met",
    }[(met[0], met[1])]
    statement = (
        f"{name}: {measured(dev)} on the dev pages, {measured(holdout)} on the holdout pages; "
        f"target ({target}) {where}."
    )
    rows = []
    for split, row, ok in (("dev", dev, met[0]), ("holdout", holdout, met[1])):
        value = float(row["precision"]) if row is not None else math.nan
        rows.append({"label": split, "supported": row is not None, "effect": value, "low": math.nan, "high": math.nan,
                     "holds": ok, "primary": split == "holdout", "leave_out": ""})  # fmt: skip
    effect = float(holdout["precision"]) if holdout is not None else math.nan
    outcome = Outcome(holdout is not None, effect, articles=0, value=where)
    return Claim(section, statement, outcome, verdict, pd.DataFrame(rows))


def quality_claims(tables: Tables) -> list[Claim]:
    """One claim per concept group and one for the quote attribution: dev and holdout against the targets.

    Verdict: ``robust`` when the target is met on both splits, ``fragile`` when on one only,
    ``too little evidence`` when on neither or when the package was built without the gold.
    """
    groups, quotes = group_quality(tables), quote_quality(tables)
    claims = []
    for group in ("actor", "topic", "frame"):
        part = groups[groups["group"] == group]
        dev, holdout = _split_row(part, "dev"), _split_row(part, "holdout")
        claims.append(_quality_claim("Codebook against the gold", f"{group.capitalize()}s", dev, holdout, False))
    dev, holdout = _split_row(quotes, "dev"), _split_row(quotes, "holdout")
    claims.append(_quality_claim("Quotes against the gold", "Quote attribution", dev, holdout, True))
    return claims


def quality_bars(tables: Tables) -> pd.DataFrame:
    """:func:`group_quality` in long form for a bar chart: one row per group, split and measure.

    Returns:
        Columns ``scores`` ("actors, holdout" …), ``measure`` (precision, recall), ``value``.
    """
    groups = group_quality(tables)
    groups = groups[groups["group"] != "all"]
    rows = [
        (f"{r['group']}s, {r['split']}", measure, float(r[measure]))
        for r in groups.to_dict("records")
        for measure in ("precision", "recall")
    ]
    return pd.DataFrame(rows, columns=["scores", "measure", "value"])
