"""The limits on what one data folder may hold and on what one run reports, and the nesting checks.

Every limit is a finding with its numbers, never a crash and never unbounded work: a file or a
folder too large is not read, a document nested too deeply is not parsed, and each file reports at
most `MAX_FINDINGS_PER_CODE` findings of one code plus one `findings-truncated` that counts the rest.
`docs/reference/data-contract.md` ("限制") documents the numbers; change both together.

Nesting is measured without recursion, before any recursive parser sees the text: PyYAML's composer
(and libyaml's, in C) recurse once per level, and `json.loads` raises RecursionError.
"""

from __future__ import annotations

import re

import numpy as np
import yaml

MAX_FILE_BYTES = 32 * 1024 * 1024  # one file
MAX_FOLDER_BYTES = 256 * 1024 * 1024  # all files of the data folder together (memory grows with it)
MAX_DEPTH = 64  # nested lists and mappings in a YAML or GeoJSON document
MAX_FINDINGS_PER_CODE = 100  # findings of one code listed per file; the rest are counted
MAX_ID_LENGTH = 64  # characters of an id (ids name pages and files); `maxLength` in datapackage.yaml

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_CHUNK = 1 << 20


def yaml_too_deep(text: str, loader: type[yaml.SafeLoader], limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Line and column (1-based) where the YAML text first nests deeper than `limit`, else None.

    Reads parser events (libyaml's and PyYAML's parsers keep their own stacks, they do not recurse)
    and stops at the first level too deep, so a document nested a million levels costs no more than
    one nested `limit` levels. Syntax errors propagate as `yaml.YAMLError`, as from `yaml.compose`.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                mark = event.start_mark
                return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def json_too_deep(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Line and column (1-based) of the first bracket that nests the JSON text deeper than `limit`.

    Counts `[`/`{` against `]`/`}` outside strings, in chunks with numpy. For text that is not valid
    JSON (an unclosed string) the count may be off; the parser then reports the syntax.
    """
    raw = text.encode("utf-8")
    masked = _JSON_STRING.sub(lambda match: b"_" * len(match.group()), raw)  # same offsets, no brackets
    codes = np.frombuffer(masked, dtype=np.uint8)
    carry = 0
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start : start + _CHUNK]
        step = (chunk == ord("[")).astype(np.int32) + (chunk == ord("{"))
        step -= (chunk == ord("]")).astype(np.int32) + (chunk == ord("}"))
        depth = np.cumsum(step, dtype=np.int64) + carry
        over = np.flatnonzero(depth > limit)
        if over.size:
            offset = start + int(over[0])
            line_start = raw.rfind(b"\n", 0, offset) + 1
            return raw.count(b"\n", 0, offset) + 1, len(raw[line_start:offset].decode("utf-8", "replace")) + 1
        carry = int(depth[-1]) if depth.size else carry
    return None
