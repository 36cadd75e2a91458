"""The line classifier: a fitted model stored as data (``catalog/line_model.json``), applied in plain Python.

The model is trained by ``corpus train`` (``nox -s train``) on the ``dev`` pages of the extraction
benchmark and stored as numbers: for each line, the probability that it is page furniture, and
which kind of furniture it most likely is. Nothing is unpickled; the file names its features
(the extraction refuses a model of other features than :data:`corpus.ingest.features.FEATURES`)
and the digest of the data it was fitted on.

Two forms are read: ``logistic`` (standardised features, one weight each) and ``trees``
(gradient-boosted regression trees summed into a log-odds).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.errors import CatalogError


@dataclass(frozen=True)
class Linear:
    """A linear score over standardised features: ``intercept + Σ coef · (x − mean) / scale``."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def score(self, x: list[float]) -> float:
        return self.intercept + sum(
            w * (v - m) / s for w, v, m, s in zip(self.coef, x, self.mean, self.scale, strict=True)
        )


@dataclass(frozen=True)
class Tree:
    """One regression tree: node arrays as scikit-learn stores them (a leaf has ``left == -1``)."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def score(self, x: list[float]) -> float:
        node = 0
        while self.left[node] != -1:
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class Trees:
    """Gradient-boosted trees: ``init + rate · Σ tree(x)`` is the log-odds."""

    init: float
    rate: float
    trees: tuple[Tree, ...]

    def score(self, x: list[float]) -> float:
        return self.init + self.rate * sum(t.score(x) for t in self.trees)


@dataclass(frozen=True)
class LineModel:
    """The fitted line classifier."""

    features: tuple[str, ...]  # names of the features, in the order of a vector
    furniture: Linear | Trees
    threshold: float  # a line is furniture when its probability reaches this
    kinds: tuple[str, ...]  # kinds of furniture, in the order of ``kind_scores``
    kind_scores: tuple[Linear, ...]  # one linear score per kind (the highest names the kind)
    title: Linear | None  # the log-odds that a line is the article's headline
    digest: str  # SHA-256 of the training lines and labels

    def probability(self, x: list[float]) -> float:
        """Probability that a line with features ``x`` is page furniture."""
        return _sigmoid(self.furniture.score(x))

    def title_probability(self, x: list[float]) -> float:
        """Probability that a line with features ``x`` is the headline (0 without a title model)."""
        return _sigmoid(self.title.score(x)) if self.title is not None else 0.0

    def kind(self, x: list[float]) -> str:
        """The most likely kind of furniture of a line with features ``x``."""
        if not self.kinds:
            return "furniture"
        scores = [k.score(x) for k in self.kind_scores]
        return self.kinds[scores.index(max(scores))]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _floats(data: dict[str, Any], key: str, n: int, where: str) -> tuple[float, ...]:
    values = data[key]
    if not isinstance(values, list) or len(values) != n:
        raise CatalogError(f"{where}: {key} must be a list of {n} numbers")
    return tuple(float(v) for v in values)


def _linear(data: dict[str, Any], n: int, where: str) -> Linear:
    return Linear(
        _floats(data, "mean", n, where),
        _floats(data, "scale", n, where),
        _floats(data, "coef", n, where),
        float(data["intercept"]),
    )


def _trees(data: dict[str, Any], n_features: int, where: str) -> Trees:
    trees = []
    for t in data["trees"]:
        n = len(t["left"])
        if any(not 0 <= int(f) < n_features for f, left in zip(t["feature"], t["left"], strict=True) if left != -1):
            raise CatalogError(f"{where}: a tree splits on a feature the model does not name")
        trees.append(
            Tree(
                tuple(int(v) for v in t["feature"]),
                _floats(t, "threshold", n, where),
                tuple(int(v) for v in t["left"]),
                tuple(int(v) for v in t["right"]),
                _floats(t, "value", n, where),
            )
        )
    return Trees(float(data["init"]), float(data["rate"]), tuple(trees))


def model_from_dict(data: dict[str, Any], where: str = "line model") -> LineModel:
    """Build a :class:`LineModel` from its stored form.

    Raises:
        CatalogError: If a field is missing or malformed.
    """
    try:
        features = tuple(str(f) for f in data["features"])
        n = len(features)
        furniture = data["furniture"]
        form = furniture["form"]
        if form not in ("logistic", "trees"):
            raise CatalogError(f"{where}: furniture.form must be 'logistic' or 'trees', not {form!r}")
        kinds = data["kinds"]
        return LineModel(
            features=features,
            furniture=_linear(furniture, n, where) if form == "logistic" else _trees(furniture, n, where),
            threshold=float(data["threshold"]),
            kinds=tuple(str(k) for k in kinds["classes"]),
            kind_scores=tuple(_linear(k, n, where) for k in kinds["scores"]),
            title=_linear(data["title"], n, where) if data.get("title") else None,
            digest=str(data.get("training", {}).get("sha256", "")),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise CatalogError(f"{where}: malformed model ({exc!r}): retrain it with `corpus train`") from exc


def load_model(path: Path) -> LineModel:
    """Read the stored line model.

    Raises:
        CatalogError: If the file is missing, not JSON, or not a model.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"{path.name} is missing: train the line model with `corpus train` (nox -s train)") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path.name}: not a JSON model ({exc}): retrain it with `corpus train`") from exc
    return model_from_dict(data, path.name)
