"""Edit the `reports` resource's path list inside `datapackage.yaml` as text.

The descriptor is hand-written YAML with comments; rewriting it through a YAML dumper would
lose them. We locate the list with the YAML composer's marks and replace only that span.
"""

from __future__ import annotations

import yaml

REPORTS_RESOURCE = "reports"


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


def set_report_paths(text: str, paths: list[str]) -> str:
    """Return `text` with the reports resource's `path` replaced by `paths`, sorted."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is None:
        raise DescriptorShapeError("datapackage.yaml is empty")
    resource, path_node = _find_reports_path(root)
    if path_node is None:
        raise DescriptorShapeError("the reports resource has no 'path' key")
    key = next(k for k, v in resource.value if v is path_node)
    indent = " " * int(key.start_mark.column)
    items = sorted(set(paths))
    rendered = ":" + "".join(f"\n{indent}  - {p}" for p in items) if items else ": []"
    end = path_node.end_mark.index
    if isinstance(path_node, yaml.SequenceNode) and path_node.value and not path_node.flow_style:
        # A block sequence's end mark lies at the next key; stop after its last item.
        end = path_node.value[-1].end_mark.index
    return text[: key.end_mark.index] + rendered + text[end:]
