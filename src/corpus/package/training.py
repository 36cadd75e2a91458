"""Train the line classifier on the extraction benchmark's ``dev`` pages, with cross-validation by outlet.

Every non-blank line that the general rules of ``catalog/rules.toml`` leave undecided is one
example: its features (:mod:`corpus.ingest.features`) and whether its hand-checked label is
page furniture. The ``holdout`` pages are never read for training.

How well the classifier generalises is measured the way it will be used, on outlets it has not
seen: the ``dev`` outlets are dealt into :data:`FOLDS` folds (by a hash of the outlet, so the
folds do not depend on the order of the pages), and each fold's lines are scored by a model
fitted on the other folds (its threshold chosen by the same procedure inside those folds). The
fitted model is written as plain numbers to ``catalog/line_model.json``; scikit-learn is needed
here only (the ``train`` dependency group), never by the build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from corpus.errors import CorpusError
from corpus.fileio import write_atomic
from corpus.ingest.catalog import Catalog, load_catalog
from corpus.ingest.extract import prepare
from corpus.ingest.features import FEATURES
from corpus.ingest.rules import Rules, load_rules, model_path
from corpus.package.quality import (
    Page,
    PageScore,
    load_benchmark,
    markdown,
    page_catalog_names,
    repetitions,
    score_page,
    score_table,
)
from corpus.paths import Layout

#: Folds of outlets in the cross-validation.
FOLDS: Final[int] = 5
#: The share of removed lines that must be furniture (out of fold) at the chosen threshold.
MIN_PRECISION: Final[float] = 0.99
#: Regularisation of the logistic regressions (inverse strength, scikit-learn's ``C``).
C_FURNITURE: Final[float] = 0.3
C_KINDS: Final[float] = 0.3
C_TITLE: Final[float] = 0.3
#: The form of the furniture model, and the size of the boosted trees.
FORM: Final[str] = "logistic"
TREES: Final[int] = 100
TREE_DEPTH: Final[int] = 3
TREE_RATE: Final[float] = 0.1
#: Decimal places kept of every stored number.
DIGITS: Final[int] = 5


@dataclass(frozen=True)
class Example:
    """One line to learn from: its page, outlet, line number, features and gold label."""

    page_id: str
    outlet: str
    line: int
    vector: tuple[float, ...]
    label: str

    @property
    def furniture(self) -> bool:
        return self.label.startswith("furniture:")

    @property
    def kind(self) -> str:
        return self.label.removeprefix("furniture:")


def folds_of(outlets: Sequence[str], folds: int = FOLDS) -> dict[str, int]:
    """Deal outlets into folds: ordered by the SHA-256 of their name, then in turn."""
    ordered = sorted(set(outlets), key=lambda o: hashlib.sha256(o.encode("utf-8")).hexdigest())
    return {outlet: k % folds for k, outlet in enumerate(ordered)}


def _line_number(page: Page, offset: int) -> int:
    """The benchmark's 1-based line number of a character offset of the page."""
    for number, (start, end) in enumerate(page.line_spans, start=1):
        if start <= offset <= end:
            return number
    raise CorpusError(f"{page.page_id}: offset {offset} lies on no line")


def page_examples(page: Page, rules: Rules, catalog: Catalog, repeated: frozenset[str]) -> list[Example]:
    """The examples of one page: its lines the general rules leave to the classifier."""
    prepared = prepare(page.text, rules, site_names=page_catalog_names(page, catalog), repeated=repeated)
    out = []
    for i, vector in zip(prepared.judged, prepared.vectors, strict=True):
        number = _line_number(page, prepared.lines[i].start)
        out.append(Example(page.page_id, page.outlet, number, tuple(vector), page.labels[number - 1][1]))
    return out


def examples(pages: list[Page], rules: Rules, catalog: Catalog) -> list[Example]:
    """The examples of every ``dev`` page (the rules without their model: features do not depend on it)."""
    repeated = repetitions(pages, rules, catalog)
    return [
        example
        for page in pages
        if page.split == "dev"
        for example in page_examples(page, rules, catalog, repeated.get(page.page_id, frozenset()))
    ]


