"""Supervision draws anyone can re-run, meetings, year-end decisions, and user-supplied maps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.commands.sample import set_draw
from site_builder.core.documents import SamplingRule
from site_builder.core.sampling import Candidate, draw_block, draw_facilities
from tests.conftest import TODAY, build_fixture


def _square(lon: float, lat: float, region: str) -> dict[str, object]:
    ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"region_id": region},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_a_valid_map_is_accepted_and_kept(valid_copy: Path) -> None:
    (valid_copy / "geo").mkdir()
    features = [_square(120 + i, 49, r) for i, r in enumerate(["east", "west", "hill"])]
    (valid_copy / "geo" / "regions.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    programme = valid_copy / "programme.yaml"
    programme.write_text(
        programme.read_text(encoding="utf-8") + "map:\n  file: geo/regions.geojson\n", encoding="utf-8"
    )
    result = check(valid_copy, TODAY)
    assert result.findings == []
    assert result.geo is not None
    assert len(result.geo["features"]) == 3


def test_a_held_meeting_needs_its_date_and_known_regions(valid_copy: Path) -> None:
    (valid_copy / "meetings").mkdir()
    (valid_copy / "meetings" / "2011-02.yaml").write_text(
        'month: "2011-02"\ntitle: 二月例会\nstatus: held\nsummoned: [west, north]\n', encoding="utf-8"
    )
    found = {(f.code, f.value) for f in check(valid_copy, TODAY).findings}
    assert found == {("yaml-missing-field", "held_on"), ("unknown-region", "north")}


def test_year_end_decisions_name_known_regions(valid_copy: Path) -> None:
    (valid_copy / "accountability").mkdir()
    (valid_copy / "accountability" / "2011.yaml").write_text(
        "year: 2011\ncommended:\n  - {region: east, reason: 进展突出}\npenalized:\n  - {region: south}\n",
        encoding="utf-8",
    )
    assert [(f.code, f.value, f.line) for f in check(valid_copy, TODAY).findings] == [("unknown-region", "south", 5)]


def test_the_draw_is_reproducible_and_bounded() -> None:
    rules = [SamplingRule(["township_hospital"], 2, 3), SamplingRule(["village_clinic"], 2, 2)]
    registry = [Candidate(f"a_th{i}", "a", "township_hospital") for i in range(5)]
    registry += [Candidate(f"a_vc{i}", "a", "village_clinic") for i in range(1)]
    first = draw_facilities("r1", ["a"], rules, registry, seed=42)
    assert first == draw_facilities("r1", ["a"], rules, list(reversed(registry)), seed=42)
    hospitals = [f for f in first["a"] if "_th" in f]
    assert 2 <= len(hospitals) <= 3
    assert [f for f in first["a"] if "_vc" in f] == ["a_vc0"]  # only one clinic to draw from
    others = {tuple(draw_facilities("r1", ["a"], rules, registry, seed=s)["a"]) for s in range(20)}
    assert len(others) > 1  # the seed matters


def test_recording_a_draw_keeps_the_rest_of_the_file() -> None:
    text = (
        "# 督导方案\nid: r1\nname: 测试\n"
        "draw:\n  seed: 1\n  method: x\n  drawn_on: 2011-01-01\n  result: []\n"
        "groups: []\n"
    )
    block = draw_block(9, "2011-02-01", {"a": ["a_th1"]})
    updated = set_draw(text, block)
    assert updated.startswith("# 督导方案\nid: r1\nname: 测试\ndraw:\n  seed: 9\n")
    assert updated.endswith("groups: []\n")
    assert set_draw(updated, block) == updated
    appended = set_draw("id: r1\n", block)
    assert appended == "id: r1\n" + block


def test_sample_check_and_record_through_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("draw-mismatch", data)
    assert main(["sample", "2011-03", "--data", str(data), "--check"]) == 1
    assert "与记录的抽样不一致" in capsys.readouterr().out
    assert main(["sample", "2011-03", "--data", str(data), "--seed", "7", "--date", "2011-03-20"]) == 0
    capsys.readouterr()
    assert main(["sample", "2011-03", "--data", str(data), "--check"]) == 0
    assert "与记录的抽样一致" in capsys.readouterr().out
    assert check(data, TODAY).findings == []


def test_sample_needs_a_seed_and_a_known_round(valid_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "2011-03", "--data", str(valid_copy)]) == 2
    assert main(["sample", "1999-01", "--data", str(valid_copy), "--seed", "1"]) == 2
    assert "bulletin: 错误：" in capsys.readouterr().err
