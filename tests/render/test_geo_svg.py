"""The server-side SVG map, on a tiny synthetic FeatureCollection: squares around (120°E, 49°N)."""

from __future__ import annotations

import math
import re
from typing import Any

from site_builder.render.geo_svg import Area, Projection, label_point, shapes, svg_map
from tests.render.helpers import assert_inert, square

SCRIPT = "<script>alert(1)</script>"


def collection() -> dict[str, Any]:
    """West and east squares side by side, north a square with a hole, and one unknown region."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "west"},
                "geometry": {"type": "Polygon", "coordinates": [square(119.5, 49.0)]},
            },
            {
                "type": "Feature",
                "properties": {"code": "east"},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[square(120.5, 49.0)], [square(121.2, 48.7, 0.2)]],
                },
            },
            {
                "type": "Feature",
                "properties": {"code": "north"},
                "geometry": {"type": "Polygon", "coordinates": [square(120.0, 50.0), square(120.0, 50.0, 0.4)]},
            },
            {
                "type": "Feature",
                "properties": {"code": "elsewhere"},
                "geometry": {"type": "Polygon", "coordinates": [square(90.0, 30.0)]},
            },
        ],
    }


def areas() -> list[Area]:
    return [
        Area("west", f"西区{SCRIPT}", f"西{SCRIPT}", "../regions/west/", "green", "绿灯"),
        Area("east", "东区", "东", "../regions/east/", "red", "红灯"),
        Area("north", "北区", "北", "../regions/north/", "grey", "未报数值"),
    ]


def view_box(svg: str) -> tuple[float, float]:
    match = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg)
    assert match, svg[:200]
    return float(match.group(1)), float(match.group(2))


def path_points(d: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?[\d.]+", d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def test_a_path_for_every_region_with_boundaries() -> None:
    svg = str(svg_map(collection(), "code", areas(), title="地区灯分布图"))
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    lights = re.findall(r'<g class="geo-region"><path class="geo-light-(\w+)"', svg)
    assert lights == ["green", "red", "grey"]
    assert "<a " not in svg  # instant navigation cannot rewrite links inside an SVG
    assert svg.count("<path ") == 3  # the unknown region is not drawn
    assert "<title>东区：红灯</title>" in svg
    assert 'aria-label="地区灯分布图"' in svg
    east = re.search(r'<path [^>]* d="([^"]+)"><title>东区：', svg)
    assert east
    assert east.group(1).count("M") == 2
    north = re.search(r'<path [^>]* d="([^"]+)"><title>北区：', svg)
    assert north
    assert north.group(1).count("M") == 2


def test_names_stay_text() -> None:
    svg = str(svg_map(collection(), "code", areas(), title=f"图{SCRIPT}"))
    assert "<title>西区&lt;script&gt;alert(1)&lt;/script&gt;：绿灯</title>" in svg
    assert ">西&lt;script&gt;alert(1)&lt;/script&gt;</text>" in svg
    assert 'aria-label="图&lt;script&gt;alert(1)&lt;/script&gt;"' in svg
    assert_inert(svg, "svg")


def test_every_point_lies_inside_the_view_box() -> None:
    svg = str(svg_map(collection(), "code", areas(), title="图"))
    width, height = view_box(svg)
    points = [p for d in re.findall(r' d="([^"]+)"', svg) for p in path_points(d)]
    points += [(float(x), float(y)) for x, y in re.findall(r'<text [^>]*x="([\d.]+)" y="([\d.]+)"', svg)]
    assert len(points) > 12
    for x, y in points:
        assert 0 <= x <= width, (x, width)
        assert 0 <= y <= height, (y, height)
    # the box spans the drawn regions only, with the margin on the outermost side
    assert min(x for x, _ in points) == 10
    assert max(x for x, _ in points) == width - 10


def test_longitude_is_shortened_by_the_cosine_of_the_latitude() -> None:
    one = {"type": "FeatureCollection", "features": [collection()["features"][0]]}
    svg = str(svg_map(one, "code", areas(), title="图"))
    width, height = view_box(svg)
    # a 1°×1° square at 49°N is cos(49°) as wide as it is tall; the taller side gets the full width
    assert math.isclose((width - 20) / (height - 20), math.cos(math.radians(49.0)), rel_tol=1e-3)
    assert height == 600


def test_projection_keeps_north_up() -> None:
    project = Projection.fit([(119.0, 48.5), (121.0, 50.5)])
    x0, y0 = project((119.0, 50.5))  # north-west corner
    x1, y1 = project((121.0, 48.5))  # south-east corner
    assert (x0, y0) == (10, 10)
    assert x1 > x0
    assert y1 > y0


def test_labels_sit_on_the_largest_polygon() -> None:
    east = next(s for s in shapes(collection(), "code", ["east"]))
    lon, lat = label_point(east)
    assert math.isclose(lon, 120.5)
    assert math.isclose(lat, 49.0)


def test_nothing_to_draw_is_empty_markup() -> None:
    assert str(svg_map(collection(), "other_key", areas(), title="图")) == ""
    assert str(svg_map({"type": "FeatureCollection", "features": []}, "code", areas(), title="图")) == ""


def test_the_same_input_gives_the_same_bytes() -> None:
    assert svg_map(collection(), "code", areas(), title="图") == svg_map(collection(), "code", areas(), title="图")
