"""Benchmark `corpus build` and `corpus validate` on generated corpora of many seeds.

The generated seeds copy the shapes of the real ones (page metadata and a duplicated body, a
glued blob, a blog page with two articles, a mixed Ukrainian/Russian page with bullets, a page
with a sidebar), each made unique by a marker sentence in every article, with catalog rows to
match. Each command runs in its own process; wall time, CPU time and peak memory (max RSS) come
from the operating system's accounting of that process.

With ``--repeat N`` each command runs N times and the run with the median CPU time is shown
(a small corpus takes about a second, where other load on the machine shows).

Usage: python benchmarks/bench_build.py [--sizes 1000 10000] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from corpus.ingest.catalog import SEED_FIELDS, load_catalog  # noqa: E402
from corpus.ingest.extract import extract  # noqa: E402
from corpus.ingest.rules import load_rules  # noqa: E402
from corpus.ingest.seeds import iter_seeds  # noqa: E402


def templates() -> list[tuple[str, list[int], list[str]]]:
    """Each real seed's text, the offsets where a marker can go (end of each article's first
    paragraph) and its catalog row without the file name."""
    rules = load_rules(ROOT / "catalog" / "rules.toml")
    catalog = load_catalog(ROOT / "catalog", ROOT / "seeds")
    with (ROOT / "catalog" / "seeds.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    out = []
    for seed in iter_seeds(ROOT / "seeds"):
        found = extract(seed.text, rules, site_names=catalog.site_names)
        marks = [a.paragraphs[0].end for a in found.articles]
        row = rows[seed.name]
        out.append((seed.text, marks, [row[k] for k in list(row)[1:]]))
    return out


def generate(folder: Path, n: int) -> int:
    """Write a project with ``n`` seeds into ``folder``; return the raw size in bytes."""
    shutil.copytree(ROOT / "catalog", folder / "catalog")
    (folder / "benchmarks" / "extraction").mkdir(parents=True)  # the build publishes the committed scores
    shutil.copy2(ROOT / "benchmarks" / "extraction" / "scores.csv", folder / "benchmarks" / "extraction")
    (folder / "seeds").mkdir()
    shapes = templates()
    size = 0
    with (folder / "catalog" / "seeds.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SEED_FIELDS)
        for i in range(n):
            text, marks, row = shapes[i % len(shapes)]
            for k, mark in enumerate(sorted(marks, reverse=True)):
                marker = f" Ref {i}-{k} (generated)." if text[mark - 1 : mark] in '.!?”"' else ""
                text = text[:mark] + marker + text[mark:]
            if text.lstrip().startswith("date "):
                year, day = 2000 + i % 25, 1 + i % 28
                text = text.replace(text.split()[1], f"{year}-{1 + i % 12:02d}-{day:02d}", 1)
            name = f"{i:06d}_gen.txt"
            raw = text.encode("utf-8")
            (folder / "seeds" / name).write_bytes(raw)
            size += len(raw)
            writer.writerow([name, *row])
    return size


def run(command: list[str], root: Path) -> tuple[float, float, int, int]:
    """Run a command with CORPUS_ROOT=root; return wall s, CPU s, max RSS in MiB, exit code."""
    env = {**os.environ, "CORPUS_ROOT": str(root)}
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0 and process.stderr is not None:
        sys.stderr.write(process.stderr.read().decode()[-2000:])
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per command; the median-CPU run is shown")
    parser.add_argument("--keep", type=Path, help="keep the generated projects under this folder")
    args = parser.parse_args()
    corpus = [sys.executable, "-m", "corpus"]
    print(f"{'seeds':>7} {'MB':>7} {'command':>9} {'wall s':>8} {'cpu s':>7} {'MB/s':>7} {'max RSS MiB':>12}")
    failed = 0
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
            root = Path(tmp)
            if n == 5:
                shutil.copytree(ROOT / "catalog", root / "catalog")
                shutil.copytree(ROOT / "seeds", root / "seeds")
                shutil.copytree(ROOT / "benchmarks" / "extraction", root / "benchmarks" / "extraction")
                size = sum(p.stat().st_size for p in (root / "seeds").iterdir())
            else:
                size = generate(root, n)
            for command in ("build", "validate"):
                runs = sorted(
                    (run([*corpus, command, "--quiet"], root) for _ in range(args.repeat)), key=lambda r: r[1]
                )
                wall, cpu, rss, code = runs[len(runs) // 2]
                code = max(r[3] for r in runs)
                failed |= code
                mark = "" if code == 0 else f"  FAILED ({code})"
                print(
                    f"{n:>7} {size / 1e6:>7.1f} {command:>9} {wall:>8.2f} {cpu:>7.2f} "
                    f"{size / 1e6 / wall:>7.2f} {rss:>12}{mark}",
                    flush=True,
                )
            if args.keep:
                shutil.copytree(root, args.keep / f"bench-{n}", dirs_exist_ok=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
