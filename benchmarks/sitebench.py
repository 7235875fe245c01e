"""The site's build measured against bare MkDocs (`make bench`, and `python benchmarks/sitebench.py`).

- `clone(source, target, regions)`: the example's districts cloned until there are `regions` of them: every
  row naming a district (regions, assignments, targets, facilities, report files) repeated per clone with
  the clone's id, every bulletin left as a draft (no publication records), the meetings kept.
- `reference(target, pages)`: bare MkDocs + Material with the same number of pages, each a few hundred
  Chinese characters in sections of 100, the same theme, search with jieba and `navigation.prune`.
- `python benchmarks/sitebench.py --regions 150` builds both in this process and prints the ratios, of the
  clock's seconds and of this process's CPU seconds (which the machine's other work does not inflate);
  `--profile FILE` writes cProfile's top costs of our build in CPU seconds; `--preview` also measures
  `bulletin serve`'s latency from a saved report file to the changed page.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import io
import json
import logging
import pstats
import random
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_builder.files.descriptor import set_report_paths  # noqa: E402

EXAMPLE = ROOT / "data"
_REGION_TABLES = ("assignments.csv", "targets.csv", "facilities.csv")
_TILES = 100  # rows and columns of the districts' tile map (regions.csv: tile_row, tile_col 0-99)


def _clone_id(region: str, copy: int) -> str:
    return region if copy == 0 else f"{region}_{copy}"


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def clone(source: Path, target: Path, regions: int) -> list[str]:
    """A copy of the data folder `source` with `regions` districts; returns the districts' ids."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("bulletins", "reports", ".*"))
    header, originals = _csv_rows(source / "regions.csv")
    at = {name: header.index(name) for name in ("id", "name", "short_name", "tile_row", "tile_col")}
    height = 1 + max(int(row[at["tile_row"]]) for row in originals)
    width = 1 + max(int(row[at["tile_col"]]) for row in originals)
    per_column = _TILES // height  # copies of the map stacked down, then side by side: tiles stay in 0-99
    if regions > len(originals) * per_column * (_TILES // width):
        raise ValueError(f"{regions} districts do not fit the {_TILES} x {_TILES} tile map")
    copies: dict[str, list[tuple[str, int]]] = {}  # original id -> [(clone id, copy number)]
    rows = []
    for n in range(regions):
        original, copy = originals[n % len(originals)], n // len(originals)
        row = list(original)
        row[at["id"]] = _clone_id(original[at["id"]], copy)
        if copy:
            row[at["name"]] = f"{original[at['name']]}{copy}"
            row[at["short_name"]] = f"{original[at['short_name']]}{copy}"
            row[at["tile_row"]] = str(int(original[at["tile_row"]]) + height * (copy % per_column))
            row[at["tile_col"]] = str(int(original[at["tile_col"]]) + width * (copy // per_column))
        rows.append(row)
        copies.setdefault(original[at["id"]], []).append((row[at["id"]], copy))
    _write_csv(target / "regions.csv", header, rows)
    for name in _REGION_TABLES:
        head, table = _csv_rows(source / name)
        column = head.index("region_id")
        ids = head.index("id") if "id" in head else None
        out = []
        for row in table:
            for clone_id, copy in copies.get(row[column], []):
                cloned = list(row)
                cloned[column] = clone_id
                if ids is not None and copy:
                    cloned[ids] = f"{row[ids]}_{copy}"
                out.append(cloned)
        _write_csv(target / name, head, out)
    paths = []
    for month in sorted(p.name for p in (source / "reports").iterdir() if p.is_dir()):
        (target / "reports" / month).mkdir(parents=True)
        for path in sorted((source / "reports" / month).glob("*.csv")):
            head, table = _csv_rows(path)
            column = head.index("region_id")
            for clone_id, _ in copies.get(path.stem, []):
                _write_csv(
                    target / "reports" / month / f"{clone_id}.csv",
                    head,
                    [[clone_id if i == column else cell for i, cell in enumerate(row)] for row in table],
                )
                paths.append(f"reports/{month}/{clone_id}.csv")
    descriptor = (target / "datapackage.yaml").read_text(encoding="utf-8")
    (target / "datapackage.yaml").write_text(set_report_paths(descriptor, paths), encoding="utf-8")
    return [row[at["id"]] for row in rows]


def _chinese(rng: random.Random, characters: str, count: int) -> str:
    return "".join(rng.choice(characters) for _ in range(count))


def reference(target: Path, pages: int, words: list[str]) -> Path:
    """A bare MkDocs + Material project of `pages` pages of Chinese text; returns its mkdocs.yml."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    docs.mkdir(parents=True)
    text = (EXAMPLE / "indicators.csv").read_text(encoding="utf-8")
    characters = "".join(sorted({ch for ch in text if "\u4e00" <= ch <= "\u9fff"}))
    rng = random.Random(2011)
    nav: list[object] = []
    for n in range(pages):
        sections = [f"## 第{s + 1}节\n\n{_chinese(rng, characters, 100)}。\n" for s in range(4)]
        path = "index.md" if n == 0 else f"pages/p{n:05d}.md"
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(f"# 第{n}页\n\n" + "\n".join(sections), encoding="utf-8")
        nav.append({f"第{n}页": path})
    (target / "words.txt").write_text("".join(f"{w} 1000\n" for w in words), encoding="utf-8")
    config = {
        "site_name": "参照",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "font": False, "features": ["navigation.prune"]},
        "plugins": [
            {"search": {"lang": "en", "separator": r"[\s\u200b\-、，。：；]+", "jieba_dict_user": "words.txt"}}
        ],
        "nav": nav,
    }
    (target / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    return target / "mkdocs.yml"


def build_reference(config: Path) -> tuple[float, float]:
    """Seconds bare MkDocs takes to build the reference project: on the clock, and of this process's CPU."""
    from mkdocs.commands.build import build  # noqa: PLC0415
    from mkdocs.config import load_config  # noqa: PLC0415

    from site_builder.site.search import fresh_jieba  # noqa: PLC0415

    fresh_jieba()
    start, cpu = time.perf_counter(), time.process_time()
    build(load_config(config_file=str(config), site_dir=str(config.parent / "site")))
    return time.perf_counter() - start, time.process_time() - cpu


def build_ours(data: Path, site: Path) -> tuple[float, float]:
    """Seconds `bulletin build` takes (everything from reading the folder to the switched site): on the clock,
    and of this process's CPU (what a shared machine's other work does not inflate)."""
    from site_builder.commands.build import build  # noqa: PLC0415

    start, cpu = time.perf_counter(), time.process_time()
    built = build(data, site)
    elapsed = time.perf_counter() - start, time.process_time() - cpu
    if not built.ok:
        codes = sorted({f.code for f in built.computed.validated.findings if f.severity == "error"})
        raise SystemExit(f"the cloned data do not validate: {codes}")
    return elapsed


def preview_latency(data: Path, work: Path, region: str) -> dict[str, float]:
    """`bulletin serve` on `data`: seconds from saving one report file (an explanation added to the district's
    latest report) to the district's page being served with it; also the first build's seconds."""
    import http.client  # noqa: PLC0415
    import socket  # noqa: PLC0415
    import threading  # noqa: PLC0415

    from site_builder.commands.serve import Preview  # noqa: PLC0415
    from site_builder.site.build import Workspace  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    rebuilds: list[float] = []
    preview = Preview(data, Workspace(work / "preview-work"), f"127.0.0.1:{port}", lambda _: rebuilds.append(0))
    start = time.perf_counter()
    thread = threading.Thread(target=preview.serve, daemon=True)
    thread.start()

    def page() -> str:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            connection.request("GET", f"/regions/{region}/", headers={"Host": f"127.0.0.1:{port}"})
            return connection.getresponse().read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    while not rebuilds or "<h1" not in page():
        time.sleep(0.2)
    first = time.perf_counter() - start
    report = sorted((data / "reports").glob(f"*/{region}.csv"))[-1]
    header, rows = _csv_rows(report)
    rows[0][header.index("explanation")] = "预览测量的说明"
    saved = time.perf_counter()
    _write_csv(report, header, rows)
    while "预览测量的说明" not in page():
        time.sleep(0.1)
    latency = time.perf_counter() - saved
    preview.shutdown()
    thread.join(timeout=120)
    return {"first_build_s": first, "edit_to_page_s": latency}


def pages_of(site: Path) -> int:
    return sum(1 for _ in site.resolve().rglob("index.html"))


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    yield


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=150)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    parser.add_argument("--profile", type=Path, help="write cProfile's top costs of our build to this file")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    parser.add_argument("--preview", action="store_true", help="also measure bulletin serve's edit-to-page time")
    args = parser.parse_args()
    work = args.work / f"site-{args.regions}"
    work.mkdir(parents=True, exist_ok=True)
    data = work / "data"
    ids = clone(EXAMPLE, data, args.regions)
    with _quiet():
        if args.profile:
            profiler = cProfile.Profile(time.process_time)  # CPU seconds: other work on the machine left out
            profiler.enable()
        ours = build_ours(data, work / "site")
        if args.profile:
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
            args.profile.write_text(out.getvalue(), encoding="utf-8")
        pages = pages_of(work / "site")
        config = reference(work / "reference", pages, ids)
        bare = build_reference(config)
    result = {
        "regions": args.regions,
        "pages": pages,
        "ours_s": ours[0],
        "bare_s": bare[0],
        "ratio": ours[0] / bare[0],
        "ours_cpu_s": ours[1],
        "bare_cpu_s": bare[1],
        "cpu_ratio": ours[1] / bare[1],
    }
    if args.preview:
        print(json.dumps(result), file=sys.stderr, flush=True)  # the builds' figures, before the preview's
        result.update(preview_latency(data, work, ids[0]))
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{args.regions} districts, {pages} pages: ours {ours[0]:.1f} s, bare MkDocs {bare[0]:.1f} s, "
            f"{ours[0] / bare[0]:.2f}x; CPU {ours[1]:.1f} s against {bare[1]:.1f} s, {ours[1] / bare[1]:.2f}x"
        )
        if args.preview:
            print(
                f"bulletin serve: first build {result['first_build_s']:.1f} s, "
                f"edit to page {result['edit_to_page_s']:.1f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
