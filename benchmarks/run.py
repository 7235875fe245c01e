"""`make bench`: validation time and peak memory at national scale, and the site's build against bare
MkDocs, written to benchmarks/RESULTS.md.

The synthetic programme has 3,000 regions x 50 indicators x 12 months (1.8 million report rows in
36,000 files), built from the contract of tests/fixtures/valid. Each measurement runs in a fresh
process so that its peak resident memory is its own. The site is measured by benchmarks/sitebench.py
on the example's districts cloned N times (`--site-regions`, 150 by default; 3000 takes about half an
hour), as a ratio to bare MkDocs in the same process, and profiled at the first N (`--profile`).
`bulletin validate` is compared with `frictionless validate` on the same rows by
benchmarks/validatebench.py (`--validate-regions`, 150 and 3000 by default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.compute import compute  # noqa: E402
from site_builder.files.descriptor import set_report_paths  # noqa: E402
from site_builder.issuing.record import published, record_text  # noqa: E402
from site_builder.issuing.seal import Sealer  # noqa: E402
from site_builder.load import load_sources  # noqa: E402
from site_builder.model import build_dataset  # noqa: E402
from site_builder.validate import validate  # noqa: E402

WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
HEADER = "month,region_id,indicator_id,value,numerator,denominator,submitted_on,corrected_on,explanation\n"


def generate(target: Path, regions: int, indicators: int, months: int) -> None:
    """Write a valid programme of the given size (deterministic)."""
    if target.exists():
        shutil.rmtree(target)
    base = ROOT / "tests" / "fixtures" / "valid"
    target.mkdir(parents=True)
    for name in ("programme.yaml", "units.csv", "people.csv"):
        shutil.copyfile(base / name, target / name)
    (target / "organization.yaml").write_text(
        (base / "organization.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rng = random.Random(2011)
    region_ids = [f"r{i:04d}" for i in range(regions)]
    indicator_ids = [f"i{j:02d}" for j in range(indicators)]
    rows = ["id,name,short_name,kind,parent_id,tile_row,tile_col"]
    rows += [f"{r},地区{r},区{r},district,,{i // 60},{i % 60}" for i, r in enumerate(region_ids)]
    (target / "regions.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["person_id,region_id,kind,start,end,source"]
    rows += [f"zhao,{r},liaison,2011-01-01,,bench" for r in region_ids]
    (target / "assignments.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["id,name,group_id,lead_unit_id,kind,unit,direction,weight,profile,description,numerator,denominator"]
    rows[0] += ",city,frequency"
    rows += [f"{i},指标{i},insurance,office,count,人,higher,2,linear,定义{i},,,," for i in indicator_ids]
    (target / "indicators.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    rows = ["year,region_id,indicator_id,target,not_applicable"]
    rows += [f"2011,{r},{i},1200," for r in region_ids for i in indicator_ids]
    (target / "targets.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (target / "benchmarks.csv").write_text("month,indicator_id,value,source\n", encoding="utf-8")
    (target / "facilities.csv").write_text("id,region_id,name,kind,note\n", encoding="utf-8")
    paths = []
    for m in range(1, months + 1):
        month = f"2011-{m:02d}"
        folder = target / "reports" / month
        folder.mkdir(parents=True)
        for r in region_ids:
            lines = [HEADER]
            for i in indicator_ids:
                value = 100 * m + rng.randint(0, 20)
                lines.append(f"{month},{r},{i},{value},,,{month}-25,,\n")
            (folder / f"{r}.csv").write_text("".join(lines), encoding="utf-8")
            paths.append(f"reports/{month}/{r}.csv")
    descriptor = (base / "datapackage.yaml").read_text(encoding="utf-8")
    (target / "datapackage.yaml").write_text(set_report_paths(descriptor, paths), encoding="utf-8")


def measure(data: Path) -> dict[str, float]:
    """Run inside a child process: time load and validate, report peak memory."""
    start = time.perf_counter()
    sources = load_sources(data)
    loaded = time.perf_counter()
    result = validate(sources, dt.date(2026, 1, 1))
    validated = time.perf_counter()
    errors = sum(1 for f in result.findings if f.severity == "error")
    dataset = build_dataset(result)
    modelled = time.perf_counter()
    compute(dataset)
    computed = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "load_s": loaded - start,
        "validate_s": validated - loaded,
        "model_s": modelled - validated,
        "compute_s": computed - modelled,
        "errors": errors,
        "peak_mib": peak_kib / 1024,
    }


def publish_all(data: Path, months: int) -> float:
    """Publish every month's bulletin (as `bulletin publish` would write it); return the seconds sealing took."""
    sources = load_sources(data)
    result = validate(sources, dt.date(2026, 1, 1))
    dataset = build_dataset(result)
    sealer = Sealer(sources, result.contract)
    start = time.perf_counter()
    records = {}
    for m in range(1, months + 1):
        month = f"2011-{m:02d}"
        records[month] = published(
            None, month, dataset.programme, number=m, issued_on=dt.date(2011, m, 28), files=sealer.seal(month)
        )
    sealing = time.perf_counter() - start
    (data / "bulletins").mkdir(exist_ok=True)
    for month, bulletin in records.items():
        (data / "bulletins" / f"{month}.yaml").write_text(record_text("", bulletin), encoding="utf-8")
    return sealing


