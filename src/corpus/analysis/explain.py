"""Tables and prose that say what the numbers of a comparison do and do not show.

Every sentence here is generated from the numbers it reports: how many articles each group
has, how many items could be tested, what the smallest possible p-value is with that many
articles, how many items differ after correction, and what the grouping coincides with. The
notebooks print these next to the tables, so a reader never has to infer the limits.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from corpus.analysis.confounds import confound_note, confounds, shared_languages
from corpus.analysis.inference import TOO_LITTLE, Comparison, compare_concepts
from corpus.analysis.prose import md_escape
from corpus.analysis.select import Selection
from corpus.analysis.stats import CORRECTIONS, format_p
from corpus.analysis.units import article_units

DISPLAY_COLUMNS = [
    "label", "articles", "occurrences", "mean rates", "difference [95 % CI]", "Log Ratio [95 % CI]",
    "DP (target / reference)", "test", "p", "p adjusted", "result", "G² (tokens, descriptive)",
]  # fmt: skip


def _interval(value: float, low: float, high: float, digits: int) -> str:
    if math.isnan(value):
        return "—"
    if math.isnan(low):
        return f"{value:.{digits}f}"
    return f"{value:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


_NUMBERS = (
    "rate_difference", "difference_low", "difference_high", "log_ratio", "log_ratio_low", "log_ratio_high",
    "mean_rate_target", "mean_rate_reference", "dp_target", "dp_reference", "p_value", "p_adjusted", "g2_descriptive",
)  # fmt: skip


def _display_row(r: dict[str, Any], method: str) -> dict[str, str]:
    tested = r["result"] != TOO_LITTLE
    n = {k: float(r[k]) for k in _NUMBERS}
    return {
        "label": str(r["label"]),
        "articles": f"{r['articles_target']} / {r['articles_reference']}",
        "occurrences": f"{r['occurrences_target']} / {r['occurrences_reference']}",
        "mean rates": f"{n['mean_rate_target']:.1f} / {n['mean_rate_reference']:.1f}",
        "difference [95 % CI]": _interval(n["rate_difference"], n["difference_low"], n["difference_high"], 1),
        "Log Ratio [95 % CI]": _interval(n["log_ratio"], n["log_ratio_low"], n["log_ratio_high"], 2),
        "DP (target / reference)": f"{n['dp_target']:.2f} / {n['dp_reference']:.2f}",
        "test": str(r["test"]) or "—",
        "p": format_p(n["p_value"]) if tested else TOO_LITTLE,
        "p adjusted": f"{format_p(n['p_adjusted'])} ({method})" if tested else "—",
        "result": str(r["result"]),
        "G² (tokens, descriptive)": f"{n['g2_descriptive']:.2f}",
    }


def comparison_display(comparison: Comparison, *, top_n: int = 50) -> pd.DataFrame:
    """A comparison table for reading: tested rows first (by adjusted p), then the rest by occurrences.

    p-values are in scientific notation; a row below the minimum support says "too little
    evidence" in place of a p-value.
    """
    t = comparison.table.copy()
    if t.empty:
        return pd.DataFrame(columns=DISPLAY_COLUMNS)
    t["_tested"] = t["result"] != TOO_LITTLE
    t["_occ"] = t["occurrences_target"] + t["occurrences_reference"]
    t = t.sort_values(["_tested", "p_adjusted", "_occ", "item"], ascending=[False, True, False, True], kind="stable")
    method = CORRECTIONS[comparison.design.correction]
    rows = [_display_row({str(k): v for k, v in r.items()}, method) for r in t.head(top_n).to_dict("records")]
    return pd.DataFrame(rows, columns=DISPLAY_COLUMNS)


def comparison_note(comparison: Comparison, *, what: str) -> str:
    """Markdown: what was compared over how many articles, what could be tested, what differs, and the limits."""
    c, d = comparison, comparison.design
    kept = c.units[~c.units["doc_id"].isin(d.exclude_docs) & ~c.units["outlet_id"].isin(d.exclude_outlets)]
    n_t, n_r = int((kept["group"] == c.target).sum()), int((kept["group"] == c.reference).sum())
    tested, differing = len(c.tested), len(c.differing)
    t, r = md_escape(c.target), md_escape(c.reference)
    text = (
        f"**{t}** has {n_t} article(s) and **{r}** {n_r}; rates are per 1,000 "
        f"{'content tokens (stopwords excluded)' if d.denominator == 'content' else 'word tokens'} of each article, "
        f"and each article counts once. {tested} of {len(c.table)} {what}s reach the minimum support "
        f"({d.min_articles} articles per group, {d.min_occurrences} occurrences) and were tested by permutation "
        "over articles"
    )
    if tested == 0:
        text += f"; the others say *{TOO_LITTLE}*, so **this table supports no claim of a difference**."
    else:
        text += (
            f"; **{differing}** differ after {CORRECTIONS[d.correction]} correction at α = {d.alpha} "
            f"(family of {tested} tests)."
        )
    if n_t and n_r:
        smallest = 1 / math.comb(n_t + n_r, n_t)
        text += (
            f" With {n_t} and {n_r} articles an exact permutation test has {math.comb(n_t + n_r, n_t):,} allocations, "
            f"so no p-value can be below {format_p(smallest)}"
            + (", which is above α before any correction." if smallest >= d.alpha else ".")
        )
    text += (
        " G² is computed on pooled tokens and shown only as a description: it treats every token as an "
        "independent draw and overstates the evidence."
    )
    return text


def confounds_note(selection: Selection, comparison: Comparison) -> str:
    """Markdown: whether the compared groups coincide with language or outlet.

    Also says in which languages both groups have enough articles for a comparison within one language.
    """
    c = confounds(
        comparison.units, target=comparison.target, reference=comparison.reference, groups_by=selection.groups_by
    )
    within = shared_languages(
        comparison.units, target=comparison.target, reference=comparison.reference,
        min_articles=comparison.design.min_articles,
    )  # fmt: skip
    return confound_note(c, within=within)


def within_language(selection: Selection, comparison: Comparison) -> list[tuple[str, Comparison]]:
    """The concept comparison repeated within each language where both groups have enough articles."""
    within = shared_languages(
        comparison.units, target=comparison.target, reference=comparison.reference,
        min_articles=comparison.design.min_articles,
    )  # fmt: skip
    found = []
    for language in within:
        docs = set(comparison.units.loc[comparison.units["language"] == language, "doc_id"])
        sub = comparison.units[comparison.units["doc_id"].isin(docs)]
        result = compare_concepts(
            selection, target=comparison.target, reference=comparison.reference, design=comparison.design, units=sub
        )
        found.append((language, result))
    return found


def rate_summary(row: pd.Series | tuple[object, ...], *, what: str) -> str:
    """Markdown for the top concept of a group in :func:`~corpus.analysis.concepts.article_rates`.

    Says over how many articles the mean is taken, the interval over articles when there are at
    least two, and how evenly the mentions spread (DP_norm).
    """
    r = row if isinstance(row, pd.Series) else pd.Series(row._asdict())  # type: ignore[attr-defined]
    n = int(r["articles"])
    text = (
        f"Most mentioned {md_escape(what)} in **{md_escape(str(r['group']))}**: {md_escape(str(r['label']))}, "
        f"{float(r['mean_rate']):.1f} per 1,000 tokens on average over {n} article(s)"
    )
    if n < 2 or math.isnan(float(r["rate_low"])):
        return text + " (one article: no interval, no dispersion)."
    return (
        text + f" (95 % interval over articles {float(r['rate_low']):.1f} to {float(r['rate_high']):.1f}; "
        f"DP_norm {float(r['dp_norm']):.2f}, 0 = spread like the articles' sizes, 1 = in one article)."
    )


def group_profile(selection: Selection) -> pd.DataFrame:
    """The units of inference per group: articles, their languages and outlets, and their sizes.

    Returns:
        Columns ``group``, ``articles``, ``languages``, ``outlets``, ``tokens``, ``content_tokens``.
    """
    units = article_units(selection)
    columns = ["group", "articles", "languages", "outlets", "tokens", "content_tokens"]
    rows = [
        (str(group), len(part), ", ".join(sorted(set(part["language"]))), ", ".join(sorted(set(part["outlet_id"]))),
         int(part["tokens"].sum()), int(part["content_tokens"].sum()))
        for group, part in units.groupby("group", sort=True)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def grouping_note(selection: Selection) -> str:
    """Markdown: whether the groups of this selection coincide with languages or outlets, in words."""
    profile = group_profile(selection)
    if len(profile) < 2:
        return "One group only: nothing is compared."
    by = selection.groups_by
    languages = [set(v.split(", ")) for v in profile["languages"]]
    outlets = [set(v.split(", ")) for v in profile["outlets"]]
    disjoint = all(not (a & b) for i, a in enumerate(languages) for b in languages[i + 1 :])
    parts = [f"The unit of every test is the article: {len(profile)} groups of {md_escape(by)} with "
             f"{', '.join(str(n) for n in profile['articles'])} article(s)."]  # fmt: skip
    if by != "language" and disjoint:
        listed = "; ".join(
            f"{md_escape(g)}: {md_escape(langs)}"
            for g, langs in zip(profile["group"], profile["languages"], strict=True)
        )
        parts.append(
            f"**The groups coincide with languages** ({listed}): a difference between them is also a "
            "difference of language."
        )
    if by != "outlet" and all(len(o) == 1 for o in outlets):
        parts.append("**Each group is a single outlet**: a difference between them is also a difference of outlet.")
    if len(parts) == 1:
        parts.append("The groups share languages and outlets, so they can be compared within one language.")
    return " ".join(parts)
