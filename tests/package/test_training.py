"""Training the line classifier: folds by outlet, the threshold, the data it learns from, the stored model."""

from __future__ import annotations

import pytest

from corpus.cli import main
from corpus.errors import CorpusError
from corpus.ingest.rules import model_path
from corpus.package.quality import load_benchmark
from corpus.package.training import MIN_PRECISION, choose_threshold, digest, folds_of, train
from corpus.paths import Layout


def test_folds_deal_outlets_whatever_their_order_and_keep_an_outlet_whole() -> None:
    outlets = ["reuters.com", "tass.ru", "pravda.com.ua", "lemonde.fr", "spiegel.de", "tass.ru", "rbc.ru"]
    fold = folds_of(outlets, 3)
    assert fold == folds_of(list(reversed(outlets)), 3)
    assert set(fold) == set(outlets) and set(fold.values()) == {0, 1, 2}


def test_the_threshold_keeps_the_removed_lines_precise() -> None:
    probabilities = [0.99, 0.97, 0.95, 0.9, 0.8, 0.7, 0.4]
    truth = [True, True, True, False, True, False, True]
    threshold = choose_threshold(probabilities, truth)
    removed = [t for p, t in zip(probabilities, truth, strict=True) if p >= threshold]
    assert threshold == 0.95 and sum(removed) / len(removed) >= MIN_PRECISION
    assert choose_threshold([0.9, 0.8], [False, False]) == 1.0  # nothing is precise enough: remove nothing


def test_the_training_digest_reads_the_dev_pages_only(repo: Layout) -> None:
    pages = load_benchmark(repo.benchmark)
    before = digest(pages)
    holdout = next(p for p in pages if p.split == "holdout")
    holdout.text += "\nchanged"
    assert digest(pages) == before
    next(p for p in pages if p.split == "dev").labels[0] = (None, "furniture:nav")
    assert digest(pages) != before


@pytest.mark.slow
def test_the_stored_model_is_what_training_fits(repo: Layout) -> None:
    pytest.importorskip("sklearn")
    assert train(repo, check=True) == "catalog/line_model.json is current\n"


@pytest.mark.slow
def test_train_writes_the_model_and_check_fails_on_a_stale_one(
    project_copy: Layout, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sklearn")
    target = model_path(project_copy.catalog / "rules.toml")
    stored = target.read_bytes()
    target.write_text("{}", encoding="utf-8")
    monkeypatch.chdir(project_copy.root)
    with pytest.raises(CorpusError, match="not what `corpus train` fits now"):
        train(project_copy, check=True)
    assert main(["train"]) == 0
    assert target.read_bytes() == stored
    assert "wrote catalog/line_model.json" in capsys.readouterr().out
