"""Benchmark: build a project holding one very large generated seed; time and peak memory.

The seed is a page of the usual shape (a headline, then paragraphs of English and Russian
sentences, with some furniture lines), repeated up to the size asked for. The build runs as
``corpus build`` in a child process of a copy of the catalog, with ``[limits] seed_max_bytes``
raised to fit; its peak resident memory is read from ``getrusage`` and reported with its ratio to
the seed's size (the README states the bound).

    python benchmarks/bench_big_seed.py            # 50 MB (the default maximum seed size)
    python benchmarks/bench_big_seed.py --mb 10 --mb 50 --mb 200
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = (
    "Russia and the United States discussed cooperation in the Arctic, officials said on Thursday.",
    "The talks covered shipping routes, sanctions relief and the exchange of prisoners.",
    "Москва и Вашингтон обсудили сотрудничество в Арктике, сообщили в министерстве.",
    "По словам дипломатов, переговоры продолжатся в следующем месяце в Стамбуле.",
)


def write_seed(path: Path, size: int) -> int:
    """Write a seed of about ``size`` bytes; return its exact size."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("Russia and US Discuss Arctic Cooperation in Talks\n\n")
        written, n = 0, 0
        while written < size:
            paragraph = " ".join(SENTENCES[(n + i) % len(SENTENCES)] for i in range(4)) + f" ({n})\n\n"
            if n % 50 == 49:
                paragraph += "Read also: more news on our channel\n\n"
            handle.write(paragraph)
            written += len(paragraph.encode("utf-8"))
            n += 1
    return path.stat().st_size


def project(base: Path, size: int) -> tuple[Path, int]:
    root = base / "project"
    shutil.copytree(ROOT / "catalog", root / "catalog")
    scores = Path("benchmarks") / "extraction" / "scores.csv"  # published by the build
    (root / scores).parent.mkdir(parents=True)
    shutil.copy(ROOT / scores, root / scores)
    (root / "seeds").mkdir()
    name = "900_bigseed.txt"
    actual = write_seed(root / "seeds" / name, size)
    rules = root / "catalog" / "rules.toml"
    rules.write_text(rules.read_text(encoding="utf-8") + f"\n[limits]\nseed_max_bytes = {actual + 1}\n")
    (root / "catalog" / "seeds.csv").write_text(
        "file,article,outlet_id,perspective,url,date,date_precision,date_source,language,author,title,review,evidence\n"
        f"{name},,sputnik,,,,,,,,,reviewed,Generated for the benchmark.\n",
        encoding="utf-8",
    )
    return root, actual


def measure(mb: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-big-seed-") as tmp:
        root, size = project(Path(tmp), int(mb * 1_000_000))
        env = {**os.environ, "CORPUS_ROOT": str(root)}
        started = time.perf_counter()
        command = [sys.executable, "-m", "corpus", "build", "-q"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the largest child so far
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
        return {"seed_mb": size / 1e6, "seconds": seconds, "peak_mb": peak_kb / 1e3, "ok": result.returncode == 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, action="append", help="seed size in MB (repeatable; default 50)")
    sizes = parser.parse_args().mb or [50.0]
    print("seed MB | build s | peak RSS MB | peak / seed | ok")
    for mb in sorted(sizes):  # ascending: getrusage reports the largest child so far
        row = measure(mb)
        print(
            f"{row['seed_mb']:7.1f} | {row['seconds']:7.1f} | {row['peak_mb']:11.0f} | "
            f"{row['peak_mb'] / row['seed_mb']:11.1f} | {row['ok']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
