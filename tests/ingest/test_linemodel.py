"""The line classifier as stored data: the committed model, its checks, and how it is evaluated."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from corpus.errors import CatalogError, UnsafePathError
from corpus.ingest.extract import CLASSIFIER_PREFIX, extract, is_judgement
from corpus.ingest.features import FEATURES
from corpus.ingest.linemodel import load_model, model_from_dict
from corpus.ingest.rules import load_rules, model_path

ROOT = Path(__file__).resolve().parents[2]
RULES_PATH = ROOT / "catalog" / "rules.toml"


def _linear(n: int, coef: list[float], intercept: float) -> dict[str, Any]:
    return {"mean": [0.0] * n, "scale": [1.0] * n, "coef": coef, "intercept": intercept}


def _model(n: int = 2, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "features": [f"f{k}" for k in range(n)],
        "threshold": 0.9,
        "furniture": {"form": "logistic", **_linear(n, [1.0] + [0.0] * (n - 1), 0.0)},
        "kinds": {"classes": ["nav", "promo"], "scores": [_linear(n, [1.0, 0.0], 0.0), _linear(n, [-1.0, 0.0], 0.0)]},
        "title": _linear(n, [0.0, 2.0], -1.0),
        "training": {"sha256": "ab" * 32},
    }
    return data | changes


def test_the_committed_model_loads_and_names_the_extractions_features() -> None:
    model = load_model(model_path(RULES_PATH))
    assert model.features == FEATURES
    assert 0.5 <= model.threshold <= 1.0
    assert len(model.digest) == 64 and set(model.digest) <= set("0123456789abcdef")
    assert set(model.kinds) <= {"caption", "credit", "duplicate", "meta", "nav", "other", "promo", "related"}
    assert load_rules(RULES_PATH).model == model


def test_the_committed_model_is_stored_deterministically() -> None:
    text = model_path(RULES_PATH).read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    numbers = [*data["furniture"]["coef"], *data["furniture"]["mean"], *data["title"]["coef"]]
    assert all(round(v, 5) == v for v in numbers)
    assert data["training"]["pages"] == 97  # the dev pages of the benchmark, never the holdout's


def test_logistic_and_kind_scores_are_evaluated_as_stored() -> None:
    model = model_from_dict(_model())
    assert model.probability([0.0, 0.0]) == pytest.approx(0.5)
    assert model.probability([2.0, 0.0]) == pytest.approx(1 / (1 + math.exp(-2)))
    assert model.probability([-800.0, 0.0]) == pytest.approx(0.0)  # no overflow far from the boundary
    assert (model.kind([1.0, 0.0]), model.kind([-1.0, 0.0])) == ("nav", "promo")
    assert model.title_probability([0.0, 0.5]) == pytest.approx(0.5)


def test_boosted_trees_are_walked_as_scikit_learn_stores_them() -> None:
    tree = {"feature": [1, -2, -2], "threshold": [0.5, -2.0, -2.0], "left": [1, -1, -1], "right": [2, -1, -1]}
    furniture = {"form": "trees", "init": 0.0, "rate": 0.5, "trees": [tree | {"value": [0.0, -4.0, 4.0]}]}
    model = model_from_dict(_model(furniture=furniture))
    assert model.probability([0.0, 0.2]) == pytest.approx(1 / (1 + math.exp(2)))
    assert model.probability([0.0, 0.9]) == pytest.approx(1 / (1 + math.exp(-2)))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"furniture": {"form": "forest"}}, "furniture.form must be"),
        ({"threshold": "high"}, "malformed model"),
        ({"title": _linear(2, [1.0], 0.0)}, "coef must be a list of 2 numbers"),
        ({"kinds": {}}, "malformed model"),
    ],
)
def test_a_malformed_model_is_refused_with_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        model_from_dict(_model(**changes), "line_model.json")


def test_a_tree_on_a_feature_the_model_does_not_name_is_refused() -> None:
    tree = {"feature": [5, -2, -2], "threshold": [0.5, 0, 0], "left": [1, -1, -1], "right": [2, -1, -1]}
    furniture = {"form": "trees", "init": 0.0, "rate": 0.1, "trees": [tree | {"value": [0, 1, 1]}]}
    with pytest.raises(CatalogError, match="feature the model does not name"):
        model_from_dict(_model(furniture=furniture))


def test_a_missing_or_broken_model_file_names_the_command_that_makes_it(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match=r"line_model\.json is missing: train"):
        load_model(tmp_path / "line_model.json")
    (tmp_path / "line_model.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(CatalogError, match="not a JSON model"):
        load_model(tmp_path / "line_model.json")


def test_the_rules_may_not_point_the_model_outside_the_catalog(tmp_path: Path) -> None:
    text = RULES_PATH.read_text(encoding="utf-8").replace('line_model = "line_model.json"', 'line_model = "../x.json"')
    (tmp_path / "rules.toml").write_text(text, encoding="utf-8")
    with pytest.raises(UnsafePathError):
        model_path(tmp_path / "rules.toml")


def test_a_model_of_other_features_is_refused_by_the_extraction(tmp_path: Path) -> None:
    data = json.loads(model_path(RULES_PATH).read_text(encoding="utf-8"))
    data["features"] = [*data["features"][1:], data["features"][0]]
    (tmp_path / "line_model.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "rules.toml").write_text(RULES_PATH.read_text(encoding="utf-8"), encoding="utf-8")
    rules = load_rules(tmp_path / "rules.toml")
    with pytest.raises(CatalogError, match="other features than the extraction computes"):
        extract("A headline about talks\n\nThe talks went on for hours, the ministry said.\n", rules)


def test_classifier_decisions_are_judgements_a_curator_sees() -> None:
    assert is_judgement(f"{CLASSIFIER_PREFIX}promo") and is_judgement("teaser")
    assert not is_judgement("url") and not is_judgement("byline")


def test_the_extraction_never_imports_the_training_library() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from corpus.ingest.extract import extract\n"
        "from corpus.ingest.rules import load_rules\n"
        f"rules = load_rules(Path({str(RULES_PATH)!r}))\n"
        "extract('A headline about talks\\n\\nThe talks went on for hours, the ministry said.\\n', rules)\n"
        "assert rules.model is not None\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
