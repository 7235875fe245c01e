"""`bulletin validate` measured against `frictionless validate` on the same report rows (`make bench`).

- `reference(data, target)`: every report row of a data folder in one CSV, described as one frictionless
  resource with typed fields, its encoding set, and its primary key (month, district, indicator): the
  checks frictionless makes of a table with keys, none of ours beyond them (no references to districts or
  indicators, no rules), so the reference is the cheaper of the two.
- `python benchmarks/validatebench.py --regions 150` clones the example's districts (benchmarks/sitebench.py's
  `clone`), then runs `bulletin validate --data …` and `frictionless validate …` each as a fresh process,
  start-up included, and prints the seconds and the ratio (frictionless ÷ ours) of the clock and of the
  children's CPU. Each command runs once untimed first, then `--repeat` times (3) taking turns; the fastest
  run of each counts. Both run with a bytecode cache (`PYTHONPYCACHEPREFIX` in the work folder), as an
  installed package has one, even where the machine sets `PYTHONDONTWRITEBYTECODE`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitebench import clone  # noqa: E402

FIELDS = (
    ("month", "string"),
    ("region_id", "string"),
    ("indicator_id", "string"),
    ("value", "number"),
    ("numerator", "number"),
    ("denominator", "number"),
    ("submitted_on", "date"),
    ("corrected_on", "date"),
    ("explanation", "string"),
)


def reference(data: Path, target: Path) -> tuple[Path, int]:
    """One CSV of every report row of `data` and its frictionless resource descriptor; returns the
    descriptor's path and the number of rows."""
    target.mkdir(parents=True, exist_ok=True)
    table = target / "reports.csv"
    count = 0
    with table.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _ in FIELDS])
        for path in sorted((data / "reports").glob("*/*.csv")):
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))[1:]
            writer.writerows(rows)
            count += len(rows)
    schema = {
        "fields": [{"name": name, "type": kind} for name, kind in FIELDS],
        "primaryKey": ["month", "region_id", "indicator_id"],
    }
    descriptor = {
        "name": "reports",
        "path": table.name,
        "scheme": "file",
        "format": "csv",
        "encoding": "utf-8",
        "schema": schema,
    }
    resource_path = target / "reports.resource.json"
    resource_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return resource_path, count


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, float]:
    """A command run to its end as a fresh process: clock and CPU seconds, exit status."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True, cwd=cwd, env=env)
    clock = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"s": clock, "cpu_s": cpu, "status": done.returncode}


def fastest(runs: list[dict[str, float]]) -> dict[str, float]:
    """The fastest clock and the least CPU of some runs of one command, and its exit status."""
    statuses = {run["status"] for run in runs}
    status = statuses.pop() if len(statuses) == 1 else -1  # -1: the runs did not agree
    return {"s": min(run["s"] for run in runs), "cpu_s": min(run["cpu_s"] for run in runs), "status": status}


def compare(regions: int, work: Path, repeat: int = 3) -> dict[str, float]:
    """Both validations of the example's districts cloned to `regions`, as a dict of figures: the fastest of
    `repeat` runs each, after one untimed run each."""
    data = work / f"validate-{regions}" / "data"
    clone(ROOT / "data", data, regions)
    descriptor, rows = reference(data, work / f"validate-{regions}" / "frictionless")
    bin_dir = Path(sys.executable).parent
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    commands = {
        "ours": ([str(bin_dir / "bulletin"), "validate", "--data", str(data)], work),
        "theirs": ([str(bin_dir / "frictionless"), "validate", str(descriptor)], descriptor.parent),
    }
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for turn in range(repeat + 1):
        for name, (command, cwd) in commands.items():
            run = timed(command, cwd, env)
            if turn:  # the first turn only fills the caches
                runs[name].append(run)
    ours, theirs = fastest(runs["ours"]), fastest(runs["theirs"])
    return {
        "regions": regions,
        "rows": rows,
        "files": len(list((data / "reports").glob("*/*.csv"))),
        "ours_s": ours["s"],
        "ours_cpu_s": ours["cpu_s"],
        "ours_status": ours["status"],
        "frictionless_s": theirs["s"],
        "frictionless_cpu_s": theirs["cpu_s"],
        "frictionless_status": theirs["status"],
        "ratio": theirs["s"] / ours["s"],
        "cpu_ratio": theirs["cpu_s"] / ours["cpu_s"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=150)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    parser.add_argument("--json", action="store_true", help="print the figures as one line of JSON")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each command; the fastest counts")
    args = parser.parse_args()
    got = compare(args.regions, args.work, max(1, args.repeat))
    if args.json:
        print(json.dumps(got))
    else:
        print(
            f"{got['regions']} districts, {got['rows']:,} rows in {got['files']:,} files: bulletin validate "
            f"{got['ours_s']:.2f} s, frictionless {got['frictionless_s']:.2f} s, ratio {got['ratio']:.1f} "
            f"(CPU {got['ours_cpu_s']:.2f} s against {got['frictionless_cpu_s']:.2f} s: {got['cpu_ratio']:.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
