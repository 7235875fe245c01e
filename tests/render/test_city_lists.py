"""A city is data: region, unit and facility kinds are open lists (a known code shown by its name, any other
name shown as written) that need no edit of `datapackage.yaml`; a district whose leader is not yet assigned
is a warning the site copes with; the home page's deadline and the liaison page's wording come from the
city's own programme.yaml, not from the examples."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from site_builder.commands.check import check
from site_builder.core.documents import Reporting, SamplingRule
from site_builder.render import home, liaison, regions
from site_builder.render.context import SiteContext
from site_builder.render.labels import deadline_text, kind_name
from site_builder.render.supervision import rule_text
from tests.conftest import TODAY
from tests.render.helpers import context, context_of


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_city_writes_its_own_kinds_and_the_data_stay_valid(valid_copy: Path) -> None:
    _replace(valid_copy / "regions.csv", "hill,山县,山县,county,", "hill,山县,山县,自治县,")
    _replace(valid_copy / "regions.csv", "east,东区,东区,district,", "east,东区,东区,经济开发区,")
    _replace(valid_copy / "units.csv", "cdc,市疾控中心,institution", "cdc,市疾控中心,中心")
    with (valid_copy / "facilities.csv").open("a", encoding="utf-8") as handle:
        handle.write("west_branch,west,西区卫生院分院,卫生院分院,\n")
    assert check(valid_copy, TODAY).findings == []
    dataset = context_of(valid_copy).dataset
    assert {r.id: r.kind for r in dataset.regions}["hill"] == "自治县"
    assert {f.id: f.kind for f in dataset.facilities}["west_branch"] == "卫生院分院"


def test_a_sampling_rule_names_a_known_kind_or_one_the_registry_uses(valid_copy: Path) -> None:
    with (valid_copy / "facilities.csv").open("a", encoding="utf-8") as handle:
        handle.write("west_branch,west,西区卫生院分院,卫生院分院,\n")
    plan = valid_copy / "supervision" / "2011-03.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.split("draw:")[0], encoding="utf-8")  # no recorded draw: only the rules are checked
    _replace(plan, "{kinds: [village_clinic], min: 2, max: 2}", "{kinds: [卫生院分院], min: 1, max: 1}")
    assert check(valid_copy, TODAY).findings == []
    _replace(plan, "{kinds: [卫生院分院], min: 1, max: 1}", "{kinds: [卫生所], min: 1, max: 1}")
    found = check(valid_copy, TODAY).findings
    assert [(f.code, f.value) for f in found] == [("yaml-value", "卫生所")]
    assert "卫生院分院" in found[0].message()  # the kinds the registry uses are offered
    assert "village_clinic" in found[0].message()


def test_known_kinds_show_their_name_and_others_as_written() -> None:
    assert kind_name("autonomous_banner") == "自治旗"
    assert kind_name("county_city") == "县级市"
    assert kind_name("institution") == "直属单位"
    assert kind_name("village_clinic") == "村卫生室"
    assert kind_name("经济开发区") == "经济开发区"
    assert rule_text(SamplingRule(["卫生院分院", "township_hospital"], 1, 2)) == "卫生院分院、乡镇卫生院 1–2 所"


def test_a_district_without_a_leader_is_a_warning_and_the_site_copes(valid_copy: Path) -> None:
    _replace(valid_copy / "assignments.csv", "sun,hill,contract,2011-01-01,2011-12-31,测试\n", "")
    found = check(valid_copy, TODAY).findings
    assert [(f.code, f.severity, f.value) for f in found] == [("region-without-leader", "warning", "hill")]
    assert "未明确责任领导" in found[0].hint()
    ctx = context_of(valid_copy)
    body = liaison.pages(ctx)[0].body
    tile = re.search(r'<li class="tile[^"]*"[^>]*><a class="tile-name" href="\.\./regions/hill/".*?</li>', body)
    assert tile is not None
    assert "tile-no-leader" in tile.group(0)
    assert "未明确责任领导" in tile.group(0)
    page = next(p for p in regions.pages(ctx) if p.path == "regions/hill.md")
    leaders = page.body.split("## 责任领导")[1].split("## ")[0]
    assert "未明确责任领导" in leaders


def _with_programme(ctx: SiteContext, **changes: Any) -> SiteContext:
    programme = dataclasses.replace(ctx.dataset.programme, **changes)
    return SiteContext(dataclasses.replace(ctx.dataset, programme=programme), ctx.results)


def test_the_home_page_says_the_deadline_programme_yaml_sets() -> None:
    ctx = context("fixture")
    assert "<p>每月 30 日前报送当月累计进度，" in home.pages(ctx)[0].body
    next_month = _with_programme(ctx, reporting=Reporting(deadline_day=5, deadline_month_offset=1))
    body = home.pages(next_month)[0].body
    assert "<p>每月 5 日前报送上月累计进度，" in body
    assert "30 日前" not in body
    assert deadline_text(Reporting(deadline_day=10)) == "每月 10 日前报送当月累计进度"


def test_the_liaison_page_names_the_programme_s_organization() -> None:
    ctx = context("fixture")
    body = liaison.pages(ctx)[0].body
    assert '<p class="page-lead">测试市卫生局领导联系、包保和督导各区县的分工' in body
    other = liaison.pages(_with_programme(ctx, organization="某县卫生健康局"))[0].body
    assert "某县卫生健康局领导联系" in other
    assert "市局领导" not in other
