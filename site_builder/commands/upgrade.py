"""`bulletin upgrade`: a data folder's datapackage.yaml rewritten to this version's data contract.

A city's folder keeps its own copy of the descriptor, so a new contract (a new optional column, a
loosened constraint, a new enumeration value) reaches it only through this command. The new text is
the current contract's descriptor (`commands/init.py`'s `current_descriptor`, comments included) with
what the folder made its own carried over: the reports resource's `path` list, every `x-private`
marker, the columns and enumeration values it added, the tables it added. The edits are made as text
at the YAML composer's marks, like `files/descriptor.py`'s. The folder with the new descriptor is
validated before anything is written: when it has errors, nothing is written and the findings say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from site_builder.commands.init import current_descriptor
from site_builder.core.contract import DESCRIPTOR, REPORTS, REQUIRED_COLUMNS, Contract, FieldSpec, parse_contract
from site_builder.core.findings import Finding, has_errors
from site_builder.files.descriptor import set_report_paths
from site_builder.files.durable import write_data_files
from site_builder.load import Sources, load_sources, overlaid
from site_builder.validate import validate

Tree = dict[str, object]
LABELS = {
    "title": "标题",
    "type": "类型",
    "required": "必填",
    "unique": "不得重复",
    "enum": "可选值",
    "pattern": "格式",
    "minimum": "最小值",
    "maximum": "最大值",
    "private": "不公开（x-private）",
    "max_length": "最长字符数",
}


@dataclass(frozen=True)
class Upgraded:
    findings: tuple[Finding, ...]  # the folder's findings with the new descriptor (errors: nothing written)
    changes: tuple[str, ...] = ()  # what the new descriptor changes, one line each, in Chinese
    written: bool = False

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def _resources(tree: object) -> list[Tree]:
    resources = tree.get("resources") if isinstance(tree, dict) else None
    return [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []


def _fields(resource: Tree) -> list[Tree]:
    schema = resource.get("schema")
    listed = schema.get("fields") if isinstance(schema, dict) else None
    return [f for f in listed if isinstance(f, dict)] if isinstance(listed, list) else []


def _flow(value: object) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6).strip()


def _child(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.Node):
                return v
    return None


def _end(node: yaml.Node) -> int:
    """Where a node's text ends: a block collection's end mark lies at the next key, so descend."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value and not node.flow_style:
        last = node.value[-1]
        return _end(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.index)


def _kept(old: Tree, new: Tree) -> Tree:
    """The current contract's field with the folder's x-private marker and added enumeration values."""
    kept = dict(new)
    if old.get("x-private") is True and new.get("x-private") is not True:
        kept["x-private"] = True
    old_c, new_c = old.get("constraints"), new.get("constraints")
    if isinstance(old_c, dict) and isinstance(new_c, dict):
        old_enum, new_enum = old_c.get("enum"), new_c.get("enum")
        if isinstance(old_enum, list) and isinstance(new_enum, list):
            added = [v for v in old_enum if v not in new_enum]
            if added:
                kept["constraints"] = {**new_c, "enum": [*new_enum, *added]}
    return kept


