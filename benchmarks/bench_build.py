"""Benchmark the data steps at scale: build, validate and the no-op, on generated corpora.

For each size (``--sizes``, default 1,000 and 10,000 seeds; ``5`` means the real seeds) a
project of unique generated seeds is written into a temporary folder (see ``corpus_gen.py``) and
each step runs as its own ``corpus`` process:

* ``build``: ``corpus build --force`` (the build validates the staged package before its commit);
* ``validate``: ``corpus validate --force`` on the published package;
* ``no-op``: ``corpus build`` then ``corpus validate`` with nothing changed: both find the
  fingerprint of the last successful build unchanged and skip (what ``nox -s data`` costs then).

Wall time, CPU time (user + system) and peak memory come from the operating system's accounting
of the process (``wait4``), which includes the worker processes it waited for: CPU is their sum,
peak memory the largest single process (main or worker), not the sum. MB/s is the raw seed bytes
over the wall time. The last table compares the sizes: how much each step grows against the
number of seeds (linear growth is the ratio of the sizes), and a linear estimate for 100,000 seeds
when that size was not run. ``--reports`` adds the no-op of ``nox -s reports`` beyond nox start-up
(``corpus build``, ``corpus validate``, ``corpus reports`` with nothing changed) on a copy of the
real project.

With ``--repeat N`` each step runs N times and the run with the median wall time is shown.

Usage: python benchmarks/bench_build.py [--sizes 1000 10000 100000] [--repeat N] [--reports] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from corpus_gen import ROOT, generate

CORPUS = [sys.executable, "-m", "corpus"]
STEPS = {
    "build": [["build", "-q", "--force"]],
    "validate": [["validate", "-q", "--force"]],
    "no-op": [["build", "-q"], ["validate", "-q"]],
}
REAL = (
    "catalog",
    "seeds",
    "data",
    "datapackage.json",
    "notebooks",
    "reports",
    "benchmarks/extraction",
    "benchmarks/gold",
    "pyproject.toml",
    "uv.lock",
)


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mib: int
    code: int


def run(command: list[str], root: Path) -> Run:
    """Run one ``corpus`` command with CORPUS_ROOT=root; its wall and CPU time, peak memory and exit code."""
    env = {**os.environ, "CORPUS_ROOT": str(root)}
    started = time.perf_counter()
    process = subprocess.Popen([*CORPUS, *command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read()  # read before waiting: a full pipe would block the child
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, code)


def step(commands: list[list[str]], root: Path, repeat: int) -> Run:
    """The commands of one step in sequence, ``repeat`` times; the run with the median wall time."""
    runs = []
    for _ in range(repeat):
        parts = [run(command, root) for command in commands]
        runs.append(
            Run(
                sum(p.wall for p in parts),
                sum(p.cpu for p in parts),
                max(p.rss_mib for p in parts),
                max((p.code for p in parts), key=abs),
            )
        )
    return sorted(runs, key=lambda r: r.wall)[len(runs) // 2]


def real_project(root: Path) -> int:
    """Copy the real project's inputs and outputs into ``root``; return the seeds' size in bytes."""
    for name in REAL:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns(".staging", "_failed"))
        elif source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return sum(p.stat().st_size for p in (root / "seeds").iterdir())


def show(n: int | str, size: int, name: str, result: Run) -> None:
    mark = "" if result.code == 0 else f"  FAILED ({result.code})"
    print(
        f"{n:>7} {size / 1e6:>7.1f} {name:>9} {result.wall:>8.2f} {result.cpu:>7.2f} "
        f"{size / 1e6 / result.wall:>7.2f} {result.rss_mib:>12}{mark}",
        flush=True,
    )


def scaling(results: dict[int, dict[str, Run]], sizes: dict[int, int]) -> None:
    """Each step's wall time per size, its growth against the number of seeds, and a 100k estimate.

    The estimate is linear from the two largest sizes run: their difference is the cost of the
    extra seeds (fixed costs such as start-up and the codebook scoring cancel out).
    """
    ns = sorted(results)
    if len(ns) < 2:
        return
    low, prev, high = ns[0], ns[-2], ns[-1]
    print(f"\nscaling (wall s; growth {low} -> {high} seeds, linear = {high / low:.1f}x)")
    estimate = 100_000 not in results
    head = "".join(f"{n:>10}" for n in ns)
    print(f"{'step':>9}{head}{'growth':>9}{'s/1k more':>10}" + (f"{'100k est. s':>12}" if estimate else ""))
    for name in STEPS:
        walls = [results[n][name].wall for n in ns]
        per_k = (walls[-1] - walls[-2]) / (high - prev) * 1000
        line = f"{name:>9}" + "".join(f"{w:>10.2f}" for w in walls)
        line += f"{walls[-1] / walls[0]:>8.1f}x{per_k:>10.3f}"
        if estimate:
            line += f"{walls[-1] + per_k * (100_000 - high) / 1000:>12.0f}"
        print(line)
    print(f"{'MB':>9}" + "".join(f"{sizes[n] / 1e6:>10.1f}" for n in ns))


def reports_noop(repeat: int) -> int:
    """The no-op of ``nox -s reports`` without nox: build, validate and reports with nothing changed."""
    with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
        root = Path(tmp)
        size = real_project(root)
        first = run(["build", "-q"], root)  # the copy has no record of a build yet
        commands = [["build", "-q"], ["validate", "-q"], ["reports"]]
        result = step(commands, root, repeat) if first.code == 0 else first
        print(f"\n{'seeds':>7} {'MB':>7} {'step':>9} {'wall s':>8} {'cpu s':>7} {'MB/s':>7} {'max RSS MiB':>12}")
        show(5, size, "rep no-op", result)
        reports = step([["reports"]], root, repeat)
        show(5, size, "reports", reports)
        return result.code or reports.code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the median-wall run is shown")
    parser.add_argument("--reports", action="store_true", help="also time the no-op of the report pipeline")
    parser.add_argument("--keep", type=Path, help="keep the generated projects under this folder")
    args = parser.parse_args()
    print(f"{'seeds':>7} {'MB':>7} {'step':>9} {'wall s':>8} {'cpu s':>7} {'MB/s':>7} {'max RSS MiB':>12}")
    failed = 0
    results: dict[int, dict[str, Run]] = {}
    sizes: dict[int, int] = {}
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix="corpus-bench-") as tmp:
            root = Path(tmp)
            sizes[n] = real_project(root) if n == 5 else generate(root, n)
            results[n] = {}
            for name, commands in STEPS.items():
                results[n][name] = result = step(commands, root, args.repeat)
                failed |= result.code
                show(n, sizes[n], name, result)
            if args.keep:
                shutil.copytree(root, args.keep / f"bench-{n}", dirs_exist_ok=True)
    scaling(results, sizes)
    if args.reports:
        failed |= reports_noop(args.repeat)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
