"""Edits of YAML files that commands own part of: one top-level entry is replaced, the rest kept as written.

`bulletin sample` writes a round's `draw:`; `bulletin publish` writes a bulletin's publication
record. Everything else in the file, comments and the editor's layout included, stays as it is.
"""

from __future__ import annotations

import yaml


def set_top_level(text: str, key: str, block: str) -> str:
    """`text` with its top-level `key:` entry replaced by `block` (YAML text ending in a newline, or ''
    to remove the entry); appended at the end when there is no such entry."""
    root = yaml.compose(text, Loader=yaml.SafeLoader) if text.strip() else None
    if isinstance(root, yaml.MappingNode):
        for index, (node, _) in enumerate(root.value):
            if node.value == key:
                start = text.rfind("\n", 0, node.start_mark.index) + 1
                if index + 1 < len(root.value):
                    following = root.value[index + 1][0].start_mark.index
                    end = _before_comments(text, text.rfind("\n", 0, following) + 1)
                else:
                    end = len(text)
                return text[:start] + block + text[end:]
    if not block:
        return text
    return (text.rstrip("\n") + "\n" if text.strip() else "") + block


def _before_comments(text: str, end: int) -> int:
    """`end` (the start of the next entry's line) moved up over the comment lines written just above
    that entry at the left margin: they introduce it, and stay with it."""
    while end > 0:
        previous = text.rfind("\n", 0, end - 1) + 1
        if not text[previous:end].startswith("#"):
            return end
        end = previous
    return end
