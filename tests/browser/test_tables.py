"""Key tables at 1366 px (an office PC) fit their column; on a 390 px phone ranking rows keep key cells in view.

Bulletin, rankings and liaison; the home page, the district index and a district's page (rank, district,
score and light; indicator, completion and light); the reporting-status matrices keep the district in view."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.browser.conftest import visit

OFFICE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# Every table of the page but a chart's data table (inside its <details>): its scroll box, its widths.
OVERFLOWS = """() => Array.from(document.querySelectorAll('article table'))
  .filter(t => !t.closest('details'))
  .map(t => {
    const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
    const caption = t.caption ? t.caption.innerText : t.rows[0].innerText;
    return {caption: caption.slice(0, 40), scroll: box.scrollWidth, client: box.clientWidth};
  })"""

# The key cells of each body row of the table whose caption holds `needle`: where they are drawn.
KEY_CELLS = """([needle, light]) => {
  const table = Array.from(document.querySelectorAll('article table'))
    .find(t => t.caption && t.caption.innerText.includes(needle));
  if (!table) return null;
  const place = e => { if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; };
  return Array.from(table.tBodies[0].rows).map(row => {
    const district = row.querySelector('th[scope="row"]');
    return {
      name: district ? district.innerText : '',
      rank: place(row.cells[0]),
      district: place(district),
      score: place(district && district.nextElementSibling),
      light: light ? place(row.querySelector('.light')) : [0, 1, 1],
    };
  });
}"""


def latest_bulletin(site_dir: Path) -> str:
    months = sorted(p.name for p in (site_dir / "bulletins").iterdir() if re.fullmatch(r"\d{4}-\d{2}", p.name))
    assert months
    return f"bulletins/{months[-1]}/"


def opened(browser: Browser, url: str, viewport: dict[str, int]) -> Page:
    page = browser.new_page(viewport={"width": viewport["width"], "height": viewport["height"]})
    visit(page, url)
    return page


def test_no_key_table_scrolls_sideways_on_a_1366_px_screen(browser: Browser, site_dir: Path, site_url: str) -> None:
    wide: list[str] = []
    for path in (latest_bulletin(site_dir), "rankings/", "liaison/"):
        page = opened(browser, site_url + path, OFFICE)
        tables = page.evaluate(OVERFLOWS)
        assert tables, path
        wide += [f"{path} {t['caption']}: {t['scroll']} > {t['client']}" for t in tables if t["scroll"] > t["client"]]
        page.close()
    assert not wide, "\n".join(wide)


def test_a_phone_shows_rank_district_score_and_light_of_every_ranking_row(
    browser: Browser, site_dir: Path, site_url: str
) -> None:
    cut: list[str] = []
    for path, needle, light in ((latest_bulletin(site_dir), "综合排名", True), ("rankings/", "年度", False)):
        page = opened(browser, site_url + path, PHONE)
        rows = page.evaluate(KEY_CELLS, [needle, light])
        assert rows, (path, needle)
        for row in rows:
            for cell in ("rank", "district", "score", "light"):
                place = row[cell]
                if place is None or place[2] <= 0 or place[0] < 0 or place[1] > PHONE["width"]:
                    cut.append(f"{path} {row['name']}: {cell} at {place}")
        page.close()
    assert not cut, "\n".join(cut)


def test_the_liaison_matrix_keeps_its_leaders_in_view_on_a_phone(browser: Browser, site_url: str) -> None:
    page = opened(browser, site_url + "liaison/", PHONE)
    box = page.locator("article .md-typeset__scrollwrap").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the matrix is wider than a phone
    box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    leader = page.locator("article table").first.locator("tbody th[scope='row']").first.bounding_box()
    assert leader is not None
    assert leader["x"] >= 0
    assert leader["x"] + leader["width"] <= PHONE["width"]
    page.close()


# The cells under the named column heads, and the row's own head, of each body row of the table whose caption
# holds `needle` (rows of one cell spanning the table, a district's explanation, left out): where they are drawn.
NAMED_CELLS = """([needle, heads]) => {
  const table = Array.from(document.querySelectorAll('article table'))
    .find(t => t.caption && t.caption.innerText.includes(needle));
  if (!table) return null;
  const names = Array.from(table.tHead.rows[0].cells).map(c => c.innerText.trim());
  const place = e => { if (!e) return null; const r = e.getBoundingClientRect(); return [r.left, r.right, r.width]; };
  return Array.from(table.tBodies[0].rows).filter(row => row.cells.length > 1).map(row => {
    const head = row.querySelector('th[scope="row"]');
    const found = {name: head ? head.innerText : '', head: place(head)};
    for (const wanted of heads) found[wanted] = place(row.cells[names.indexOf(wanted)]);
    return found;
  });
}"""
# The home page's ranking, the district index and a district's indicators: caption, the key column heads.
HOME_AND_DISTRICTS = (
    ("", "综合排名", ("名次", "综合得分", "灯")),
    ("regions/", "名次与责任领导", ("名次", "综合得分", "灯")),
    ("regions/manzhouli/", "各指标完成情况", ("完成率", "灯")),
)


def test_no_table_of_the_home_and_district_pages_scrolls_sideways_at_1366_px(browser: Browser, site_url: str) -> None:
    wide: list[str] = []
    for path in ("", "regions/", "regions/manzhouli/", "regions/xinbaerhu_you/", "reporting/"):
        page = opened(browser, site_url + path, OFFICE)
        tables = page.evaluate(OVERFLOWS)
        assert tables, path
        wide += [f"{path} {t['caption']}: {t['scroll']} > {t['client']}" for t in tables if t["scroll"] > t["client"]]
        page.close()
    assert not wide, "\n".join(wide)


def test_a_phone_shows_the_key_cells_of_the_home_and_district_tables(browser: Browser, site_url: str) -> None:
    cut: list[str] = []
    for path, needle, heads in HOME_AND_DISTRICTS:
        page = opened(browser, site_url + path, PHONE)
        rows = page.evaluate(NAMED_CELLS, [needle, list(heads)])
        assert rows, (path, needle)
        for row in rows:
            for cell in ("head", *heads):
                place = row[cell]
                if place is None or place[2] <= 0 or place[0] < 0 or place[1] > PHONE["width"]:
                    cut.append(f"{path} {row['name']}: {cell} at {place}")
        page.close()
    assert not cut, "\n".join(cut)


def test_a_phone_shows_a_district_s_rank_score_and_light_at_the_top(browser: Browser, site_url: str) -> None:
    page = opened(browser, site_url + "regions/manzhouli/", PHONE)
    shown = page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('article .region-summary > div')).map(d => {
          const r = d.getBoundingClientRect();
          return [d.querySelector('dt').innerText.trim(), [r.left, r.right, r.width]];
        }))"""
    )
    for key in ("名次", "综合得分", "灯"):
        place = shown.get(key)
        assert place, key
        assert place[2] > 0, (key, place)
        assert 0 <= place[0] <= place[1] <= PHONE["width"], (key, place)
    page.close()


def test_the_reporting_matrices_keep_the_district_in_view_on_a_phone(browser: Browser, site_url: str) -> None:
    page = opened(browser, site_url + "reporting/", PHONE)
    page.wait_for_function("() => document.querySelectorAll('article .md-typeset__scrollwrap').length >= 2")
    boxes = page.locator("article .md-typeset__scrollwrap")
    for index in (0, 1):  # the districts × months summary and the latest month's matrix
        box = boxes.nth(index)
        box.scroll_into_view_if_needed()
        box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
        head = box.locator("tbody th[scope='row']").first.bounding_box()
        assert head is not None
        assert head["x"] >= 0
        assert head["x"] + head["width"] <= PHONE["width"]
    page.close()
