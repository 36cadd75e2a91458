"""Benchmark ``nox -s reports``: cold on a fresh clone, warm after one notebook edit, warm no-op.

Usage: ``python benchmarks/bench_reports.py [--keep] [--worktree]`` from the repository root
(needs ``git`` and ``nox`` on PATH). The clone is made from the committed HEAD into a temporary folder; its
``.nox`` environment is created by the cold run, so environment creation is included. Prints one
table; nothing is written into the repository.

Measured:
  1. cold: ``nox -s reports -- --force`` on the fresh clone (env creation, the ``data`` session's
     steps: build + validate, then every report)
  2. warm no-op: ``nox -s reports`` again (nox start-up + build + validate + cache check)
  3. no-op work beyond nox: ``corpus reports`` run directly in the session's environment
  4. warm after editing one notebook: only that notebook's reports re-run
  5. ``corpus reports --force --jobs 1`` vs ``--jobs 2``: the parallel speed-up
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(args: list[str], cwd: Path) -> float:
    """Run a command, fail loudly if it fails, return its wall time in seconds."""
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return seconds


def nox_command() -> list[str]:
    found = shutil.which("nox")
    return [found] if found else [sys.executable, "-m", "nox"]


def edit_one_notebook(clone: Path) -> str:
    """Append a sentence to the first markdown cell of the first planned notebook."""
    notebooks = sorted((clone / "notebooks").glob("*.ipynb"))
    path = notebooks[0]
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    source = cell["source"]
    cell["source"] = [*source, "\n\n(benchmark edit)"] if isinstance(source, list) else source + "\n\n(benchmark edit)"
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path.name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    parser.add_argument(
        "--worktree",
        action="store_true",
        help="copy the working tree (uncommitted files included) instead of cloning HEAD",
    )
    args = parser.parse_args()
    nox = nox_command()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    clone = tmp / "clone"
    rows: list[tuple[str, float]] = []
    try:
        if args.worktree:
            ignore = shutil.ignore_patterns(".git", ".venv", ".nox", "artifacts", "dist", "__pycache__", "*_cache")
            shutil.copytree(REPO, clone, ignore=ignore)
        else:
            subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        rows.append(
            ("cold: fresh clone, nox -s reports -- --force", timed([*nox, "-s", "reports", "--", "--force"], clone))
        )
        rows.append(("warm no-op: nox -s reports", timed([*nox, "-s", "reports"], clone)))
        corpus = clone / ".nox" / "reports" / "bin" / "corpus"
        rows.append(("warm no-op: corpus reports (no nox)", timed([str(corpus), "reports"], clone)))
        edited = edit_one_notebook(clone)
        rows.append((f"warm, {edited} edited: nox -s reports", timed([*nox, "-s", "reports"], clone)))
        one = timed([str(corpus), "reports", "--force", "--jobs", "1"], clone)
        two = timed([str(corpus), "reports", "--force", "--jobs", "2"], clone)
        rows.append(("all reports, --jobs 1 (--force)", one))
        rows.append(("all reports, --jobs 2 (--force)", two))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(label) for label, _ in rows)
    print(f"{'measurement':<{width}}  seconds")
    for label, seconds in rows:
        print(f"{label:<{width}}  {seconds:7.1f}")
    cold = rows[0][1]
    print(f"no-op / cold: {rows[1][1] / cold:.0%}; speed-up jobs 1 -> 2: {one / two:.2f}x")
    if args.keep:
        print(f"clone kept in {clone}")


if __name__ == "__main__":
    main()
