"""Edit the `reports` resource's path list inside `datapackage.yaml` as text.

The descriptor is hand-written YAML with comments; rewriting it through a YAML dumper would
lose them. We locate the list with the YAML composer's marks and replace only that span.

The span is found with libyaml's composer when PyYAML has it (ten times faster than the pure-Python
one on a descriptor listing a year of reports), and remembered per text: rebuilding a corrected
bulletin's editions rewrites the same descriptor once per edition. libyaml's mark indexes count
characters as Python's do (Chinese and astral characters included), but not a leading byte-order
mark; a span whose key does not read `path` is found again with the pure-Python composer.
"""

from __future__ import annotations

import functools

import yaml

REPORTS_RESOURCE = "reports"
_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DescriptorShapeError(ValueError):
    """The descriptor has no `reports` resource whose `path` we can rewrite."""


def _find_reports_path(root: yaml.Node) -> tuple[yaml.MappingNode, yaml.Node | None]:
    if not isinstance(root, yaml.MappingNode):
        raise DescriptorShapeError("datapackage.yaml is not a mapping")
    for key, value in root.value:
        if key.value != "resources" or not isinstance(value, yaml.SequenceNode):
            continue
        for resource in value.value:
            if not isinstance(resource, yaml.MappingNode):
                continue
            fields = {k.value: v for k, v in resource.value}
            name = fields.get("name")
            if isinstance(name, yaml.ScalarNode) and name.value == REPORTS_RESOURCE:
                return resource, fields.get("path")
    raise DescriptorShapeError("datapackage.yaml has no resource named 'reports'")


def _span(text: str, loader: type[yaml.SafeLoader]) -> tuple[int, int, int, int]:
    """The reports resource's `path` key (start, end, column) and the end of its value, as character offsets."""
    root = yaml.compose(text, Loader=loader)
    if root is None:
        raise DescriptorShapeError("datapackage.yaml is empty")
    resource, path_node = _find_reports_path(root)
    if path_node is None:
        raise DescriptorShapeError("the reports resource has no 'path' key")
    key = next(k for k, v in resource.value if v is path_node)
    end = path_node.end_mark.index
    if isinstance(path_node, yaml.SequenceNode) and path_node.value and not path_node.flow_style:
        # A block sequence's end mark lies at the next key; stop after its last item.
        end = path_node.value[-1].end_mark.index
    return int(key.start_mark.index), int(key.end_mark.index), int(key.start_mark.column), int(end)


@functools.lru_cache(maxsize=8)
def _reports_span(text: str) -> tuple[int, int, int]:
    """`_span` (key end, key column, value end), found once per text."""
    start, key_end, column, end = _span(text, _FAST_LOADER)
    if text[start:key_end].strip("'\"") != "path":  # offsets not in characters (a byte-order mark): look again
        start, key_end, column, end = _span(text, yaml.SafeLoader)
    return key_end, column, end


def set_report_paths(text: str, paths: list[str]) -> str:
    """Return `text` with the reports resource's `path` replaced by `paths`, sorted."""
    key_end, column, end = _reports_span(text)
    indent = " " * column
    items = sorted(set(paths))
    rendered = ":" + "".join(f"\n{indent}  - {p}" for p in items) if items else ": []"
    return text[:key_end] + rendered + text[end:]
