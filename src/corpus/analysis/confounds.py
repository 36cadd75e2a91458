"""When a comparison of groups is also a comparison of languages or outlets, say so.

In a small corpus the grouping of interest can coincide with another one: if every article of
one perspective is English and every article of the other is Russian, a difference between the
perspectives is just as much a difference between the languages (their vocabularies, their
function words, the codebook's patterns for each), and a test cannot tell them apart. Likewise
when each group is a single outlet: the comparison is then of two outlets' house styles.
:func:`confounds` detects both from the units of a comparison, and :func:`confound_note` says it
in words next to the result; :func:`shared_languages` lists the languages in which both groups
have enough articles for a comparison within one language.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from corpus.analysis.prose import md_escape
from corpus.analysis.select import GroupBy


@dataclass(frozen=True)
class Confounds:
    """What else two compared groups differ in."""

    target: str
    reference: str
    target_languages: tuple[str, ...]
    reference_languages: tuple[str, ...]
    target_outlets: tuple[str, ...]
    reference_outlets: tuple[str, ...]
    language: bool  # the groups' articles share no language
    outlet: bool  # each group is one outlet (and the grouping is not by outlet)
    groups_by: GroupBy = "perspective"

    @property
    def any(self) -> bool:
        """Whether the grouping coincides with language or outlet."""
        return self.language or self.outlet


def confounds(units: pd.DataFrame, *, target: str, reference: str, groups_by: GroupBy) -> Confounds:
    """The languages and outlets of two groups' articles, and whether the grouping coincides with them."""

    def values(group: str, column: str) -> tuple[str, ...]:
        return tuple(sorted(set(units.loc[units["group"] == group, column].astype(str))))

    t_lang, r_lang = values(target, "language"), values(reference, "language")
    t_out, r_out = values(target, "outlet_id"), values(reference, "outlet_id")
    language = groups_by != "language" and bool(t_lang) and bool(r_lang) and not set(t_lang) & set(r_lang)
    outlet = groups_by != "outlet" and len(t_out) == 1 and len(r_out) == 1 and t_out != r_out
    return Confounds(target, reference, t_lang, r_lang, t_out, r_out, language, outlet, groups_by)


def shared_languages(units: pd.DataFrame, *, target: str, reference: str, min_articles: int) -> list[str]:
    """Languages in which both groups have at least ``min_articles`` articles."""
    counts = units[units["group"].isin([target, reference])].groupby(["language", "group"]).size()
    return sorted(
        str(lang)
        for lang in {k[0] for k in counts.index}
        if counts.get((lang, target), 0) >= min_articles and counts.get((lang, reference), 0) >= min_articles
    )


def confound_note(c: Confounds, *, within: list[str]) -> str:
    """Markdown saying what the grouping coincides with, and whether a within-language comparison was possible."""
    t, r = md_escape(c.target), md_escape(c.reference)
    parts = []
    if c.language:
        parts.append(
            f"**Confound: language.** Every article of **{t}** is in {', '.join(c.target_languages)} and every "
            f"article of **{r}** in {', '.join(c.reference_languages)}: a difference between these groups "
            "cannot be told from a difference between the languages (their vocabularies, their function "
            "words, the codebook's patterns for each)."
        )
    if c.outlet:
        parts.append(
            f"**Confound: outlet.** **{t}** is one outlet ({md_escape(c.target_outlets[0])}) and **{r}** another "
            f"({md_escape(c.reference_outlets[0])}): the comparison is between two outlets' styles as much as "
            "between the groups."
        )
    if not parts:
        shared = sorted(set(c.target_languages) & set(c.reference_languages))
        which = "a language" if len(shared) == 1 else "languages"
        text = f"The groups **{t}** and **{r}** share {which} ({', '.join(shared)})"
        if c.groups_by == "perspective":
            text += " and are not single outlets"
        parts.append(text + ".")
    if within:
        parts.append(f"The comparison is repeated within {', '.join(within)} below.")
    elif c.language:
        parts.append("No language has enough articles of both groups for a comparison within one language.")
    return " ".join(parts)