def _line(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole lines holding text[start:end], newline included."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    return first, len(text) if last < 0 else last + 1


def _edits(base: str, old_tree: object, headers: Mapping[str, set[str]]) -> Iterator[tuple[int, int, str]]:
    """(start, end, replacement) spans of `base` that carry the folder's own additions over, and that
    leave out the optional columns new to this contract that the folder's files do not have yet."""
    root = yaml.compose(base, Loader=yaml.SafeLoader)
    listed = _child(root, "resources") if root is not None else None
    if not isinstance(listed, yaml.SequenceNode) or not listed.value:
        return
    new_tree = yaml.safe_load(base)
    current = {str(r.get("name")): (r, node) for r, node in zip(_resources(new_tree), listed.value, strict=False)}
    for resource in _resources(old_tree):
        name = str(resource.get("name"))
        if name not in current:  # a table the city added: appended after the last resource
            item = listed.value[-1]
            indent = " " * (int(item.start_mark.column) - 2)
            dumped = yaml.safe_dump(resource, allow_unicode=True, sort_keys=False, default_flow_style=None, width=10**6)
            lines = dumped.rstrip("\n").split("\n")
            text = "".join(f"\n{indent}{'- ' if i == 0 else '  '}{line}" for i, line in enumerate(lines))
            yield _end(listed), _end(listed), text
            continue
        new_resource, node = current[name]
        field_nodes = _child(_child(node, "schema") or node, "fields")
        if not isinstance(field_nodes, yaml.SequenceNode) or not field_nodes.value:
            continue
        pairs = zip(_fields(new_resource), field_nodes.value, strict=False)
        new_fields = {str(f.get("name")): (f, n) for f, n in pairs}
        declared = {str(f.get("name")) for f in _fields(resource)}
        for fname, (_, fnode) in new_fields.items():
            if fname not in declared and _unused(name, fname, headers):
                yield (*_line(base, int(fnode.start_mark.index), _end(fnode)), "")
        for old_field in _fields(resource):
            fname = str(old_field.get("name"))
            if fname not in new_fields:  # a column the city added
                last = field_nodes.value[-1]
                indent = " " * (int(last.start_mark.column) - 2)
                yield _end(field_nodes), _end(field_nodes), f"\n{indent}- {_flow(old_field)}"
                continue
            new_field, fnode = new_fields[fname]
            kept = _kept(old_field, new_field)
            if kept != new_field:
                yield int(fnode.start_mark.index), _end(fnode), _flow(kept)


def _unused(table: str, column: str, headers: Mapping[str, set[str]]) -> bool:
    """An optional column the table's files (if it has any) do not have: declaring it would make every
    file lack it, so it waits until someone adds it to a header."""
    return column not in REQUIRED_COLUMNS.get(table, ()) and table in headers and column not in headers[table]


def left_out(old_text: str, headers: Mapping[str, set[str]]) -> list[str]:
    """The optional columns of the current contract that `upgraded_text` leaves out, as advice."""
    old = {str(r.get("name")): {str(f.get("name")) for f in _fields(r)} for r in _resources(yaml.safe_load(old_text))}
    lines = []
    for resource in _resources(yaml.safe_load(current_descriptor())):
        name = str(resource.get("name"))
        for spec in _fields(resource):
            column = str(spec.get("name"))
            if name in old and column not in old[name] and _unused(name, column, headers):
                lines.append(
                    f"{name} 的可选列 {column}（{spec.get('title', '')}）未加入：表格中还没有这一列；"
                    "需要时在表头加上该列，再运行 bulletin upgrade"
                )
    return lines


def upgraded_text(old_text: str, headers: Mapping[str, set[str]] | None = None) -> str:
    """The current contract's descriptor with `old_text`'s report paths and additions carried over.

    `headers`: each table's columns found in its files' headers (tables with no file left out)."""
    headers = headers or {}
    old_tree = yaml.safe_load(old_text)
    reports = next((r for r in _resources(old_tree) if r.get("name") == REPORTS), {})
    listed = reports.get("path", [])
    paths = [str(p) for p in (listed if isinstance(listed, list) else [listed])]
    text = set_report_paths(current_descriptor(), paths)
    for start, end, replacement in sorted(_edits(text, old_tree, headers), key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _shown(value: object) -> str:
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value) or "无"
    return str(value)


def _compare(old: FieldSpec, new: FieldSpec) -> Iterator[str]:
    for attribute in fields(FieldSpec):
        before, after = getattr(old, attribute.name), getattr(new, attribute.name)
        if attribute.name in LABELS and before != after:
            yield f"{LABELS[attribute.name]}：{_shown(before)} → {_shown(after)}"


def describe(old: Contract, new: Contract) -> list[str]:
    """What the new contract changes for this folder, one line each."""
    lines: list[str] = []
    for name, table in new.tables.items():
        before = old.tables.get(name)
        if before is None:
            lines.append(f"新增表 {name}（{table.title}）")
            continue
        for spec in table.fields:
            if spec.name not in before.field_names:
                lines.append(f"{name} 新增列 {spec.name}（{spec.title}）")
            else:
                lines += [f"{name}.{spec.name} {change}" for change in _compare(before.field(spec.name), spec)]
        if table.primary_key != before.primary_key:
            lines.append(f"{name} 主键：{_shown(before.primary_key)} → {_shown(table.primary_key)}")
        if set(table.foreign_keys) != set(before.foreign_keys):
            lines.append(f"{name} 外键有变化")
    return lines


def _contract(text: str) -> Contract:
    try:
        return parse_contract(yaml.safe_load(text), {})[0]
    except yaml.YAMLError:
        return Contract({})


def _headers(tree: object, sources: Sources) -> dict[str, set[str]]:
    """Each table's columns as its files' headers have them (a table with no file read is left out)."""
    headers: dict[str, set[str]] = {}
    for resource in _resources(tree):
        listed = resource.get("path", [])
        for rel in listed if isinstance(listed, list) else [listed]:
            if isinstance(rel, str) and rel in sources.csv:
                headers.setdefault(str(resource.get("name")), set()).update(sources.csv[rel].header)
    return headers


def upgrade_folder(data_dir: Path, *, dry_run: bool = False, today: dt.date | None = None) -> Upgraded:
    """Rewrite `data_dir`'s descriptor to the current contract unless the folder would then be invalid."""
    sources = load_sources(data_dir)
    on = today or dt.date.today()
    try:
        tree = yaml.safe_load(sources.descriptor) if sources.descriptor else None
    except yaml.YAMLError:
        tree = None
    if not _resources(tree):  # nothing to carry over: the folder's own findings say why
        own = tuple(validate(sources, on).findings)
        missing = Finding("file-missing", DESCRIPTOR, params={"expected": DESCRIPTOR})
        return Upgraded(own if has_errors(own) else (*own, missing))
    headers = _headers(tree, sources)
    text = upgraded_text(sources.descriptor, headers)
    validated = validate(overlaid(sources, {DESCRIPTOR: text.encode("utf-8")}), on)
    findings = tuple(validated.findings)
    if has_errors(findings):
        return Upgraded(findings)
    changes = (*describe(_contract(sources.descriptor), validated.contract), *left_out(sources.descriptor, headers))
    if text == sources.descriptor or dry_run:
        return Upgraded(findings, changes)
    write_data_files(data_dir, {}, text)
    return Upgraded(findings, changes, written=True)
