"""A data folder with a script payload in every text field of every file of the contract.

`build_payload_folder(target, listener)` copies the valid fixture and appends `payload(label, …)` to
every free-text value: every string column of every table in `datapackage.yaml` that has no
`pattern` or `enum` and is no foreign key (`csv_text_fields`), and every `str` or `list[str]` field
of every YAML document model in `site_builder/core/documents.py` that has no `pattern` (`document_text_fields`).
Both lists are derived, so a column or field added later is payloaded without touching this file;
a field that cannot hold a payload (it names a file, an id or an algorithm) is listed with its reason
in `NOT_TEXT_COLUMNS` or `NOT_TEXT_FIELDS`. A new kind of YAML document (a new top-level model) fails
`build_payload_folder` until `DOCUMENTS` gets an example of it.

Later features must extend this fixture: every new page, document, comment or file that carries data
must hold a payload here (and its page must be reachable from the built site), so that
tests/browser/test_payloads.py proves it shows as text and runs nothing.
"""

from __future__ import annotations

import copy
import csv
import dataclasses
import datetime as dt
import io
import json
import shutil
import types
import typing
from pathlib import Path
from typing import Any

import yaml

from site_builder.commands.publish import publish_bulletin
from site_builder.core import documents
from site_builder.core.contract import parse_contract
from tests.conftest import VALID

MARKER = "__pwned"  # payloads push their label onto window.__pwned

# Columns without pattern or enum that still cannot hold free text: they refer to ids defined
# elsewhere than in a foreign key of the descriptor. (Ids themselves have a pattern: no payload fits.)
NOT_TEXT_COLUMNS = {
    ("indicators", "group_id"): "a task group id of organization.yaml",
    ("indicators", "profile"): "a profile name of programme.yaml",
    ("facilities", "kind"): "a facility kind the supervision rounds' sampling rules name",
}
# Columns that hold text only in place of another: the payload goes into the last row, whose other
# column is emptied (a reason a task does not apply replaces the district's target).
IN_PLACE_OF = {("targets", "not_applicable"): "target"}
# Document fields (str or list[str], no pattern) that are not free text. Fields with a pattern
# (ids, months, digests, the map's file name) and Literal fields are skipped by their type.
NOT_TEXT_FIELDS = {
    "SupervisionRound.id": "equals the file name",
    "SupervisionRound.report_to": "unit ids",
    "SupervisionGroup.regions": "region ids",
    "SamplingRule.kinds": "facility kinds",
    "DrawnFacilities.facilities": "facility ids",
    "Draw.method": "names the sampling algorithm that validation re-runs",
    "TaskGroup.units": "unit ids",
    "Meeting.summoned": "region ids",
    "GeoMap.join_key": "a property name in the GeoJSON file",
    "Manifest.generator": "written by bulletin publish (the seal)",
    "Manifest.files": "written by bulletin publish (the seal)",
    "SealedFile.path": "written by bulletin publish (the seal)",
    "ChangedFile.path": "written by bulletin publish (the seal)",
}

GEO = "geo/regions.geojson"
# One example of every top-level YAML document beyond the fixture's own (programme, organization,
# supervision): their free-text fields are payloaded by `_fill` like the others.
DOCUMENTS: dict[type, list[tuple[str, dict[str, Any]]]] = {
    documents.Meeting: [
        (
            "meetings/2011-02.yaml",
            {
                "month": "2011-02",
                "title": "二月例会",
                "status": "held",
                "held_on": dt.date(2011, 2, 25),
                "chair": "zhao",
                "summoned": ["west"],
                "decisions": ["督促西区补报。"],
            },
        )
    ],
    documents.Accountability: [
        (
            "accountability/2011.yaml",
            {
                "year": 2011,
                "decided_on": dt.date(2011, 3, 1),
                "document": "测试发〔2011〕1号",
                "commended": [{"region": "east", "reason": "进度快。"}],
                "penalized": [{"region": "west", "reason": "进度慢。"}],
            },
        )
    ],
    documents.Bulletin: [
        ("bulletins/2011-01.yaml", {"month": "2011-01", "title": "一月通报", "text": "正文。", "cc": ["各区县"]})
    ],
}
PUBLISHED = "2011-02"  # published with `bulletin publish`, then given a sealed erratum


