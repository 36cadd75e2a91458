"""Who is quoted: direct and reported speech, attributed to the nearest actor."""

from __future__ import annotations

from corpus.analysis.quotes import quote_counts, quotes
from corpus.analysis.select import Selection


def test_quotes_attribute_direct_and_reported_speech(selection: Selection) -> None:
    quoted = quotes(selection).set_index(["doc_id", "paragraph", "sentence"])
    assert quoted.loc[("000_aaaa-1", 2, 1), ["kind", "speaker"]].tolist() == ["direct", "putin"]
    assert quoted.loc[("001_bbbb-1", 2, 1), ["kind", "speaker", "marker"]].tolist() == ["reported", "lavrov", "said"]
    assert quoted.loc[("002_cccc-1", 2, 1), ["kind", "speaker"]].tolist() == ["reported", "dmitriev"]
    # the one-word quoted "x" in the script tag is not a quotation
    assert ("003_dddd-1", 1, 1) not in quoted.index
    counts = quote_counts(quotes(selection))
    putin = counts[counts["speaker_label"] == "Vladimir Putin"].iloc[0]
    assert (putin["direct"], putin["reported"], putin["total"]) == (1, 1, 2)
