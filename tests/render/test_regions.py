"""District pages on real data: both examples and the valid fixture, plus an injected copy.

Also the helpers the organization and people tests share: contexts computed once, link resolution,
and the fixture with script, image, link and heading payloads in names, titles, duties and explanations.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from site_builder.pipeline import compute_folder
from site_builder.render import organization, people, regions
from site_builder.render.base import Page
from site_builder.render.context import SiteContext, bulletin_path, indicator_path
from tests.conftest import REPO, TODAY, VALID

FOLDERS = {"valid": VALID, "hulunbuir": REPO / "data", "zaozhuang": REPO / "examples" / "zaozhuang"}
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
LINK = "*emph* [x](javascript:alert(1))"
HEADING = "# heading"
ATTRIBUTES = "{: onclick=alert(1)}"  # attr_list is on: a heading must not take attributes from data


def _context(folder: Path) -> SiteContext:
    computed = compute_folder(folder, TODAY)
    assert computed.dataset is not None, computed.validated.findings
    assert computed.results is not None
    return SiteContext(computed.dataset, computed.results)


@functools.cache
def context(name: str) -> SiteContext:
    return _context(FOLDERS[name])


@functools.cache
def family_pages(name: str) -> dict[str, Page]:
    ctx = context(name)
    found = [*organization.pages(ctx), *people.pages(ctx), *regions.pages(ctx)]
    by_path = {page.path: page for page in found}
    assert len(by_path) == len(found), "two pages with the same path"
    return by_path


def _served(path: str) -> str:
    """The URL path MkDocs serves a docs path at, without slashes at the ends."""
    stem = path.removesuffix(".md")
    stem = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem
    return stem.strip("/")


def resolve(href: str, current: str) -> str:
    """The served path a relative href on page `current` points at."""
    base = _served(current)
    return posixpath.normpath(posixpath.join(base, href)).strip("/").removeprefix(".")


def known_targets(name: str) -> set[str]:
    ctx = context(name)
    paths = set(family_pages(name))
    paths |= {indicator_path(i.id) for i in ctx.dataset.indicators}
    paths |= {bulletin_path(m) for m in ctx.months} | {"index.md", "methodology.md"}
    return {_served(p) for p in paths}


HREF = re.compile(r'\shref="([^"]*)"')
DATA_CHART = re.compile(r'\sdata-chart="([^"]*)"')


def assert_links_resolve(name: str, pages: dict[str, Page]) -> None:
    targets = known_targets(name)
    for page in pages.values():
        for href in HREF.findall(page.body):
            assert not re.match(r"^[a-z][a-z0-9+.-]*:", href), f"{page.path}: absolute link {href}"
            assert resolve(href, page.path) in targets, f"{page.path}: {href} leads to no page"
        charts = {f"charts/{chart.id}.json" for chart in page.charts}
        for source in DATA_CHART.findall(page.body):
            assert resolve(source, page.path) in charts, f"{page.path}: {source} is not a chart of the page"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(html: str, where: str) -> None:
    """No script element, no event handler attribute, no javascript: link in this HTML."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe", "object"), f"{where}: <{tag}>"
        for attribute, value in attrs:
            assert not attribute.startswith("on"), f"{where}: <{tag} {attribute}=…>"
            target = "".join((value or "").split()).lower()
            assert not target.startswith(("javascript:", "data:")), f"{where}: <{tag} {attribute}={value}>"
    assert "<script" not in html.lower(), where


def as_html(body: str) -> str:
    """The page as MkDocs turns it into HTML, with the site's Markdown extensions."""
    return markdown.markdown(body, extensions=["admonition", "tables", "attr_list", "md_in_html", "toc"])


