"""The gold annotations: read against the extraction benchmark's lines, checked, and refused when wrong."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from corpus.errors import GoldError
from corpus.paths import Layout
from corpus.text.gold import Gold, load_gold, unescape


@pytest.fixture(scope="module")
def gold(repo: Layout) -> Gold:
    return load_gold(repo)


def test_the_gold_holds_what_its_readme_counts(gold: Gold) -> None:
    assert len(gold.lines) == 287
    assert len(gold.mentions) == 1905
    assert len(gold.non_mentions) == 67
    assert len({q.quote_id for q in gold.quotes}) == 321 and len(gold.quotes) == 330
    assert len(list(gold.articles())) == 47
    assert {g.split for g in gold.lines} == {"dev", "holdout"}
    assert gold.split_of("seed-000") == "dev"


def test_every_span_is_its_text_on_its_line(gold: Gold) -> None:
    for m in (*gold.mentions, *gold.non_mentions):
        assert gold.by_line[(m.source, m.line)].text[m.start : m.end] == m.text


def test_left_out_fragments_are_the_line_notes_but_second_headlines(gold: Gold) -> None:
    assert ("seed-000", 1) not in gold.by_line  # the seed's header line is not an article line
    dateline = gold.by_line[("b002", 13)]
    assert dateline.text[slice(*dateline.left_out[0])] == "MOSCOW (Reuters) - "
    assert dateline.inside_left_out(0, 6) and not dateline.inside_left_out(30, 40)
    # b020's glued second headline is coded: only the header before it is left out
    b020 = gold.by_line[("b020", 1)]
    assert [b020.text[a:b] for a, b in b020.left_out] == [" date 2026-03-07 "]


def test_label_text_is_unescaped() -> None:
    assert unescape(r"a\\b\tc") == "a\\b\tc"
    assert unescape(r"trailing \x") == r"trailing \x"


def _copy(repo: Layout, tmp_path: Path) -> Layout:
    shutil.copytree(repo.benchmarks / "gold", tmp_path / "benchmarks" / "gold")
    shutil.copytree(repo.benchmarks / "extraction", tmp_path / "benchmarks" / "extraction")
    return Layout(tmp_path)


def test_a_misplaced_span_is_refused_with_its_row(repo: Layout, tmp_path: Path) -> None:
    layout = _copy(repo, tmp_path)
    path = layout.benchmarks / "gold" / "mentions.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    fields = lines[1].split("\t")
    fields[2] = str(int(fields[2]) + 1)
    lines[1] = "\t".join(fields)
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(GoldError, match=r"gold/mentions.tsv row 2: .* is not at \d+:\d+ of a coded line seed-000:2"):
        load_gold(layout)


def test_a_missing_file_is_named(repo: Layout, tmp_path: Path) -> None:
    layout = _copy(repo, tmp_path)
    (layout.benchmarks / "gold" / "quotes.tsv").unlink()
    with pytest.raises(GoldError, match=r"benchmarks/gold/quotes.tsv not found"):
        load_gold(layout)