def measure_sealed(data: Path) -> dict[str, float]:
    """Run inside a child process: load and validate a folder whose every month is published."""
    start = time.perf_counter()
    result = validate(load_sources(data), dt.date(2026, 1, 1))
    done = time.perf_counter()
    errors = sum(1 for f in result.findings if f.severity == "error")
    return {"validate_s": done - start, "errors": errors}


def site_results(sizes: list[int], profile: bool) -> list[str]:
    """The site builds (benchmarks/sitebench.py, each in a fresh process) as RESULTS.md lines."""
    if not sizes:
        return []
    lines = [
        "## The site",
        "",
        "`bulletin build` of the example's districts cloned N times (benchmarks/sitebench.py), against bare MkDocs "
        "+ Material with as many pages of Chinese text (sections of 100 characters, same theme, search with jieba, "
        "`navigation.prune`), built in the same process right after ours:",
        "",
        "| districts | pages | bulletin build (s) | bare MkDocs (s) | ratio | CPU: build (s) | CPU: bare (s) "
        "| CPU ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    profiled = ""
    for n, size in enumerate(sizes):
        command = [sys.executable, str(ROOT / "benchmarks" / "sitebench.py"), "--regions", str(size), "--json"]
        if profile and n == 0:
            profiled = str(WORK / f"profile-{size}.txt")
            subprocess.run([*command, "--profile", profiled], capture_output=True, text=True, check=True)
        child = subprocess.run(command, capture_output=True, text=True, check=True)
        got = json.loads(child.stdout.splitlines()[-1])
        lines.append(
            f"| {size:,} | {got['pages']:,} | {got['ours_s']:.1f} | {got['bare_s']:.1f} | {got['ratio']:.2f} | "
            f"{got['ours_cpu_s']:.1f} | {got['bare_cpu_s']:.1f} | {got['cpu_ratio']:.2f} |"
        )
    if profiled:
        top = Path(profiled).read_text(encoding="utf-8").splitlines()
        lines += ["", f"cProfile of the {sizes[0]}-district build (cumulative seconds, profiled run):", "", "```text"]
        lines += [line[:160] for line in top[:45]]
        lines.append("```")
    return [*lines, ""]


def validate_results(sizes: list[int]) -> list[str]:
    """`bulletin validate` against `frictionless validate` (benchmarks/validatebench.py) as RESULTS.md lines."""
    if not sizes:
        return []
    lines = [
        "## Validation against frictionless",
        "",
        "`bulletin validate --data …` and `frictionless validate` of the same report rows as one table with its "
        "primary key (benchmarks/validatebench.py), each a fresh process, start-up included, on the example's "
        "districts cloned N times; the fastest of three runs each after an untimed one, both with a bytecode "
        "cache. An exit status other than 0 is shown: the figures of a failed run mean nothing.",
        "",
        "| districts | rows | files | bulletin validate (s) | frictionless (s) | ratio | CPU: ours (s) "
        "| CPU: frictionless (s) | CPU ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        command = [sys.executable, str(ROOT / "benchmarks" / "validatebench.py"), "--regions", str(size), "--json"]
        got = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout.splitlines()[-1])
        failed = [
            f"{who} exit {got[key]}"
            for who, key in (("ours", "ours_status"), ("frictionless", "frictionless_status"))
            if got[key]
        ]
        if failed:
            lines.append(f"| {size:,} | {', '.join(failed)} | | | | | | | |")
            continue
        lines.append(
            f"| {size:,} | {got['rows']:,} | {got['files']:,} | {got['ours_s']:.2f} | {got['frictionless_s']:.2f} | "
            f"{got['ratio']:.1f} | {got['ours_cpu_s']:.2f} | {got['frictionless_cpu_s']:.2f} | {got['cpu_ratio']:.1f} |"
        )
    return [*lines, ""]


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    python = platform.python_version()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, Python {python}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-sealed", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--site-regions", default="150", help="districts of the site builds, comma-separated")
    parser.add_argument("--profile", action="store_true", help="also profile the site build at the first N")
    parser.add_argument("--validate-regions", default="150,3000", help="districts of the validation comparisons")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    if args.measure_sealed:
        print(json.dumps(measure_sealed(args.measure_sealed)))
        return 0
    data = WORK / f"national-{args.regions}x{args.indicators}x{args.months}"
    start = time.perf_counter()
    generate(data, args.regions, args.indicators, args.months)
    generated = time.perf_counter() - start
    child = subprocess.run(
        [sys.executable, __file__, "--measure", str(data)], capture_output=True, text=True, check=True
    )
    result = json.loads(child.stdout)
    micro = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "uncertainty.py"), "--regions", str(args.regions)],
        capture_output=True,
        text=True,
        check=True,
    )
    mc = json.loads(micro.stdout)
    sealing = publish_all(data, args.months)
    child = subprocess.run(
        [sys.executable, __file__, "--measure-sealed", str(data)], capture_output=True, text=True, check=True
    )
    sealed = json.loads(child.stdout)
    validate_lines = validate_results([int(n) for n in args.validate_regions.split(",") if n])
    site_lines = site_results([int(n) for n in args.site_regions.split(",") if n], args.profile)
    rows = args.regions * args.indicators * args.months
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (benchmarks/run.py); each run replaces this file.",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {machine()}",
        f"- data: {args.regions} regions x {args.indicators} indicators x {args.months} months = "
        f"{rows:,} report rows in {args.regions * args.months:,} files (generated in {generated:.1f} s)",
        "",
        "| stage | seconds | per million rows |",
        "| --- | ---: | ---: |",
        f"| load (read, decode, parse CSV/YAML) | {result['load_s']:.2f} | {result['load_s'] / rows * 1e6:.2f} |",
        f"| validate (schemas, keys, references, rules) | {result['validate_s']:.2f} | "
        f"{result['validate_s'] / rows * 1e6:.2f} |",
        f"| load + validate | {result['load_s'] + result['validate_s']:.2f} | "
        f"{(result['load_s'] + result['validate_s']) / rows * 1e6:.2f} |",
        f"| model (typed domain objects) | {result['model_s']:.2f} | {result['model_s'] / rows * 1e6:.2f} |",
        f"| compute (progress, city, scores, Monte Carlo intervals, compliance, standings, funnels) | "
        f"{result['compute_s']:.2f} | {result['compute_s'] / rows * 1e6:.2f} |",
        "",
        "Monte Carlo rank intervals alone (benchmarks/uncertainty.py, random ratios, 3 % missing, "
        f"{mc['draws']:.0f} draws): {mc['rank_intervals_seconds']:.2f} s for {mc['months']:.0f} months "
        f"({mc['rank_intervals_seconds_per_month']:.2f} s a month); funnel limits for "
        f"{mc['months'] * mc['indicators']:.0f} indicator-months: {mc['funnel_seconds']:.2f} s.",
        "",
        f"Published bulletins: sealing all {args.months} months (the digests `bulletin publish` writes) took "
        f"{sealing:.2f} s; load + validate with every month published (each seal checked against today's files) "
        f"took {sealed['validate_s']:.2f} s, against {result['load_s'] + result['validate_s']:.2f} s with none "
        f"(errors: {sealed['errors']:.0f}, expected 0).",
        "",
        f"Peak resident memory: {result['peak_mib']:.0f} MiB. "
        f"Errors found in the synthetic data: {result['errors']:.0f} (expected 0).",
        "",
        *validate_lines,
        *site_lines,
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    sys.stdout.write("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
