"""Who is quoted: speech acts of the selection, their speakers shown only when the attribution is confident."""

from __future__ import annotations

from corpus.analysis.quotes import SPEAKER_UNRESOLVED, attribution_quality, quote_counts, quotes
from corpus.analysis.select import Selection


def test_quotes_attribute_direct_and_reported_speech(selection: Selection) -> None:
    quoted = quotes(selection)
    by_text = {str(t)[:30]: row for t, row in zip(quoted["text"], quoted.itertuples(index=False), strict=True)}
    direct = by_text["We are discussing cooperation "]
    assert (direct.kind, direct.speaker, direct.basis, direct.confidence) == ("direct", "putin", "named", "high")
    lavrov = quoted[(quoted["doc_id"] == "001_bbbb-1") & (quoted["paragraph"] == 2)].iloc[0]
    assert (lavrov["kind"], lavrov["speaker"], lavrov["marker"]) == ("reported", "lavrov", "said")
    dmitriev = quoted[(quoted["doc_id"] == "002_cccc-1") & (quoted["paragraph"] == 2)].iloc[0]
    assert (dmitriev["kind"], dmitriev["speaker"], dmitriev["marker"]) == ("reported", "dmitriev", "По словам")
    # the one-word quoted "x" in the script tag is not a quotation, and that paragraph reports no speech
    assert quoted[quoted["doc_id"] == "003_dddd-1"].empty
    counts = quote_counts(quoted)
    putin = counts[counts["speaker_label"] == "Vladimir Putin"].iloc[0]
    assert (putin["direct"], putin["reported"], putin["total"], putin["articles"]) == (1, 1, 2, 1)


def test_only_high_confidence_hides_resolved_references(selection: Selection) -> None:
    medium, high = quotes(selection), quotes(selection, min_confidence="high")
    assert len(medium) == len(high)
    hidden = high[~high["shown"]]
    assert set(hidden["speaker_label"]) <= {SPEAKER_UNRESOLVED}
    assert set(medium.loc[hidden.index, "confidence"]) <= {"medium", "low"}


def test_fixture_package_has_no_gold_scores(selection: Selection) -> None:
    assert attribution_quality(selection).empty