def _inject(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build_injected(target: Path) -> Path:
    """A copy of the valid fixture with payloads in names, titles, duties and explanations."""
    shutil.copytree(VALID, target)
    _inject(target / "people.csv", "zhao,赵一,局长,", f"zhao,赵一{SCRIPT},局长{IMAGE},")
    _inject(target / "people.csv", "qian,钱二,副局长,", f"qian,{HEADING} 钱二 {ATTRIBUTES},{LINK},")
    _inject(target / "units.csv", "office,办公室,", f"office,办公室{SCRIPT},")
    _inject(target / "regions.csv", "east,东区,", f"east,东区{IMAGE},")
    _inject(target / "regions.csv", "west,西区,", f"west,{HEADING} 西区 {LINK},")
    _inject(target / "indicators.csv", "participation,参合率,", f"participation,参合率{SCRIPT},")
    organization_yaml = target / "organization.yaml"
    _inject(organization_yaml, "name: 医改领导小组", f'name: "医改领导小组{SCRIPT}"')
    _inject(organization_yaml, "duties: 统筹医改工作。", f'duties: "{LINK} {IMAGE}"')
    _inject(organization_yaml, "name: 领导小组办公室", f'name: "办公室{IMAGE}"')
    _inject(organization_yaml, "name: 医疗保障推进组", f'name: "{HEADING} 医疗保障推进组{SCRIPT}"')
    _inject(organization_yaml, "duties: 推进医疗保障。", f'duties: "{IMAGE} {HEADING}"')
    reports = target / "reports"
    _inject(reports / "2011-02" / "west.csv", "筛查车检修，已租用替代车辆。", f"{SCRIPT}筛查车检修")
    _inject(reports / "2011-02" / "west.csv", "试点方案待市里批复，数值下月补报。", f"{LINK} {IMAGE}")
    _inject(reports / "2011-01" / "west.csv", "受春节影响，筛查推迟到下月。", f"{HEADING} 受春节影响")
    return target


_INJECTED: dict[str, Page] = {}


def injected_pages(factory: pytest.TempPathFactory) -> dict[str, Page]:
    """The three families' pages of the injected fixture, built once per test session."""
    if not _INJECTED:
        ctx = _context(build_injected(factory.mktemp("injected") / "data"))
        _INJECTED.update({p.path: p for p in [*organization.pages(ctx), *people.pages(ctx), *regions.pages(ctx)]})
    return _INJECTED


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    return injected_pages(tmp_path_factory)


def region_pages(name: str) -> dict[str, Page]:
    return {path: page for path, page in family_pages(name).items() if path.startswith("regions/")}


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_a_page_for_every_region(name: str) -> None:
    ctx = context(name)
    pages = region_pages(name)
    assert set(pages) == {"regions/index.md"} | {f"regions/{r.id}.md" for r in ctx.dataset.regions}
    index = pages["regions/index.md"].body
    for region in ctx.dataset.regions:
        page = pages[f"regions/{region.id}.md"]
        assert page.title == region.name
        assert page.body.startswith("# ")
        assert f'href="{region.id}/">{region.name}</a>' in index


@pytest.mark.parametrize("name", sorted(FOLDERS))
def test_links_resolve(name: str) -> None:
    assert_links_resolve(name, region_pages(name))


def test_manzhouli_lists_its_liaison_leader() -> None:
    body = region_pages("hulunbuir")["regions/manzhouli.md"].body
    leaders = body.split('<dl class="region-leaders">')[1].split("</dl>")[0]
    assert re.search(r"<dt>联系点</dt>\s*<dd><a href=\"../../people/tian_xiaochuan/\">田晓川</a>", leaders)
    assert "市卫生局局长" in leaders


def test_zaozhuang_shows_contract_and_supervision_leaders() -> None:
    body = region_pages("zaozhuang")["regions/yicheng.md"].body
    assert "<dt>包保</dt>" in body
    assert "钱继伟" in body
    assert "<dt>督导组长</dt>" in body
    assert "古新芳" in body


def test_region_page_shows_explanations_missing_values_and_timeliness() -> None:
    body = region_pages("valid")["regions/west.md"].body
    for text in ("筛查车检修，已租用替代车辆。", "试点方案待市里批复，数值下月补报。", "受春节影响，筛查推迟到下月。"):
        assert f"<p>{text}</p>" in body
    explanations = body.split("## 说明")[1]
    assert explanations.index("2011年2月") < explanations.index("2011年1月")  # latest month first
    latest = body.split("## 各指标进展")[1].split("</table>")[0]
    pilot = latest.split("indicators/pilot/")[1].split("</tr>")[0]
    assert '<span class="value-missing">未报</span>' in pilot  # never imputed
    assert "light-grey" in pilot
    hill = region_pages("valid")["regions/hill.md"].body
    assert "compliance-late" in hill.split("## 报送情况")[1]


def test_region_summary_shows_latest_standing() -> None:
    ctx = context("hulunbuir")
    latest = ctx.latest
    assert latest is not None
    for row in ctx.rankings[latest]:
        body = region_pages("hulunbuir")[f"regions/{row.region_id}.md"].body
        summary = body.split('<dl class="region-summary">')[1].split("</dl>")[0]
        assert f"<strong>{row.rank}</strong> / 13" in summary
        assert f"light-{row.light}" in summary
        assert f"{row.red_streak}个月" in summary


def test_charts_carry_their_numbers() -> None:
    ctx = context("hulunbuir")
    ids: set[str] = set()
    for path, page in region_pages("hulunbuir").items():
        if path == "regions/index.md":
            assert page.charts == []
            continue
        region_id = path.removeprefix("regions/").removesuffix(".md")
        assert [c.id for c in page.charts] == [f"region-{region_id}-progress", f"region-{region_id}-rank"]
        progress, rank = page.charts
        assert len(progress.rows) == len(ctx.dataset.indicators) * len(ctx.months)
        assert len(rank.rows) == len(ctx.months)
        assert rank.figure["layout"]["yaxis"]["range"][0] > rank.figure["layout"]["yaxis"]["range"][1]  # 1 on top
        assert len(progress.figure["data"]) == 2 * len(ctx.dataset.indicators)
        json.dumps(progress.figure)  # plain data
        ids.update(c.id for c in page.charts)
    assert len(ids) == 2 * len(ctx.dataset.regions)


def test_a_missing_value_is_a_gap_not_a_number() -> None:
    page = region_pages("hulunbuir")["regions/genhe.md"]
    progress = page.charts[0]
    records = [row for row in progress.rows if row[0] == "居民健康档案规范化建档率" and row[1] == "2011-05"]
    assert records == [["居民健康档案规范化建档率", "2011-05", "—", "82.5%", "未报数值"]]
    trace = next(t for t in progress.figure["data"] if t["hovertemplate"].startswith("居民健康档案"))
    assert trace["y"][4] is None


def test_rendering_is_reproducible() -> None:
    first = {p.path: p.body for p in regions.pages(context("valid"))}
    second = {p.path: p.body for p in regions.pages(context("valid"))}
    assert first == second


def test_payloads_stay_text(injected: dict[str, Page]) -> None:
    for path, page in injected.items():
        assert_inert(page.body, path)
        assert_inert(as_html(page.body), f"{path} (as HTML)")
        for chart in page.charts:
            figure = json.dumps(chart.figure, ensure_ascii=False)
            assert "<script" not in figure, chart.id
            assert "<img" not in figure, chart.id
    west = injected["regions/west.md"].body
    assert west.splitlines()[0] == r"# \# heading 西区 \*emph\* \[x\]\(javascript:alert\(1\)\)"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;筛查车检修" in west  # an explanation
    assert "<em>emph</em> <a>x</a> &lt;img src=x onerror=alert(1)&gt;" in west  # narrative: emphasis kept, link dropped
    assert '<td class="explanation">heading 受春节影响</td>' in west  # a heading is outside the safe subset: text
    index = injected["regions/index.md"].body
    assert "东区&lt;img src=x onerror=alert(1)&gt;" in index
    assert "# heading 西区 *emph* [x](javascript:alert(1))" in index
    heading = as_html(injected["people/qian.md"].body).splitlines()[0]
    assert re.fullmatch(r'<h1 id="[^"]*"># heading 钱二 \{: onclick=alert\(1\)\}</h1>', heading)  # no attribute added