def payload(label: str, listener: str) -> str:
    """Script in every context a value can land in; `label` names the field, `listener` is a URL
    (http://127.0.0.1:<port>/) that no page may ever reach."""
    run = f"window.{MARKER}=(window.{MARKER}||[]).concat('{label}');alert('{label}');fetch('{listener}{label}')"
    return (
        f"</title><script>{run}</script>"
        f"</script><script>{run}</script>"
        f'" onmouseover="{run}" x="'
        f"' onfocus='{run}' autofocus x='"
        f'<img src=x onerror="{run}">'
        f'<svg onload="{run}"></svg>'
        f"[链接](javascript:{run})"
        f'<a href="javascript:{run}">链接</a>'
        f'{{: onclick="{run}"}}'
    )


def csv_text_fields(descriptor: Path) -> dict[str, list[str]]:
    """Table name -> its free-text columns, from the contract."""
    data = yaml.safe_load(descriptor.read_text(encoding="utf-8"))
    contract, problems = parse_contract(data, {})
    assert not problems, problems
    fields: dict[str, list[str]] = {}
    for table in contract.tables.values():
        references = {name for key in table.foreign_keys for name in key.fields}
        fields[table.name] = [
            spec.name
            for spec in table.fields
            if spec.type == "string"
            and spec.pattern is None
            and spec.enum is None
            and spec.name not in references
            and (table.name, spec.name) not in NOT_TEXT_COLUMNS
        ]
    return fields


def _dataclass_of(hint: object) -> type | None:
    return hint if isinstance(hint, type) and dataclasses.is_dataclass(hint) else None


def _unwrap(hint: object) -> object:
    """X | None -> X; list[X] -> X (a list of X is filled item by item)."""
    if isinstance(hint, types.UnionType):
        hint = next(arg for arg in typing.get_args(hint) if arg is not type(None))
    if typing.get_origin(hint) is list:
        hint = typing.get_args(hint)[0]
    return hint


def document_text_fields(root: type) -> set[str]:
    """`Class.field` of every free-text field reachable from a document model."""
    found: set[str] = set()
    for item in dataclasses.fields(root):
        name = f"{root.__name__}.{item.name}"
        hint = _unwrap(typing.get_type_hints(root)[item.name])
        if hint is str and item.metadata.get("pattern") is None and name not in NOT_TEXT_FIELDS:
            found.add(name)
        elif (nested := _dataclass_of(hint)) is not None:
            found |= document_text_fields(nested)
    return found


def document_roots() -> set[type]:
    """The models of whole YAML documents: the dataclasses of documents.py no other one contains."""
    models = {
        value for value in vars(documents).values() if _dataclass_of(value) and value.__module__ == documents.__name__
    }
    nested = {
        inner
        for model in models
        for hint in typing.get_type_hints(model).values()
        if (inner := _dataclass_of(_unwrap(hint))) is not None
    }
    return models - nested


def _fill(cls: type, tree: dict[str, Any], listener: str, covered: set[str]) -> None:
    """Append a payload to every free-text field of `tree` (a document of model `cls`), adding absent ones."""
    for item in dataclasses.fields(cls):
        name = f"{cls.__name__}.{item.name}"
        hint = typing.get_type_hints(cls)[item.name]
        inner = _unwrap(hint)
        is_list = typing.get_origin(hint) is list or any(
            typing.get_origin(arg) is list for arg in typing.get_args(hint)
        )
        if inner is str and item.metadata.get("pattern") is None and name not in NOT_TEXT_FIELDS:
            text = payload(name, listener)
            if is_list:
                tree[item.name] = [f"{value}{text}" for value in tree.get(item.name) or [""]]
            else:
                tree[item.name] = f"{tree.get(item.name) or ''}{text}"
            covered.add(name)
        elif (nested := _dataclass_of(inner)) is not None and tree.get(item.name) is not None:
            for child in tree[item.name] if is_list else [tree[item.name]]:
                _fill(nested, child, listener, covered)


