"""Rules on the machinery beyond the monthly figures: supervision draws, meetings, year-end
decisions, and the user's map of region boundaries."""

from __future__ import annotations

import math
from collections.abc import Iterator

import polars as pl

from site_builder.core.documents import Accountability, Meeting, Programme, SupervisionRound
from site_builder.core.findings import Finding
from site_builder.core.sampling import METHOD, Candidate, draw_facilities
from site_builder.load import JsonFile, YamlFile
from site_builder.validate.tables import Table

# The known facility kinds; facilities.csv may name others (its `kind` is an open list), and a sampling
# rule may name a known kind or any kind the registry uses.
FACILITY_KINDS = ("township_hospital", "community_health_centre", "village_clinic")


def _at(doc: YamlFile, path: tuple[object, ...], code: str, value: object, **params: object) -> Finding:
    line, column = doc.mark(path)
    return Finding(code, doc.path, line, column, None if value is None else str(value), params)


def redraw(round_: SupervisionRound, facilities: Table, seed: int) -> dict[str, list[str]]:
    """The round's draw with `seed` from the facility registry, by the published method."""
    candidates = [
        Candidate(row["id"], row["region_id"], row["kind"])
        for row in facilities.frame.select("id", "region_id", "kind").drop_nulls().iter_rows(named=True)
    ]
    regions = [region for group in round_.groups for region in group.regions]
    return draw_facilities(round_.id, regions, round_.sampling, candidates, seed)


def check_draw(doc: YamlFile, round_: SupervisionRound, facilities: Table | None) -> Iterator[Finding]:
    """Sampling rules name facility kinds (known or used in the registry); a recorded draw must be what the
    method gives."""
    used = facilities.frame["kind"].drop_nulls().unique().sort().to_list() if facilities and facilities.usable else []
    kinds = [*FACILITY_KINDS, *(kind for kind in used if kind not in FACILITY_KINDS)]
    for index, rule in enumerate(round_.sampling):
        for k, kind in enumerate(rule.kinds):
            if kind not in kinds:
                yield _at(
                    doc,
                    ("sampling", index, "kinds", k),
                    "yaml-value",
                    kind,
                    where="sampling.kinds",
                    expected="、".join(kinds),
                )
    draw = round_.draw
    if draw is None or facilities is None or not facilities.usable:
        return
    if draw.method != METHOD:
        yield _at(doc, ("draw", "method"), "draw-mismatch", draw.method, detail=f"抽样方法应为 {METHOD}")
        return
    expected = redraw(round_, facilities, draw.seed)
    recorded = {entry.region: sorted(entry.facilities) for entry in draw.result}
    for index, entry in enumerate(draw.result):
        if entry.region not in expected:
            yield _at(
                doc,
                ("draw", "result", index, "region"),
                "draw-mismatch",
                entry.region,
                detail=f"{entry.region} 不在本轮督导的地区中",
            )
    for region, ids in expected.items():
        if recorded.get(region) != ids:
            position = next((i for i, e in enumerate(draw.result) if e.region == region), None)
            path: tuple[object, ...] = ("draw", "result", position, "facilities") if position is not None else ("draw",)
            shown = "、".join(recorded.get(region, [])) or "（无）"
            detail = f"{region} 按种子 {draw.seed} 应抽中 {'、'.join(ids) or '（无）'}，记录为 {shown}"
            yield _at(doc, path, "draw-mismatch", shown, detail=detail)


def check_meeting(doc: YamlFile, meeting: Meeting) -> Iterator[Finding]:
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if meeting.month != stem:
        yield _at(doc, ("month",), "yaml-value", meeting.month, where="month", expected=f"与文件名相同：{stem}")
    if meeting.status == "held" and meeting.held_on is None:
        yield _at(doc, (), "yaml-missing-field", "held_on", where="（文件顶层）", about="已召开的会议写明召开日期")


def check_accountability(doc: YamlFile, decision: Accountability) -> Iterator[Finding]:
    stem = doc.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if str(decision.year) != stem:
        yield _at(doc, ("year",), "yaml-value", decision.year, where="year", expected=f"与文件名相同：{stem}")


def _ring_problem(ring: object) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return "每个环至少要有 4 个坐标点"
    for point in ring:
        if not (isinstance(point, list) and len(point) >= 2 and all(isinstance(v, (int, float)) for v in point[:2])):
            return "坐标点应为 [经度, 纬度]"
        lon, lat = float(point[0]), float(point[1])
        if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
            return f"坐标 [{point[0]}, {point[1]}] 超出经纬度范围"
    if ring[0][:2] != ring[-1][:2]:
        return "环的首尾坐标应相同（闭合）"
    return None


def _geometry_problem(geometry: object) -> str | None:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return "几何类型应为 Polygon 或 MultiPolygon"
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if geometry["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return "缺少坐标"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return "多边形应为环的列表"
        for ring in polygon:
            problem = _ring_problem(ring)
            if problem:
                return problem
    return None


def check_geo(
    programme: Programme, files: dict[str, JsonFile], sources_files: list[str], regions: Table
) -> Iterator[Finding]:
    """The user's boundaries: a FeatureCollection of polygons joined to regions.csv by id."""
    geo = programme.map
    if geo is None:
        return
    doc = files.get(geo.file)
    if doc is None:
        if geo.file not in sources_files:
            yield Finding("file-missing", geo.file, params={"expected": geo.file})
        return
    data = doc.data
    features = data.get("features") if isinstance(data, dict) and data.get("type") == "FeatureCollection" else None
    if not isinstance(features, list):
        yield Finding("geo-invalid", doc.path, 1, 1, params={"detail": "文件应为 GeoJSON FeatureCollection"})
        return
    known = set(regions.frame["id"].drop_nulls().to_list()) if regions.usable else None
    seen: set[str] = set()
    missing_key = 0
    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        value = properties.get(geo.join_key) if isinstance(properties, dict) else None
        line = doc.line_of(f'"{value}"') if isinstance(value, str) else None
        problem = _geometry_problem(feature.get("geometry") if isinstance(feature, dict) else None)
        if problem:
            yield Finding(
                "geo-invalid", doc.path, line, None, str(value), {"detail": f"第 {index + 1} 个要素：{problem}"}
            )
        if not isinstance(value, str):
            missing_key += 1
            continue
        seen.add(value)
        if known is not None and value not in known:
            yield Finding(
                "geo-unmatched",
                doc.path,
                line,
                None,
                value,
                {"detail": f"第 {index + 1} 个要素的地区编码在 regions.csv 中不存在"},
            )
    if missing_key:
        yield Finding("geo-join-key", doc.path, doc.line_of('"features"'), None, geo.join_key, {"count": missing_key})
    elif known is not None:
        frame = regions.frame.with_row_index("_row")
        for row in frame.filter(pl.col("id").is_not_null() & ~pl.col("id").is_in(sorted(seen))).iter_rows(named=True):
            path, line, column = regions.locate(row["_row"], "id")
            yield Finding(
                "geo-unmatched", path, line, column, row["id"], {"detail": f"地图中没有地区 {row['id']} 的边界"}
            )
