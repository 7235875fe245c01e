"""The tables of the data contract, read from the Table Schemas in `datapackage.yaml`.

The descriptor is the single source of truth for column names, types and constraints, so that
`frictionless validate` and `bulletin validate` check the same things. This module turns the
descriptor into typed specs and reports what in it the rest of the code cannot work with.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast

from site_builder.core.findings import Finding
from site_builder.core.limits import MAX_ID_LENGTH

FieldType = Literal["string", "number", "integer", "date"]
FIELD_TYPES: tuple[FieldType, ...] = ("string", "number", "integer", "date")

DESCRIPTOR = "datapackage.yaml"
REPORTS = "reports"

# The columns the pipeline reads; the descriptor may add columns but not drop these.
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "regions": ("id", "name", "short_name", "kind", "parent_id"),
    "units": ("id", "name", "kind"),
    "people": ("id", "name", "title", "unit_id"),
    "assignments": ("person_id", "region_id", "kind", "start", "end"),
    "indicators": ("id", "name", "group_id", "lead_unit_id", "kind", "unit", "direction", "weight", "profile"),
    "targets": ("year", "region_id", "indicator_id", "target"),
    "benchmarks": ("month", "indicator_id", "value"),
    "facilities": ("id", "region_id", "name", "kind"),
    REPORTS: (
        "month",
        "region_id",
        "indicator_id",
        "value",
        "numerator",
        "denominator",
        "submitted_on",
        "corrected_on",
        "explanation",
    ),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    title: str
    type: FieldType
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    private: bool = False
    max_length: int | None = None  # characters (Table Schema's maxLength)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str  # the referenced table; "" in the descriptor means the table itself
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    paths: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @functools.cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)


@dataclass(frozen=True)
class Contract:
    tables: Mapping[str, TableSpec]

    def table_for_path(self, path: str) -> TableSpec | None:
        for table in self.tables.values():
            if table.name != REPORTS and path in table.paths:
                return table
        return None

    def private_fields(self) -> dict[str, tuple[str, ...]]:
        return {t.name: tuple(f.name for f in t.fields if f.private) for t in self.tables.values()}


class _Problems:
    """Collects descriptor problems as findings located at the descriptor's nodes."""

    def __init__(self, marks: Mapping[tuple[object, ...], tuple[int, int]]) -> None:
        self.marks = marks
        self.findings: list[Finding] = []

    def add(self, path: tuple[object, ...], zh: str, en: str) -> None:
        """A problem at the node `path`, said in Chinese and in English."""
        line, column = _nearest_mark(self.marks, path)
        params = {"detail": zh, "detail_en": en}
        self.findings.append(Finding("datapackage-invalid", DESCRIPTOR, line, column, params=params))


def _nearest_mark(marks: Mapping[tuple[object, ...], tuple[int, int]], path: tuple[object, ...]) -> tuple[int, int]:
    while path and path not in marks:
        path = path[:-1]
    return marks.get(path, (1, 1))


def parse_contract(data: object, marks: Mapping[tuple[object, ...], tuple[int, int]]) -> tuple[Contract, list[Finding]]:
    """Read the descriptor into a `Contract`; every problem becomes a `datapackage-invalid` finding."""
    problems = _Problems(marks)
    tables: dict[str, TableSpec] = {}
    resources = data.get("resources") if isinstance(data, dict) else None
    if not isinstance(resources, list):
        problems.add((), "缺少 resources（各表的列表）", "the descriptor needs a list of resources")
        return Contract({}), problems.findings
    for index, resource in enumerate(resources):
        table = _parse_resource(resource, ("resources", index), problems)
        if table is not None:
            if table.name in tables:
                problems.add(
                    ("resources", index, "name"),
                    f"表 {table.name} 描述了两次",
                    f"resource {table.name} is described twice",
                )
            tables[table.name] = table
    for name, columns in REQUIRED_COLUMNS.items():
        if name not in tables:
            problems.add(("resources",), f"缺少必需的表 {name}", f"the resource {name} is missing")
            continue
        for column in columns:
            if column not in tables[name].field_names:
                problems.add(
                    ("resources",),
                    f"表 {name} 缺少程序要用的列 {column}",
                    f"the resource {name} lacks the field {column}",
                )
    for table in tables.values():
        for key in table.foreign_keys:
            target = tables.get(key.resource)
            if target is None or any(f not in target.field_names for f in key.reference_fields):
                problems.add(
                    ("resources",),
                    f"表 {table.name} 的引用（foreignKeys）指向不存在的表或列：{key.resource}",
                    f"{table.name}: foreign key to unknown {key.resource}",
                )
    return Contract(tables), problems.findings


