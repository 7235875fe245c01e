"""A region map drawn on the server as inline SVG, from the user's GeoJSON boundaries.

The projection is equirectangular, scaled to the bounding box of the drawn regions: x grows with
longitude times cos(mean latitude), the middle latitude of the box, so that shapes keep their
proportions at the city's latitude, and y grows southwards. Coordinates are rounded to a tenth of a
unit of the view box and repeated points after rounding are dropped, which keeps the markup small
and the output byte-for-byte reproducible. Every region is a link to its page with its name and
light as `<title>`; the fill repeats the light, so colour is never the only signal. No script, no
external request.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

Point = tuple[float, float]
Ring = list[Point]


@dataclass(frozen=True)
class Area:
    """What the map shows for one region: its names, the link to its page, and its latest light."""

    region_id: str
    name: str
    short_name: str
    href: str
    light: str
    light_label: str


@dataclass(frozen=True)
class Shape:
    """One region's polygons, each a list of rings (the outer ring first, then holes), in lon/lat."""

    region_id: str
    polygons: list[list[Ring]]


def _ring(raw: object) -> Ring:
    if not isinstance(raw, list):
        return []
    return [(float(p[0]), float(p[1])) for p in raw if isinstance(p, list) and len(p) >= 2]


def _polygons(geometry: object) -> list[list[Ring]]:
    if not isinstance(geometry, Mapping):
        return []
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if not isinstance(coordinates, list):
        return []
    raw = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    polygons = []
    for polygon in raw:
        if isinstance(polygon, list):
            rings = [ring for ring in (_ring(r) for r in polygon) if len(ring) >= 3]
            if rings:
                polygons.append(rings)
    return polygons


def shapes(collection: Mapping[str, Any], join_key: str, known: Iterable[str]) -> list[Shape]:
    """The polygons of every feature whose `join_key` property names a known region, in file order;
    two features of the same region are merged."""
    wanted = set(known)
    found: dict[str, list[list[Ring]]] = {}
    features = collection.get("features")
    for feature in features if isinstance(features, list) else []:
        if not isinstance(feature, Mapping):
            continue
        properties = feature.get("properties")
        region_id = properties.get(join_key) if isinstance(properties, Mapping) else None
        if not isinstance(region_id, str) or region_id not in wanted:
            continue
        polygons = _polygons(feature.get("geometry"))
        if polygons:
            found.setdefault(region_id, []).extend(polygons)
    return [Shape(region_id, polygons) for region_id, polygons in found.items()]


@dataclass(frozen=True)
class Projection:
    """lon/lat → x/y in a view box `width` wide, with `margin` on every side."""

    west: float
    north: float
    factor: float  # cos(mean latitude)
    scale: float
    margin: float
    width: float
    height: float

    @classmethod
    def fit(cls, points: Iterable[Point], width: float = 600.0, margin: float = 10.0) -> Projection:
        lons, lats = zip(*points, strict=True)
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        factor = math.cos(math.radians((south + north) / 2))
        span_x = (east - west) * factor
        span_y = north - south
        scale = (width - 2 * margin) / max(span_x, span_y, 1e-9)
        return cls(
            west,
            north,
            factor,
            scale,
            margin,
            round(span_x * scale + 2 * margin, 1),
            round(span_y * scale + 2 * margin, 1),
        )

    def __call__(self, point: Point) -> Point:
        lon, lat = point
        x = self.margin + (lon - self.west) * self.factor * self.scale
        y = self.margin + (self.north - lat) * self.scale
        return round(x, 1), round(y, 1)


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _path_data(polygons: Sequence[Sequence[Ring]], project: Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points: list[Point] = []
            for point in ring:
                xy = project(point)
                if not points or points[-1] != xy:
                    points.append(xy)
            if len(points) > 1 and points[0] == points[-1]:
                points.pop()
            if len(points) < 3:
                continue
            head, *rest = points
            line = " ".join(f"{_number(x)} {_number(y)}" for x, y in rest)
            parts.append(f"M{_number(head[0])} {_number(head[1])}L{line}Z")
    return "".join(parts)


def _ring_area(ring: Ring) -> tuple[float, float, float]:
    """Signed area and centroid of a ring (shoelace), in lon/lat."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-15:
        xs, ys = zip(*ring, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area / 2, cx / (3 * area), cy / (3 * area)


def label_point(shape: Shape) -> Point:
    """Where the region's name goes: the centroid of its largest outer ring."""
    best = max((_ring_area(polygon[0]) for polygon in shape.polygons), key=lambda a: abs(a[0]))
    return best[1], best[2]


def _all_points(items: Iterable[Shape]) -> Iterator[Point]:
    for shape in items:
        for polygon in shape.polygons:
            for ring in polygon:
                yield from ring


def svg_map(
    collection: Mapping[str, Any],
    join_key: str,
    areas: Sequence[Area],
    *,
    title: str,
    width: float = 600.0,
) -> Markup:
    """The regions of `areas` that have boundaries in `collection`, as one inline `<svg>` element
    (empty markup when none has). Regions are drawn in the order of `areas`."""
    by_id = {area.region_id: area for area in areas}
    found = {shape.region_id: shape for shape in shapes(collection, join_key, by_id)}
    drawn = [(area, found[area.region_id]) for area in areas if area.region_id in found]
    if not drawn:
        return Markup("")
    project = Projection.fit(_all_points(shape for _, shape in drawn), width)
    parts = [
        f'<svg class="geo-map-svg" viewBox="0 0 {_number(project.width)} {_number(project.height)}"'
        f' role="group" aria-label="{escape(title)}">'
    ]
    labels = []
    for area, shape in drawn:
        name = f"{area.name}：{area.light_label}"
        data = _path_data(shape.polygons, project)
        # no <a> inside the SVG: Material's instant navigation rewrites every link's href, which an
        # SVG link does not allow; the district pages are linked from the tiles and the table
        parts.append(
            f'<g class="geo-region"><path class="geo-light-{escape(area.light)}" fill-rule="evenodd" d="{data}">'
            f"<title>{escape(name)}</title></path></g>"
        )
        x, y = project(label_point(shape))
        labels.append(
            f'<text class="geo-label" x="{_number(x)}" y="{_number(y)}" aria-hidden="true">'
            f"{escape(area.short_name)}</text>"
        )
    parts.extend(labels)  # names above every shape, so that no neighbour covers them
    parts.append("</svg>")
    return Markup("".join(parts))
