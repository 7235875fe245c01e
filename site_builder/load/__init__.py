"""Stage 1, load: read every file of a data folder into text, CSV records and YAML trees.

The only stage that reads the disk. It decodes strictly (UTF-8, with or without BOM; a GBK or
GB18030 file is reported, never guessed at), keeps the line where each CSV record starts, and
keeps the line and column of every YAML node, so later findings point at what an editor opens.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from site_builder.core.findings import Finding
from site_builder.core.limits import MAX_DEPTH, MAX_FILE_BYTES, json_too_deep, yaml_too_deep
from site_builder.files.folder import list_folder, not_regular, oversized, read_regular, size_params

MAX_YAML_NODES = 200_000
BOM = "\ufeff"
# libyaml's parser when present (same nodes and marks, many times faster on long path lists)
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

T = TypeVar("T")
Path_ = tuple[object, ...]
Marks = dict[Path_, tuple[int, int]]


@dataclass
class CsvFile:
    """One CSV file: its header, and its records with the line each starts on.

    A file without quotes ("plain", most reports) has one record per line; its records are only
    split when asked for, since the table checks read such files in bulk.
    """

    path: str
    text: str
    header: list[str]
    header_line: int = 1
    plain: bool = False
    body_start: int = 0  # offset of the first line after the header
    bom: bool = False  # the file began with a UTF-8 byte order mark (dropped from `text`)
    _records: tuple[list[list[str]], list[int]] | None = field(default=None, repr=False)
    _offsets: list[int] | None = field(default=None, repr=False)

    @property
    def rows(self) -> list[list[str]]:
        return self._parsed()[0]

    @property
    def raw(self) -> bytes:
        """The file's bytes as read (decoding was strict, so they come back exactly)."""
        return (BOM.encode("utf-8") if self.bom else b"") + self.text.encode("utf-8")

    @property
    def lines(self) -> list[int]:
        return self._parsed()[1]

    def _parsed(self) -> tuple[list[list[str]], list[int]]:
        if self._records is None:
            rows: list[list[str]] = []
            lines: list[int] = []
            body = self.text[self.body_start :]
            for number, line in enumerate(body.split("\n"), start=self.header_line + 1):
                record = line.removesuffix("\r").split(",")
                if any(cell != "" for cell in record):
                    rows.append(record)
                    lines.append(number)
            self._records = (rows, lines)
        return self._records

    def position(self, line: int, index: int) -> tuple[int, int]:
        """Line and column (1-based) where cell `index` of the record starting at `line` begins."""
        offsets = self._line_offsets()
        text = self.text
        pos = offsets[min(line, len(offsets)) - 1]
        current, quoted = 0, False
        while current < index and pos < len(text):
            char = text[pos]
            if quoted:
                if char == '"' and text[pos + 1 : pos + 2] == '"':
                    pos += 2
                    continue
                quoted = char != '"'
            elif char == '"':
                quoted = True
            elif char == ",":
                current += 1
            elif char in "\r\n":
                break
            pos += 1
        found = bisect.bisect_right(offsets, pos)
        return found, pos - offsets[found - 1] + 1

    def _line_offsets(self) -> list[int]:
        if self._offsets is None:
            offsets = [0]
            find = self.text.find
            at = find("\n")
            while at != -1:
                offsets.append(at + 1)
                at = find("\n", at + 1)
            self._offsets = offsets
        return self._offsets


@dataclass
class YamlFile:
    """One YAML document and the position of every node in it, keyed by its path."""

    path: str
    data: object
    marks: Marks

    def mark(self, path: Path_) -> tuple[int, int]:
        """Position of the node at `path`, or of its nearest ancestor that exists."""
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))


@dataclass
class JsonFile:
    """One JSON document (GeoJSON boundaries) and its text, to find lines by content."""

    path: str
    data: object
    text: str

    def line_of(self, needle: str) -> int | None:
        at = self.text.find(needle)
        return None if at < 0 else self.text.count("\n", 0, at) + 1


@dataclass
class Sources:
    """Everything read from one data folder."""

    root: Path
    files: list[str]
    csv: dict[str, CsvFile]
    yaml: dict[str, YamlFile]
    findings: list[Finding]
    json: dict[str, JsonFile] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)  # SHA-256 (hex) of every file read, by path
    descriptor: str = ""  # datapackage.yaml's text, for the commands that rewrite its list of report files