def _parse_resource(resource: object, at: tuple[object, ...], problems: _Problems) -> TableSpec | None:
    if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
        problems.add(at, "每张表都要有 name", "each resource needs a name")
        return None
    name: str = resource["name"]
    raw_paths = resource.get("path", [])
    paths = (raw_paths,) if isinstance(raw_paths, str) else raw_paths
    if not isinstance(paths, (list, tuple)) or not all(isinstance(p, str) for p in paths):
        problems.add(
            (*at, "path"),
            f"表 {name} 的 path 应是一个文件名或文件名的列表",
            f"{name}: path must be a file name or a list of them",
        )
        paths = ()
    schema = resource.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        problems.add(at, f"表 {name} 缺少 schema 或其中的 fields", f"{name}: the resource needs a schema with fields")
        return None
    fields = []
    for index, raw in enumerate(schema["fields"]):
        spec = _parse_field(raw, (*at, "schema", "fields", index), problems)
        if spec is not None:
            fields.append(spec)
    primary_key = _names(schema.get("primaryKey", []))
    if primary_key == ("id",):  # ids name pages and files: never longer than the limit, whatever the descriptor says
        fields = [
            dataclasses.replace(f, max_length=min(f.max_length or MAX_ID_LENGTH, MAX_ID_LENGTH))
            if f.name == "id"
            else f
            for f in fields
        ]
    names = {f.name for f in fields}
    if not set(primary_key) <= names:
        problems.add(
            (*at, "schema", "primaryKey"),
            f"表 {name} 的主键（primaryKey）用了不存在的列",
            f"{name}: primaryKey names unknown fields",
        )
        primary_key = ()
    foreign_keys = []
    for index, raw in enumerate(schema.get("foreignKeys", []) or []):
        reference = raw.get("reference") if isinstance(raw, dict) else None
        if not isinstance(reference, dict):
            problems.add(
                (*at, "schema", "foreignKeys", index),
                f"表 {name} 的引用（foreignKeys）缺少 reference",
                f"{name}: a foreign key needs a reference",
            )
            continue
        key = ForeignKey(
            _names(raw.get("fields")), str(reference.get("resource") or name), _names(reference.get("fields"))
        )
        if not set(key.fields) <= names or len(key.fields) != len(key.reference_fields):
            problems.add(
                (*at, "schema", "foreignKeys", index),
                f"表 {name} 的引用（foreignKeys）用了不存在的列，或两边的列数不同",
                f"{name}: a foreign key names unknown fields",
            )
            continue
        foreign_keys.append(key)
    return TableSpec(
        name=name,
        title=str(resource.get("title", name)),
        paths=tuple(paths),
        fields=tuple(fields),
        primary_key=primary_key,
        foreign_keys=tuple(foreign_keys),
    )


def _names(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return ()


def _parse_field(raw: object, at: tuple[object, ...], problems: _Problems) -> FieldSpec | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        problems.add(at, "每一列都要有 name", "each field needs a name")
        return None
    kind = raw.get("type", "string")
    if kind not in FIELD_TYPES:
        problems.add(
            (*at, "type"),
            f"列 {raw['name']} 的类型 {kind} 不是 {'、'.join(FIELD_TYPES)} 之一",
            f"field {raw['name']}: type {kind} is not one of {', '.join(FIELD_TYPES)}",
        )
        return None
    constraints = raw.get("constraints") or {}
    if not isinstance(constraints, dict):
        problems.add(
            (*at, "constraints"),
            f"列 {raw['name']} 的 constraints 应是映射（键: 值）",
            f"field {raw['name']}: constraints must be a mapping",
        )
        constraints = {}
    enum = constraints.get("enum")
    minimum = constraints.get("minimum")
    maximum = constraints.get("maximum")
    max_length = constraints.get("maxLength")
    if max_length is not None and (not isinstance(max_length, int) or isinstance(max_length, bool) or max_length < 1):
        problems.add(
            (*at, "constraints", "maxLength"),
            f"列 {raw['name']} 的 maxLength 应是大于 0 的整数",
            f"field {raw['name']}: maxLength must be a whole number above 0",
        )
        max_length = None
    return FieldSpec(
        name=raw["name"],
        title=str(raw.get("title", raw["name"])),
        type=cast(FieldType, kind),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        enum=tuple(str(v) for v in enum) if isinstance(enum, list) else None,
        pattern=str(constraints["pattern"]) if "pattern" in constraints else None,
        minimum=float(minimum) if isinstance(minimum, (int, float)) else None,
        maximum=float(maximum) if isinstance(maximum, (int, float)) else None,
        private=bool(raw.get("x-private", False)),
        max_length=max_length,
    )