def digest(pages: list[Page]) -> str:
    """SHA-256 of what the model learns from: the ``dev`` pages' text and labels."""
    h = hashlib.sha256()
    for page in sorted((p for p in pages if p.split == "dev"), key=lambda p: p.page_id):
        h.update(json.dumps([page.page_id, page.text, page.labels], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def _round(values: Any) -> Any:
    return [round(float(v), DIGITS) for v in values]


def _standardised(x: Any) -> tuple[Any, Any, Any]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return (x - mean) / scale, mean, scale


def _logistic(x: Any, y: Any, c: float) -> tuple[Any, Any, Any, Any]:
    """Fit a logistic regression on standardised features: mean, scale, coefficients, intercepts."""
    from sklearn.linear_model import LogisticRegression

    z, mean, scale = _standardised(x)
    fitted = LogisticRegression(C=c, max_iter=10_000, solver="lbfgs").fit(z, y)
    return mean, scale, fitted.coef_, fitted.intercept_


def _furniture_logistic(x: Any, y: Any) -> dict[str, Any]:
    mean, scale, coef, intercept = _logistic(x, y, C_FURNITURE)
    furniture = {"form": "logistic", "mean": _round(mean), "scale": _round(scale)}
    return furniture | {"coef": _round(coef[0]), "intercept": round(float(intercept[0]), DIGITS)}


def _furniture_trees(x: Any, y: Any) -> dict[str, Any]:
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    fitted = GradientBoostingClassifier(
        n_estimators=TREES, max_depth=TREE_DEPTH, learning_rate=TREE_RATE, random_state=0
    ).fit(x, y)
    prior = float(np.mean(y))
    trees = []
    for estimator in fitted.estimators_[:, 0]:
        tree = estimator.tree_
        trees.append(
            {
                "feature": [int(f) for f in tree.feature],
                "threshold": _round(tree.threshold),
                "left": [int(v) for v in tree.children_left],
                "right": [int(v) for v in tree.children_right],
                "value": _round(tree.value[:, 0, 0]),
            }
        )
    init = round(float(np.log(prior / (1 - prior))), DIGITS)
    return {"form": "trees", "init": init, "rate": TREE_RATE, "trees": trees}


def fit(train: Sequence[Example], threshold: float) -> dict[str, Any]:
    """Fit the furniture and kind models on ``train``; the stored form of :mod:`corpus.ingest.linemodel`."""
    import numpy as np

    x = np.array([e.vector for e in train], dtype=float)
    y = np.array([e.furniture for e in train])
    furniture = _furniture_trees(x, y) if FORM == "trees" else _furniture_logistic(x, y)
    kinds_x = np.array([e.vector for e in train if e.furniture], dtype=float)
    kinds_y = np.array([e.kind for e in train if e.furniture])
    classes = sorted(set(kinds_y))
    scores = []
    if len(classes) > 1:
        k_mean, k_scale, k_coef, k_intercept = _logistic(kinds_x, kinds_y, C_KINDS)
        rows = k_coef if len(classes) > 2 else np.vstack([-k_coef[0], k_coef[0]])
        icpt = k_intercept if len(classes) > 2 else np.array([-k_intercept[0], k_intercept[0]])
        for row, b in zip(rows, icpt, strict=True):
            scores.append(
                {
                    "mean": _round(k_mean),
                    "scale": _round(k_scale),
                    "coef": _round(row),
                    "intercept": round(float(b), DIGITS),
                }
            )
    title_y = np.array([e.label == "title" for e in train])
    t_mean, t_scale, t_coef, t_intercept = _logistic(x, title_y, C_TITLE)
    title = {"mean": _round(t_mean), "scale": _round(t_scale), "coef": _round(t_coef[0])}
    title["intercept"] = round(float(t_intercept[0]), DIGITS)
    return {
        "format": 1,
        "features": list(FEATURES),
        "threshold": round(threshold, DIGITS),
        "furniture": furniture,
        "kinds": {"classes": classes if len(classes) > 1 else [], "scores": scores},
        "title": title,
    }


Fitter = Callable[[Sequence[Example], float], dict[str, Any]]


def out_of_fold(data: Sequence[Example], fold: dict[str, int], fitter: Fitter = fit) -> list[tuple[float, float]]:
    """Each example's furniture and headline probabilities from a model fitted on the other folds' outlets."""
    from corpus.ingest.linemodel import model_from_dict

    out = [(0.0, 0.0)] * len(data)
    for f in sorted(set(fold.values())):
        train = [e for e in data if fold[e.outlet] != f]
        model = model_from_dict(fitter(train, 0.5))
        for k, e in enumerate(data):
            if fold[e.outlet] == f:
                x = list(e.vector)
                out[k] = (model.probability(x), model.title_probability(x))
    return out


def choose_threshold(probabilities: Sequence[float], truth: Sequence[bool]) -> float:
    """The lowest threshold at which the lines removed are at least :data:`MIN_PRECISION` furniture.

    Scanning from the most confident line down, the threshold stops just above the first point
    where precision would fall below ``min_precision`` for good (never below 0.5).
    """
    ranked = sorted(zip(probabilities, truth, strict=True), key=lambda pt: -pt[0])
    best = 1.0
    right = 0
    for n, (p, is_furniture) in enumerate(ranked, start=1):
        right += is_furniture
        if right / n >= MIN_PRECISION and p >= 0.5:
            best = p
    return best


def nested_threshold(train: Sequence[Example], fitter: Fitter = fit) -> float:
    """The threshold chosen from out-of-fold probabilities within ``train`` (its own outlets' folds)."""
    inner = folds_of([e.outlet for e in train])
    judged = [(p, e.furniture) for (p, t), e in zip(out_of_fold(train, inner, fitter), train, strict=True) if t < 0.5]
    return choose_threshold([p for p, _ in judged], [f for _, f in judged])


def cross_validated_scores(pages: list[Page], rules: Rules, catalog: Catalog, fitter: Fitter = fit) -> list[PageScore]:
    """Score every ``dev`` page with a model fitted on the other folds' outlets (nested threshold)."""
    from corpus.ingest.linemodel import model_from_dict

    dev = [p for p in pages if p.split == "dev"]
    fold = folds_of([p.outlet for p in dev])
    data = examples(pages, rules, catalog)
    repeated = repetitions(pages, rules, catalog)
    scores: dict[str, PageScore] = {}
    for f in sorted(set(fold.values())):
        train = [e for e in data if fold[e.outlet] != f]
        model = model_from_dict(fitter(train, nested_threshold(train, fitter)))
        fold_rules = replace(rules, model=model)
        for page in dev:
            if fold[page.outlet] == f:
                scores[page.page_id] = score_page(page, fold_rules, catalog, repeated.get(page.page_id, frozenset()))
    return [scores[p.page_id] for p in dev]


def model_bytes(pages: list[Page], rules: Rules, catalog: Catalog) -> bytes:
    """The stored form of the model fitted on every ``dev`` line: sorted keys, rounded numbers, LF.

    Raises:
        CorpusError: If the benchmark has no ``dev`` line for the classifier to learn from.
    """
    data = examples(pages, rules, catalog)
    if not any(e.furniture for e in data) or all(e.furniture for e in data):
        raise CorpusError("benchmarks/extraction: the dev pages need both furniture and other lines to train on")
    model = fit(data, nested_threshold(data))
    model["training"] = {
        "sha256": digest(pages),
        "pages": sum(p.split == "dev" for p in pages),
        "lines": len(data),
        "furniture_lines": sum(e.furniture for e in data),
        "folds": FOLDS,
        "min_precision": MIN_PRECISION,
        "c": {"furniture": C_FURNITURE, "kinds": C_KINDS, "title": C_TITLE},
    }
    return (json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def train(layout: Layout, *, check: bool = False, cross_validate: bool = False) -> str:
    """Fit the line classifier on the benchmark's ``dev`` pages and store it where ``rules.toml`` says.

    Args:
        layout: The project.
        check: Fail if the stored model differs from the one fitted now (write nothing).
        cross_validate: Also score the ``dev`` pages with models fitted on other outlets' folds.

    Returns:
        What was done, and the cross-validated score table when asked for.

    Raises:
        CorpusError: If the stored model is out of date (``check``), or the benchmark is unusable.
    """
    rules_path = layout.catalog / "rules.toml"
    rules = load_rules(rules_path, with_model=False)
    catalog = load_catalog(layout.catalog, layout.seeds)
    pages = load_benchmark(layout.benchmark)
    target = model_path(rules_path)
    data = model_bytes(pages, rules, catalog)
    name = target.relative_to(layout.root).as_posix()
    if check:
        if not target.exists() or target.read_bytes() != data:
            raise CorpusError(f"{name} is not what `corpus train` fits now: run `corpus train` and commit it")
        out = f"{name} is current\n"
    else:
        write_atomic(target, data)
        out = f"wrote {name}\n"
    if cross_validate:
        out += "\nDev pages, each scored by a model fitted on the other outlets' folds:\n"
        out += markdown(score_table(cross_validated_scores(pages, rules, catalog)))
    return out