def _read_yaml(path: Path) -> dict[str, Any]:
    tree: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tree


def _write_yaml(path: Path, tree: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")


def _payload_csv(path: Path, columns: list[str], table: str, listener: str, covered: set[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    if not rows:
        return
    for column in columns:
        if column in rows[0]:
            text = payload(f"{table}.{column}", listener)
            replaced = IN_PLACE_OF.get((table, column))
            for row in rows[-1:] if replaced else rows:
                row[column] = f"{row[column]}{text}"
                if replaced:
                    row[replaced] = ""
            covered.add(f"{table}.{column}")
    out = io.StringIO()
    writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _add_map(data: Path, programme: dict[str, Any]) -> None:
    """Synthetic region boundaries, so that the map's own text fields (source, approval number) show."""
    features = []
    for index, region in enumerate(["east", "west", "hill"]):
        lon, lat = 120.0 + index, 49.0
        ring = [[lon, lat], [lon + 1, lat], [lon + 1, lat + 1], [lon, lat + 1], [lon, lat]]
        geometry = {"type": "Polygon", "coordinates": [ring]}
        features.append({"type": "Feature", "properties": {"region_id": region}, "geometry": geometry})
    (data / "geo").mkdir()
    (data / GEO).write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    programme["map"] = {"file": GEO, "source": "合成测试边界", "approval_number": "无"}


def build_payload_folder(target: Path, listener: str) -> set[str]:
    """The valid fixture in `target` with payloads in every text field; returns the fields covered."""
    roots = document_roots()
    own = {documents.Programme, documents.Organization, documents.SupervisionRound}
    assert roots == own | set(DOCUMENTS), f"a YAML document without an example here: {roots - own - set(DOCUMENTS)}"
    shutil.copytree(VALID, target)
    covered: set[str] = set()
    expected: set[str] = set()

    for table, columns in csv_text_fields(target / "datapackage.yaml").items():
        expected |= {f"{table}.{column}" for column in columns}
        paths = sorted(target.glob("reports/*/*.csv")) if table == "reports" else [target / f"{table}.csv"]
        for path in paths:
            _payload_csv(path, columns, table, listener, covered)

    programme = _read_yaml(target / documents.PROGRAMME)
    _add_map(target, programme)
    trees: dict[str, tuple[type, dict[str, Any]]] = {documents.PROGRAMME: (documents.Programme, programme)}
    trees[documents.ORGANIZATION] = (documents.Organization, _read_yaml(target / documents.ORGANIZATION))
    for path in sorted(target.glob("supervision/*.yaml")):
        round_ = _read_yaml(path)
        round_.setdefault("content", [{"title": "督导内容", "items": ["药品配送"]}])
        trees[path.relative_to(target).as_posix()] = (documents.SupervisionRound, round_)
    for model, examples in DOCUMENTS.items():
        for rel, tree in examples:
            trees[rel] = (model, copy.deepcopy(tree))
    trees[f"bulletins/{PUBLISHED}.yaml"] = (
        documents.Bulletin,
        {"month": PUBLISHED, "title": "二月通报", "text": "正文。"},
    )
    for rel, (model, tree) in trees.items():
        expected |= document_text_fields(model)
        _fill(model, tree, listener, covered)
        _write_yaml(target / rel, tree)

    # the published bulletin: sealed by `bulletin publish`, then a sealed erratum that changed no file
    outcome = publish_bulletin(target, PUBLISHED, dt.date(2011, 3, 5))
    assert outcome.bulletins, [f for f in outcome.validated.findings if f.severity == "error"]
    record_path = target / f"bulletins/{PUBLISHED}.yaml"
    record = _read_yaml(record_path)
    record["errata"] = [
        {
            "date": dt.date(2011, 3, 8),
            "description": "更正",
            "reason": "笔误",
            "approved_by": "王主任",
            "sealed_on": dt.date(2011, 3, 8),
        }
    ]
    _fill(documents.Bulletin, record, listener, covered)
    _write_yaml(record_path, record)

    assert covered == expected, f"fields without a payload: {sorted(expected - covered)}"
    return covered