def load_sources(root: Path) -> Sources:
    """Read every file below `root`; unreadable ones become findings, never exceptions."""
    listing = list_folder(root)
    sources = Sources(root, listing.files, {}, {}, list(listing.refused))
    skipped = {finding.file for finding in listing.refused}
    too_large = oversized(listing.sizes)
    if too_large is not None:  # bounded work: nothing is read (validation then stops at this finding)
        sources.findings.append(too_large)
        return sources
    folder = os.fspath(root)
    for rel in listing.files:
        if _suffix(rel) in READ and rel not in skipped:
            size = listing.sizes[rel]
            if size > MAX_FILE_BYTES:  # not read into memory at all
                sources.findings.append(Finding("file-too-large", rel, params=size_params(size, MAX_FILE_BYTES)))
                continue
            raw = read_regular(os.path.join(folder, rel))
            if raw is None:  # replaced by a link or a pipe since the walk
                sources.findings.append(not_regular(rel))
                continue
            _read(sources, rel, raw)
    return sources


def overlaid(sources: Sources, overlay: dict[str, bytes | None]) -> Sources:
    """`sources` with files replaced by path (None removes one), the others shared rather than read again:
    the folder as it was when a bulletin was sealed, made of today's files and the sealed copies kept
    for its errata."""

    def kept(table: dict[str, T]) -> dict[str, T]:
        return {rel: value for rel, value in table.items() if rel not in overlay}

    files = sorted((set(sources.files) - set(overlay)) | {rel for rel, raw in overlay.items() if raw is not None})
    findings = [finding for finding in sources.findings if finding.file not in overlay]
    out = Sources(
        sources.root,
        files,
        kept(sources.csv),
        kept(sources.yaml),
        findings,
        kept(sources.json),
        kept(sources.digests),
        sources.descriptor,
    )
    for rel, raw in sorted(overlay.items()):
        if raw is not None and _suffix(rel) in READ:
            _read(out, rel, raw)
    return out


READ = ("csv", "yaml", "yml", "geojson")  # the files a data folder's checks read; others are only listed


def _suffix(rel: str) -> str:
    return rel.rsplit(".", 1)[-1].lower() if "." in rel else ""


def _read(sources: Sources, rel: str, raw: bytes) -> None:
    """Decode and parse one file's bytes into `sources` (or a finding)."""
    sources.digests[rel] = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        sources.findings.append(Finding("file-too-large", rel, params=size_params(len(raw), MAX_FILE_BYTES)))
        return
    text, problem = decode(raw, rel)
    if problem is not None:
        sources.findings.append(problem)
        return
    assert text is not None
    suffix = _suffix(rel)
    if suffix == "geojson":
        deep = json_too_deep(text)
        if deep is not None:
            sources.findings.append(too_deep(rel, *deep))
            return
        try:
            sources.json[rel] = JsonFile(rel, json.loads(text), text)
        except json.JSONDecodeError as error:
            detail = f"JSON 格式错误：{error.msg}"
            sources.findings.append(Finding("geo-invalid", rel, error.lineno, error.colno, params={"detail": detail}))
    elif suffix == "csv":
        csv_file, problems = parse_csv(rel, text)
        sources.findings.extend(problems)
        if csv_file is not None:
            csv_file.bom = raw.startswith(BOM.encode("utf-8"))
            sources.csv[rel] = csv_file
    else:
        if rel == "datapackage.yaml":
            sources.descriptor = text
        yaml_file, problems = parse_yaml(rel, text)
        sources.findings.extend(problems)
        if yaml_file is not None:
            sources.yaml[rel] = yaml_file


def too_deep(rel: str, line: int, column: int) -> Finding:
    return Finding("nesting-too-deep", rel, line, column, params={"limit": MAX_DEPTH})


def decode(raw: bytes, rel: str) -> tuple[str | None, Finding | None]:
    """Decode strictly: UTF-8 (BOM allowed) or a finding; GB18030 is detected, not used."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        start = raw.rfind(b"\n", 0, error.start) + 1
        end = raw.find(b"\n", error.start)
        snippet = raw[start : end if end != -1 else len(raw)]
        try:
            shown = snippet.decode("gb18030").strip()
            raw.decode("gb18030")
            code = "encoding-gb18030"
        except UnicodeDecodeError:
            shown, code = snippet.decode("utf-8", "replace").strip(), "encoding-unknown"
        return None, Finding(code, rel, line, 1, shown[:80], params={"line": line})
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, Finding("encoding-unknown", rel, line, 1, params={"line": line})
    return text.removeprefix(BOM), None


def parse_csv(rel: str, text: str) -> tuple[CsvFile | None, list[Finding]]:
    """Split CSV text into a header and records, keeping each record's first line."""
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        return _parse_plain_csv(rel, text), []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not record or all(cell == "" for cell in record):
                continue  # blank lines and rows of empty cells hold no data
            if header is None:
                header, header_line = record, start
                continue
            rows.append(record)
            lines.append(start)
    except csv.Error as error:
        return None, [Finding("csv-syntax", rel, previous_end + 1, 1, params={"detail": str(error)})]
    if header is None:
        return CsvFile(rel, text, [], _records=([], [])), []
    return CsvFile(rel, text, header, header_line, _records=(rows, lines)), []


