"""Overview tables: group sizes (the denominators of every rate)."""

from __future__ import annotations

from corpus.analysis.overview import group_sizes
from corpus.analysis.select import Selection, select


def test_group_sizes_count_word_tokens(selection: Selection) -> None:
    sizes = group_sizes(selection).set_index("group")
    # paragraph 1 of 000_aaaa-1 has 12 words; paragraph 2 ("We are discussing ... remain.") 11
    assert sizes.loc["russian-state-media", "documents"] == 2
    first = select(selection.tables, languages=["en"], date_from="2025-08-23", date_to="2025-08-23")
    assert group_sizes(first)["tokens"].tolist() == [12 + 11]
