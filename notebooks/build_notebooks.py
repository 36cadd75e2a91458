"""Write the four analysis notebooks (nbformat 4.5, fixed cell ids, no outputs).

The notebooks are generated so that their structure stays uniform: a ``parameters`` cell of
literal defaults, a cell validating them with ``corpus.params``, then calls into ``corpus``
only. Run ``python notebooks/build_notebooks.py`` after editing this file; the tests check that
the committed notebooks equal what this script writes.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

SETUP = """\
from IPython.display import Markdown, display

from corpus import analysis, figures, nlp, params, paths

tables = analysis.load_tables(paths.project())
"""

SELECT = """\
selection = analysis.select(
    tables,
    groups_by=p.groups_by,
    languages=p.languages,
    date_from=p.date_from,
    date_to=p.date_to,
    outlets=p.outlets,
)
Markdown(selection.notice())
"""

COMMON_PARAMS = """\
groups_by = "{groups_by}"  # "outlet", "perspective" or "language"
languages = ["en", "ru", "uk"]  # paragraph languages to include
date_from = None  # type: Optional[str]  # ISO date (YYYY, YYYY-MM, YYYY-MM-DD) or None
date_to = None  # type: Optional[str]
outlets = None  # type: Optional[list]  # outlet ids to keep, or None for all
top_n = {top_n}  # rows per table
min_freq = {min_freq}  # minimum frequency for terms, keyness and collocations
"""


def validate_cell(extra: str = "") -> str:
    return (
        SETUP
        + "p = params.validate(\n    tables,\n    groups_by=groups_by,\n    languages=languages,\n"
        + "    date_from=date_from,\n    date_to=date_to,\n    outlets=outlets,\n"
        + "    top_n=top_n,\n    min_freq=min_freq,\n"
        + extra
        + ")\n"
    )


def notebook(prefix: str, cells: list[tuple[str, str, str]]) -> nbformat.NotebookNode:
    """Build a notebook from (kind, id suffix, source) triples with ids ``prefix-suffix``."""
    nb = new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, suffix, source in cells:
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell.id = f"{prefix}-{suffix}"
        if suffix == "params":
            cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    return nb


OVERVIEW = notebook(
    "overview",
    [
        (
            "md",
            "title",
            "# Corpus overview\n\nWhat the corpus holds: articles by outlet, perspective, language "
            "and date; their lengths; how precise the dates are and where they come from; and a "
            "timeline of coverage. Every number in the prose below is computed from the data "
            "package.",
        ),
        ("code", "params", COMMON_PARAMS.format(groups_by="perspective", top_n=20, min_freq=1)),
        ("code", "validate", validate_cell()),
        ("code", "select", SELECT),
        ("md", "h-sources", "## Articles by outlet, perspective and language"),
        (
            "code",
            "summary",
            'by_outlet = analysis.documents_by(selection, "outlet_id")\n'
            'by_perspective = analysis.documents_by(selection, "perspective")\n'
            'by_language = analysis.documents_by(selection, "language")\n'
            "figures.md(\n"
            '    "The selection holds **{n}** article(s) from **{outlets}** outlet value(s) in '
            '**{languages}** language(s); {undated} article(s) were left out for lack of a date.",\n'
            "    n=len(selection.documents),\n"
            "    outlets=len(by_outlet),\n"
            "    languages=len(by_language),\n"
            "    undated=selection.excluded_undated,\n"
            ")\n",
        ),
        ("code", "by-outlet", "figures.table(by_outlet)"),
        (
            "code",
            "by-outlet-fig",
            'figures.show(\n    figures.bar_chart(\n        by_outlet,\n        category="value",\n'
            '        value="documents",\n        title="Articles by outlet",\n'
            '        xlabel="Articles",\n        ylabel="Outlet id",\n    )\n)',
        ),
        ("code", "by-perspective", "figures.table(by_perspective)"),
        ("code", "by-language", "figures.table(by_language)"),
        ("md", "h-lengths", "## Lengths"),
        (
            "code",
            "lengths",
            "lengths = analysis.document_lengths(selection)\n"
            "sizes = analysis.group_sizes(selection)\n"
            "for row in sizes.itertuples():\n"
            "    display(\n"
            "        figures.md(\n"
            '            "Group **{group}**: {documents} article(s), {paragraphs} paragraph(s), '
            '{tokens:,} word tokens.",\n'
            "            group=row.group,\n"
            "            documents=row.documents,\n"
            "            paragraphs=row.paragraphs,\n"
            "            tokens=row.tokens,\n"
            "        )\n"
            "    )\n"
            "figures.table(lengths)",
        ),
        (
            "code",
            "lengths-fig",
            'figures.show(\n    figures.bar_chart(\n        lengths,\n        category="doc_id",\n'
            '        value="tokens",\n        hue="group",\n'
            '        title="Article length in word tokens",\n        xlabel="Word tokens",\n'
            '        ylabel="Document id",\n    )\n)',
        ),
        ("md", "h-dates", "## Date precision and provenance"),
        ("code", "dates", "figures.table(analysis.date_provenance(selection))"),
        (
            "code",
            "timeline",
            'coverage = analysis.timeline(selection, period="month")\n'
            "figures.show(\n    figures.stacked_bars(\n        coverage,\n"
            '        index="period",\n        series="group",\n        value="documents",\n'
            '        title="Coverage over time (articles per month)",\n'
            "        xlabel=\"Month ('coarser': year-only date; 'undated': no date)\",\n"
            '        ylabel="Articles",\n    )\n)',
        ),
        ("md", "h-resources", "## Language resources in use"),
        ("code", "resources", "import pandas as pd\n\nfigures.table(pd.DataFrame(nlp.resources()))"),
    ],
)

VOCABULARY = notebook(
    "vocabulary",
    [
        (
            "md",
            "title",
            "# Vocabulary\n\nTop terms per group, keyness between two groups within each "
            "language (log-likelihood with Hardie's Log Ratio as effect size), keyness of "
            "codebook concepts across languages, collocations, and a concordance (KWIC). Terms "
            "are lemmas for Russian and Ukrainian (pymorphy3) and lowercase word forms for "
            "English; stopwords (published as `data/stopwords.csv`) are removed.",
        ),
        (
            "code",
            "params",
            COMMON_PARAMS.format(groups_by="perspective", top_n=15, min_freq=2)
            + 'target = "russian-state-media"  # group compared ...\n'
            + 'reference = "ukrainian"  # ... against this group\n'
            + 'measure = "likelihood_ratio"  # collocation measure: "likelihood_ratio" or "pmi"\n'
            + "kwic_term = None  # type: Optional[str]  # a single word, or None\n"
            + 'kwic_concept = "sanctions"  # type: Optional[str]  # a codebook concept id, or None\n',
        ),
        (
            "code",
            "validate",
            validate_cell(
                "    target=target,\n    reference=reference,\n    measure=measure,\n"
                "    kwic_term=kwic_term,\n    kwic_concept=kwic_concept,\n"
            ),
        ),
        ("code", "select", SELECT),
        ("md", "h-top", "## Top terms"),
        (
            "code",
            "top-terms",
            "top = analysis.term_frequencies(selection, top_n=p.top_n, min_freq=p.min_freq)\n"
            "figures.table(top, max_rows=200)",
        ),
        ("md", "h-keyness", "## Keyness within each language"),
        (
            "code",
            "keyness",
            "for language in p.languages:\n"
            "    key = analysis.keyness(\n"
            "        selection,\n"
            "        target=p.target,\n"
            "        reference=p.reference,\n"
            "        language=language,\n"
            "        min_freq=p.min_freq,\n"
            "        top_n=p.top_n,\n"
            "    )\n"
            '    display(Markdown(f"### Language `{language}`"))\n'
            "    display(\n"
            "        Markdown(\n"
            "            analysis.keyness_note(key, target=p.target, reference=p.reference, "
            "language=language)\n"
            "        )\n"
            "    )\n"
            "    display(figures.table(key))",
        ),
        ("md", "h-concepts", "## Keyness of codebook concepts (across languages)"),
        (
            "code",
            "concept-keyness",
            "concept_key = analysis.concept_keyness(\n"
            "    selection, target=p.target, reference=p.reference, min_freq=p.min_freq\n"
            ")\n"
            'significant = concept_key[concept_key["log_likelihood"] >= analysis.LL_CRITICAL["p<0.05"]]\n'
            "figures.md(\n"
            '    "{n} of {total} concepts differ between **{target}** and **{reference}** at '
            'p < 0.05 (log-likelihood ≥ 3.84).",\n'
            "    n=len(significant),\n"
            "    total=len(concept_key),\n"
            "    target=p.target,\n"
            "    reference=p.reference,\n"
            ")",
        ),
        ("code", "concept-keyness-table", "figures.table(concept_key, max_rows=p.top_n * 2)"),
        (
            "code",
            "concept-keyness-fig",
            "figures.show(\n    figures.bar_chart(\n"
            '        significant,\n        category="label",\n        value="log_ratio",\n'
            '        title="Concepts over-used by the target (>0) or the reference (<0)",\n'
            '        xlabel="Log Ratio (binary log of the ratio of relative frequencies)",\n'
            '        ylabel="Concept",\n'
            '        empty_message="No concept differs at p < 0.05",\n    )\n)',
        ),
        ("md", "h-collocations", "## Collocations"),
        (
            "code",
            "collocations",
            "figures.table(\n    analysis.collocations(\n        selection, measure=p.measure, "
            "min_freq=p.min_freq, top_n=p.top_n\n    ),\n    max_rows=200,\n)",
        ),
        ("md", "h-kwic", "## Concordance (KWIC)"),
        (
            "code",
            "kwic",
            "lines = analysis.kwic(selection, term=p.kwic_term, concept=p.kwic_concept)\n"
            "figures.md(\n"
            '    "{n} concordance line(s) for {what} in {docs} document(s).",\n'
            "    n=len(lines),\n"
            '    what=f"term {p.kwic_term}" if p.kwic_term else f"concept {p.kwic_concept}",\n'
            '    docs=lines["doc_id"].nunique(),\n'
            ")",
        ),
        ("code", "kwic-table", "figures.table(lines, max_rows=100)"),
    ],
)

ACTORS = notebook(
    "actors",
    [
        (
            "md",
            "title",
            "# Actors and topics\n\nCodebook concepts (see `catalog/codebook.toml`) matched in "
            "each language by their own patterns, normalized per 1,000 word tokens; how often "
            "concepts share a sentence; and who is quoted (direct quotations and reported "
            "speech, attributed to the nearest actor in the sentence).",
        ),
        ("code", "params", COMMON_PARAMS.format(groups_by="outlet", top_n=15, min_freq=1)),
        ("code", "validate", validate_cell()),
        ("code", "select", SELECT),
        ("md", "h-actors", "## Actors per 1,000 tokens"),
        (
            "code",
            "actors",
            'actors = analysis.concept_rates(selection, concept_group="actor")\n'
            'for row in analysis.top_per_group(actors, value="per_1000").itertuples():\n'
            "    display(\n"
            "        figures.md(\n"
            '            "Most mentioned actor in **{group}**: {label}, {n} mention(s), '
            '{rate:.1f} per 1,000 tokens.",\n'
            "            group=row.group,\n"
            "            label=row.label,\n"
            "            n=row.mentions,\n"
            "            rate=row.per_1000,\n"
            "        )\n"
            "    )\n"
            'figures.show(\n    figures.heatmap(\n        actors,\n        rows="label",\n'
            '        columns="group",\n        value="per_1000",\n'
            '        title="Actor mentions per 1,000 tokens",\n        xlabel=p.groups_by,\n'
            '        ylabel="Actor",\n        colorbar_label="Mentions per 1,000 tokens",\n    )\n)',
        ),
        ("md", "h-topics", "## Topics per 1,000 tokens"),
        (
            "code",
            "topics",
            'topics = analysis.concept_rates(selection, concept_group="topic")\n'
            'for row in analysis.top_per_group(topics, value="per_1000").itertuples():\n'
            "    display(\n"
            "        figures.md(\n"
            '            "Leading topic in **{group}**: {label}, {rate:.1f} mentions per 1,000 '
            'tokens.",\n'
            "            group=row.group,\n"
            "            label=row.label,\n"
            "            rate=row.per_1000,\n"
            "        )\n"
            "    )\n"
            'figures.show(\n    figures.heatmap(\n        topics,\n        rows="label",\n'
            '        columns="group",\n        value="per_1000",\n'
            '        title="Topic mentions per 1,000 tokens",\n        xlabel=p.groups_by,\n'
            '        ylabel="Topic",\n        colorbar_label="Mentions per 1,000 tokens",\n    )\n)',
        ),
        ("code", "rates-table", 'figures.table(topics[topics["mentions"] > 0], max_rows=200)'),
        ("md", "h-cooc", "## Co-occurrence within sentences"),
        (
            "code",
            "cooccurrence",
            "pairs = analysis.cooccurrence(selection, min_count=p.min_freq)\nfigures.table(pairs, max_rows=p.top_n)",
        ),
        ("md", "h-quotes", "## Who is quoted"),
        (
            "code",
            "quotes",
            "quoted = analysis.quotes(selection)\n"
            "speakers = analysis.quote_counts(quoted)\n"
            'for row in analysis.top_per_group(speakers, value="total").itertuples():\n'
            "    display(\n"
            "        figures.md(\n"
            '            "Most quoted in **{group}**: {speaker} ({direct} direct, {reported} '
            'reported).",\n'
            "            group=row.group,\n"
            "            speaker=row.speaker_label,\n"
            "            direct=row.direct,\n"
            "            reported=row.reported,\n"
            "        )\n"
            "    )\n"
            "figures.table(speakers, max_rows=p.top_n * 3)",
        ),
        (
            "code",
            "quotes-fig",
            "figures.show(\n    figures.bar_chart(\n        speakers,\n"
            '        category="speaker_label",\n        value="total",\n        hue="group",\n'
            '        title="Quoted speakers (direct and reported speech)",\n'
            '        xlabel="Sentences",\n        ylabel="Speaker",\n    )\n)',
        ),
        ("code", "quotes-table", "figures.table(quoted, max_rows=p.top_n * 3)"),
    ],
)

FRAMING = notebook(
    "framing",
    [
        (
            "md",
            "title",
            "# Framing\n\nCooperation/normalization versus confrontation/accusation frames, "
            "evaluative labels and distancing markers by group, from the codebook's frame "
            "concepts (matched in each language). English sentence tone (VADER) is reported "
            "*beside* the frames, not instead of them: VADER is an English lexicon and Russian "
            "or Ukrainian sentences are not scored.",
        ),
        (
            "code",
            "params",
            COMMON_PARAMS.format(groups_by="outlet", top_n=15, min_freq=1)
            + 'kwic_concept = "frame_distancing"  # type: Optional[str]  # concept shown in context\n',
        ),
        ("code", "validate", validate_cell("    kwic_concept=kwic_concept,\n")),
        ("code", "select", SELECT),
        ("md", "h-frames", "## Frames per 1,000 tokens"),
        (
            "code",
            "frames",
            "frames = analysis.frame_rates(selection)\n"
            'ratio = frames.pivot_table(index="group", columns="subgroup", values="mentions", aggfunc="sum")\n'
            "for group, row in ratio.iterrows():\n"
            "    display(\n"
            "        figures.md(\n"
            '            "**{group}**: {coop} cooperation and {conf} confrontation marker(s); '
            '{ev} evaluative label(s), {dist} distancing marker(s).",\n'
            "            group=str(group),\n"
            '            coop=int(row.get("cooperation", 0)),\n'
            '            conf=int(row.get("confrontation", 0)),\n'
            '            ev=int(row.get("evaluative", 0)),\n'
            '            dist=int(row.get("distancing", 0)),\n'
            "        )\n"
            "    )\n"
            "figures.table(frames)",
        ),
        (
            "code",
            "frames-fig",
            "figures.show(\n    figures.bar_chart(\n"
            '        frames[frames["subgroup"] != "reported-speech"],\n'
            '        category="subgroup",\n        value="per_1000",\n        hue="group",\n'
            '        title="Frame markers per 1,000 tokens",\n'
            '        xlabel="Mentions per 1,000 tokens",\n        ylabel="Frame family",\n    )\n)',
        ),
        ("md", "h-labels", "## Evaluative labels and distancing markers in context"),
        (
            "code",
            "labels",
            'figures.table(analysis.kwic(selection, concept="frame_evaluative"), max_rows=p.top_n)',
        ),
        (
            "code",
            "distancing",
            "figures.table(analysis.kwic(selection, concept=p.kwic_concept), max_rows=p.top_n)",
        ),
        ("md", "h-tone", "## English sentence tone beside the frames"),
        (
            "code",
            "tone",
            "scored = analysis.tone(selection)\n"
            "by_frame = analysis.tone_by_frame(scored)\n"
            "figures.md(\n"
            '    "{n} English sentence(s) scored; mean VADER compound {mean:.2f} (range -1 to 1).",\n'
            "    n=len(scored),\n"
            '    mean=float(scored["compound"].mean()) if len(scored) else 0.0,\n'
            ")",
        ),
        ("code", "tone-table", "figures.table(by_frame)"),
        (
            "code",
            "tone-fig",
            "figures.show(\n    figures.bar_chart(\n        by_frame,\n"
            '        category="frame",\n        value="mean_compound",\n        hue="group",\n'
            '        title="Mean VADER tone of English sentences by frame",\n'
            '        xlabel="Mean compound score (-1 negative, +1 positive)",\n'
            '        ylabel="Frame family in the sentence",\n    )\n)',
        ),
    ],
)

NOTEBOOKS = {
    "01_overview.ipynb": OVERVIEW,
    "02_vocabulary.ipynb": VOCABULARY,
    "03_actors_topics.ipynb": ACTORS,
    "04_framing.ipynb": FRAMING,
}


def render(nb: nbformat.NotebookNode) -> str:
    """The notebook's file text (validated, stable key order, trailing newline)."""
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main() -> int:
    for name, nb in NOTEBOOKS.items():
        temp = HERE / f".{name}.tmp"
        temp.write_text(render(nb), encoding="utf-8")
        os.replace(temp, HERE / name)  # atomic: a failed run leaves the old notebook
    return 0


if __name__ == "__main__":
    sys.exit(main())