def _parse_plain_csv(rel: str, text: str) -> CsvFile:
    """The fast path for CSV without quotes: find the header line; records are split on demand."""
    offset, number = 0, 1  # line by line, without splitting the records below the header
    while True:
        end = text.find("\n", offset)
        after = len(text) if end < 0 else end + 1
        record = text[offset : len(text) if end < 0 else end].removesuffix("\r").split(",")
        if any(cell != "" for cell in record):
            return CsvFile(rel, text, record, number, plain=True, body_start=after)
        if end < 0:
            return CsvFile(rel, text, [], plain=True, body_start=len(text))
        offset, number = after, number + 1


class _Composer:
    """Builds Python values from a composed YAML tree, recording marks and duplicate keys."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.marks: Marks = {}
        self.findings: list[Finding] = []
        self.scalars = SafeConstructor()
        self.count = 0

    def build(self, node: yaml.Node, path: Path_) -> object:
        self.count += 1
        if self.count > MAX_YAML_NODES:
            raise _TooLarge
        self.marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.CollectionNode) and len(path) >= MAX_DEPTH:
            raise _TooDeep(self.marks[path])  # aliases can nest values deeper than the text does
        if isinstance(node, yaml.MappingNode):
            result: dict[object, object] = {}
            first_lines: dict[object, int] = {}
            for key_node, value_node in node.value:
                key = self._scalar(key_node)
                if key in result:
                    self.findings.append(
                        Finding(
                            "yaml-duplicate-key",
                            self.rel,
                            key_node.start_mark.line + 1,
                            key_node.start_mark.column + 1,
                            str(key),
                            {"first_line": first_lines[key]},
                        )
                    )
                    continue
                first_lines[key] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> object:
        if not isinstance(node, yaml.ScalarNode):
            return repr(node.value)[:40]  # a complex key; reported as unknown by the models
        try:
            return self.scalars.construct_object(node)
        except ValueError:
            return node.value  # an impossible date such as 2011-02-30: kept as text, reported by the models


class _TooLarge(Exception):
    pass


class _TooDeep(Exception):
    def __init__(self, mark: tuple[int, int]) -> None:
        super().__init__(mark)
        self.mark = mark


_FULL_WIDTH_KEY = re.compile(r"(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)\s*：")


def _full_width_colon(text: str, line: int) -> tuple[int, int, str] | None:
    """The first key written with a full-width colon (`date：`) at or above `line`, where YAML stopped:
    (line, column, key)."""
    for number, content in enumerate(text.splitlines()[:line], start=1):
        if match := _FULL_WIDTH_KEY.match(content):
            return number, len(match[1]) + 1, match[2]
    return None


def parse_yaml(rel: str, text: str) -> tuple[YamlFile | None, list[Finding]]:
    """Parse one YAML document safely; duplicate keys and syntax errors become findings."""
    try:
        deep = yaml_too_deep(text, _SAFE_LOADER)  # before composing: the composers recurse once per level
        if deep is not None:
            return None, [too_deep(rel, *deep)]
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            mark = error.context_mark  # an unclosed bracket or quote: point where it opened, not at the end
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        colon = _full_width_colon(text, line)
        if colon is not None:
            at, column, key = colon
            return None, [Finding("yaml-full-width-colon", rel, at, column, key, params={"key": key})]
        detail = " ".join(str(part) for part in (error.context, error.problem) if part)
        return None, [Finding("yaml-syntax", rel, line, column, params={"detail": detail})]
    except yaml.YAMLError as error:
        return None, [Finding("yaml-syntax", rel, 1, 1, params={"detail": str(error)})]
    if node is None:
        return YamlFile(rel, None, {(): (1, 1)}), []
    composer = _Composer(rel)
    try:
        data = composer.build(node, ())
    except _TooLarge:
        params = {"size": f"> {MAX_YAML_NODES}", "limit": MAX_YAML_NODES, "unit_zh": "个节点", "unit_en": "nodes"}
        return None, [Finding("file-too-large", rel, params=params)]
    except _TooDeep as error:
        return None, [too_deep(rel, *error.mark)]
    except ConstructorError as error:
        mark = error.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return None, [Finding("yaml-syntax", rel, line, column, params={"detail": str(error.problem)})]
    return YamlFile(rel, data, composer.marks), composer.findings
