"""Generate a project of many unique seeds for the scaling benchmark (``bench_build.py``).

Each generated seed takes the shape of one real seed (header, metadata, headline, byline,
dateline, a glued blob, two articles on a blog page, a mixed Ukrainian/Russian page, a sidebar)
and replaces every article paragraph by a new one: two to five sentences drawn, with a fixed
random seed, from a pool of real sentences in the paragraph's language (the article text of the
labelled extraction benchmark's English, Russian and Ukrainian pages, the seeds among them). A
paragraph is never used twice, so every article is unique, as the build requires. One to three
furniture lines (teasers, prompts to subscribe or share, credits) close each page, varied in the
same way, so the build's furniture rules and its per-site repetition check have work to do.
"""

from __future__ import annotations

import csv
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corpus.ingest.catalog import SEED_FIELDS, load_catalog  # noqa: E402
from corpus.ingest.extract import extract  # noqa: E402
from corpus.ingest.rules import load_rules  # noqa: E402
from corpus.ingest.seeds import iter_seeds  # noqa: E402

SEED = 13
LANGUAGES = ("en", "ru", "uk")
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"”])\s+(?=[\"«“A-ZА-ЯІЇЄҐ0-9])")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_CYRILLIC = re.compile(r"[а-яА-ЯёЁ]")
FURNITURE = {
    "en": ["Read also: {s}", "Subscribe to our newsletter", "Share this article", "Advertisement", "Photo: {w}"],
    "ru": ["Читайте также: {s}", "Подписывайтесь на наш Telegram-канал", "Поделиться", "Реклама", "Фото: {w}"],
    "uk": ["Читайте також: {s}", "Підписуйтесь на наш Telegram-канал", "Поділитися", "Реклама", "Фото: {w}"],
}

Template = tuple[str, list[tuple[int, int, str]], list[str]]


def language_of(text: str) -> str:
    """en, ru or uk by script (Ukrainian letters decide between the two Cyrillic languages)."""
    if _UKRAINIAN.search(text):
        return "uk"
    return "ru" if _CYRILLIC.search(text) else "en"


def sentence_pool() -> dict[str, list[str]]:
    """Real sentences by language: the article text lines of the labelled benchmark pages."""
    bench = ROOT / "benchmarks" / "extraction"
    with (bench / "sources.csv").open(encoding="utf-8", newline="") as handle:
        languages = {row["page_id"]: row["language"] for row in csv.DictReader(handle)}
    pool: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for labels in sorted((bench / "labels").glob("*.tsv")):
        page_language = languages.get(labels.stem)
        if page_language not in LANGUAGES:
            continue
        with labels.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if row["label"] == "text":
                    for sentence in _SENTENCE_END.split(row["text"].strip()):
                        if len(sentence) >= 40:
                            pool[language_of(sentence)].add(sentence)
    return {lang: sorted(sentences) for lang, sentences in pool.items()}


def templates() -> list[Template]:
    """Each real seed's text, its article paragraphs (start, end, language) and its catalog row (no file name)."""
    rules = load_rules(ROOT / "catalog" / "rules.toml")
    catalog = load_catalog(ROOT / "catalog", ROOT / "seeds")
    with (ROOT / "catalog" / "seeds.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    out = []
    for seed in iter_seeds(ROOT / "seeds"):
        found = extract(seed.text, rules, site_names=catalog.site_names)
        spans = [
            (p.start, p.end, language_of(seed.text[p.start : p.end])) for a in found.articles for p in a.paragraphs
        ]
        row = rows[seed.name]
        out.append((seed.text, sorted(spans), [row[k] for k in list(row)[1:]]))
    return out


class Writer:
    """New paragraphs and furniture lines, each paragraph used once."""

    def __init__(self, pool: dict[str, list[str]]) -> None:
        self.pool = pool
        self.rng = random.Random(SEED)
        self.used: set[str] = set()

    def paragraph(self, language: str) -> str:
        while True:
            text = " ".join(self.rng.sample(self.pool[language], self.rng.randint(2, 5)))
            if text not in self.used:
                self.used.add(text)
                return text

    def furniture(self, language: str) -> list[str]:
        lines = []
        for pattern in self.rng.sample(FURNITURE[language], self.rng.randint(1, 3)):
            sentence = self.rng.choice(self.pool[language])
            lines.append(pattern.format(s=sentence[:90], w=sentence.split()[0]))
        return lines


def seed_text(template: Template, writer: Writer, i: int) -> str:
    """One generated page: the template with new paragraphs, a varied date and furniture lines."""
    text, spans, _ = template
    for start, end, language in reversed(spans):
        text = text[:start] + writer.paragraph(language) + text[end:]
    if text.lstrip().startswith("date "):
        text = text.replace(text.split()[1], f"{2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}", 1)
    ending = "\r\n" if "\r\n" in text else "\n"
    language = spans[-1][2] if spans else "en"
    return text.rstrip("\r\n") + ending + ending.join(writer.furniture(language)) + ending


def generate(folder: Path, n: int) -> int:
    """Write a project with ``n`` generated seeds into ``folder``; return the raw size in bytes."""
    shutil.copytree(ROOT / "catalog", folder / "catalog")
    (folder / "benchmarks" / "extraction").mkdir(parents=True)  # the build publishes the committed scores
    shutil.copy2(ROOT / "benchmarks" / "extraction" / "scores.csv", folder / "benchmarks" / "extraction")
    (folder / "seeds").mkdir()
    shapes, writer = templates(), Writer(sentence_pool())
    size = 0
    with (folder / "catalog" / "seeds.csv").open("w", encoding="utf-8", newline="") as handle:
        table = csv.writer(handle, lineterminator="\n")
        table.writerow(SEED_FIELDS)
        for i in range(n):
            shape = shapes[i % len(shapes)]
            name = f"{i:06d}_gen.txt"
            raw = seed_text(shape, writer, i).encode("utf-8")
            (folder / "seeds" / name).write_bytes(raw)
            size += len(raw)
            table.writerow([name, *shape[2]])
    return size
