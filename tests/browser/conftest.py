"""Browser tests: the built example site, served on localhost, driven by Playwright in Debian's Chromium."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from site_builder.commands import build as pipeline
from site_builder.commands.pdf import CHROMIUM_QUIET, chromium, serving
from site_builder.site.build import Workspace
from tests.conftest import REPO, TODAY

# Every chart placeholder is drawn (charts.js marks it data-drawn="true" or "error" when its figure is shown).
DRAWN = "() => Array.from(document.querySelectorAll('.bulletin-chart')).every(e => e.dataset.drawn)"


def visit(page: Page, url: str) -> None:
    """Open `url` and wait until the page is complete: its load event, then every chart drawn.

    This replaces `wait_until="networkidle"`, which waited for 500 ms without a request on every page.
    What a page of the site fetches: everything its HTML names (stylesheets, scripts), which the load
    event waits for; the favicon, from the same server; what Material's bundle asks for while it runs,
    before DOMContentLoaded (the search worker and its index, the sitemap for instant navigation; the
    index has one language, so the worker imports no script); and what charts.js fetches after that
    (plotly, its locale and each figure), which a chart's data-drawn waits for. No font and no image is
    loaded later (the site has neither). A request that starts later still (on a timer, say) is reported
    to a `Watch` as long as the page stays open, and no idle wait ever bounded those either."""
    page.goto(url, wait_until="load")
    page.wait_for_function(DRAWN, timeout=20_000)


def build_into(data: Path, target: Path) -> Path:
    built = pipeline.build(data, target, TODAY, Workspace(target.parent / "work"))
    assert built.ok, built.computed.validated.findings
    return target


@pytest.fixture(scope="session")
def site_dir(built_example: Callable[[str], Path]) -> Path:
    return built_example("data")


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    with serving(site_dir) as base:
        yield base


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as runner:
        yield runner


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    instance = playwright.chromium.launch(executable_path=chromium(), args=list(CHROMIUM_QUIET))
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site built from data whose text fields hold script and HTML payloads."""
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "valid", data)
    payloads = {
        "regions.csv": [
            ("东区", "东区<script>window.__xss=1</script>"),
            ("西区,西区", "西区<img src=x onerror=window.__xss=2>,西区"),
        ],
        "people.csv": [("赵一", "赵一<svg onload=window.__xss=3>")],
        "indicators.csv": [
            ("参合人数占农业人口的比例。", "参合率<script>window.__xss=4</script> [点我](javascript:window.__xss=5)")
        ],
        "reports/2011-02/west.csv": [
            ("筛查车检修，已租用替代车辆。", "<iframe src=javascript:window.__xss=6></iframe>**粗体**")
        ],
        "organization.yaml": [("推进医疗保障。", "'<script>window.__xss=7</script>'")],
    }
    for name, replacements in payloads.items():
        path = data / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, (name, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    target = build_into(data, tmp_path_factory.mktemp("hostile-site") / "site")
    with serving(target) as base:
        yield base


@pytest.fixture(scope="session")
def mapped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small valid programme with synthetic region boundaries (no real boundaries ship)."""
    data = tmp_path_factory.mktemp("mapped") / "data"
    shutil.copytree(REPO / "tests" / "fixtures" / "valid", data)
    features = []
    for index, region in enumerate(["east", "west", "hill"]):
        lon, lat = 120.0 + index, 49.0 + (index % 2) * 0.5
        ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
        features.append({"type": "Feature", "properties": {"region_id": region}, "geometry": geometry})
    (data / "geo").mkdir()
    collection = {"type": "FeatureCollection", "features": features}
    (data / "geo" / "regions.geojson").write_text(json.dumps(collection), encoding="utf-8")
    programme = data / "programme.yaml"
    extra = "map:\n  file: geo/regions.geojson\n  source: 合成测试边界\n  approval_number: 测试用，无审图号\n"
    programme.write_text(programme.read_text(encoding="utf-8") + extra, encoding="utf-8")
    target = build_into(data, tmp_path_factory.mktemp("mapped-site") / "site")
    with serving(target) as base:
        yield base
