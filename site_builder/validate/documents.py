"""Fill the typed document models from YAML trees, reporting every field that does not fit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import types
import typing
from typing import Any, TypeVar

from site_builder.core.findings import Finding
from site_builder.load import YamlFile
from site_builder.validate.values import date_finding_code, iso_suggestion

T = TypeVar("T")

_TYPE_NAMES: dict[object, tuple[str, str]] = {
    str: ("文字", "text"),
    int: ("整数", "a whole number"),
    float: ("数字", "a number"),
    bool: ("true 或 false", "true or false"),
    dt.date: ("日期（年-月-日）", "a date (YYYY-MM-DD)"),
    list: ("列表", "a list"),
    dict: ("键值对（映射）", "a mapping"),
}


class _Invalid(Exception):
    """Raised inside the walk when a value cannot be used; findings are already recorded."""


class _Reader:
    def __init__(self, doc: YamlFile) -> None:
        self.doc = doc
        self.findings: list[Finding] = []

    def add(self, code: str, path: tuple[object, ...], value: object, **params: object) -> None:
        line, column = self.doc.mark(path)
        shown = None if value is None else _show(value)
        self.findings.append(Finding(code, self.doc.path, line, column, shown, {"where": _where(path), **params}))

    def read(self, tp: Any, value: object, path: tuple[object, ...], meta: dict[str, Any]) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(tp) if a is not type(None)]
            if value is None:
                return None
            return self.read(options[0], value, path, meta)
        if origin is typing.Literal:
            allowed = typing.get_args(tp)
            if value not in allowed:
                self.add("yaml-value", path, value, expected="、".join(map(str, allowed)))
                raise _Invalid
            return value
        if origin is list:
            if not isinstance(value, list):
                self._type(list, path, value)
            (item,) = typing.get_args(tp)
            return self._all([functools.partial(self.read, item, v, (*path, i), {}) for i, v in enumerate(value)])
        if origin is dict:
            if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
                self._type(dict, path, value)
            _, item = typing.get_args(tp)
            keys = list(value)
            values = self._all([functools.partial(self.read, item, value[k], (*path, k), {}) for k in keys])
            return dict(zip(keys, values, strict=True))
        if dataclasses.is_dataclass(tp):
            return self.read_model(typing.cast(type, tp), value, path)
        return self._scalar(tp, value, path, meta)

    def _all(self, readers: list[typing.Callable[[], Any]]) -> list[Any]:
        results, failed = [], False
        for reader in readers:
            try:
                results.append(reader())
            except _Invalid:
                failed = True
        if failed:
            raise _Invalid
        return results

    def read_model(self, cls: type, value: object, path: tuple[object, ...]) -> Any:
        if not isinstance(value, dict):
            self._type(dict, path, value)
        hints, fields = _shape(cls)
        failed = False
        for key in value:
            if key not in fields:
                self.add("yaml-unknown-field", (*path, key), key, expected=", ".join(fields))
                failed = True
        kwargs: dict[str, Any] = {}
        for name, spec in fields.items():
            if name not in value:
                required = spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
                if required:
                    self.add("yaml-missing-field", path, name, about=spec.metadata.get("about", ""))
                    failed = True
                continue
            try:
                kwargs[name] = self.read(hints[name], value[name], (*path, name), dict(spec.metadata))
            except _Invalid:
                failed = True
        if failed:
            raise _Invalid
        return cls(**kwargs)

    def _scalar(self, tp: Any, value: object, path: tuple[object, ...], meta: dict[str, Any]) -> Any:
        if tp is dt.date:
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value
            text = str(value)
            if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                try:
                    return dt.date.fromisoformat(text)  # a quoted date is still a date
                except ValueError:
                    pass
            code = date_finding_code(text)
            self.add(
                code, path, value, title=_where(path), field=path[-1] if path else "", suggestion=iso_suggestion(text)
            )
            raise _Invalid
        ok = (
            (tp is str and isinstance(value, str))
            or (tp is bool and isinstance(value, bool))
            or (tp is int and isinstance(value, int) and not isinstance(value, bool))
            or (tp is float and isinstance(value, (int, float)) and not isinstance(value, bool))
        )
        if not ok:
            self._type(tp, path, value)
        minimum, maximum = meta.get("minimum"), meta.get("maximum")
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        if number and ((minimum is not None and value < minimum) or (maximum is not None and value > maximum)):
            self.add("yaml-value", path, value, expected=f"{_num(minimum)} – {_num(maximum)}")
            raise _Invalid
        pattern = meta.get("pattern")
        if pattern and isinstance(value, str) and not re.fullmatch(pattern, value):
            self.add("yaml-value", path, value, expected=pattern)
            raise _Invalid
        length = meta.get("length")
        if length is not None and isinstance(value, str) and len(value) > length:
            self.add("yaml-value", path, value, expected=f"最长 {length} 个字符，这里有 {len(value)} 个")
            raise _Invalid
        return float(value) if tp is float else value  # type: ignore[arg-type]

    def _type(self, tp: Any, path: tuple[object, ...], value: object) -> typing.NoReturn:
        zh, en = _TYPE_NAMES.get(tp, ("其他类型", "another type"))
        self.add("yaml-type", path, value, type_zh=zh, type_en=en)
        raise _Invalid


@functools.cache
def _shape(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field[Any]]]:
    """A model's resolved type hints and fields, worked out once per class (long lists repeat them)."""
    return typing.get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def read_document(cls: type[T], doc: YamlFile) -> tuple[T | None, list[Finding]]:
    """Build `cls` from the document; None and findings when any field does not fit."""
    reader = _Reader(doc)
    try:
        result = reader.read_model(cls, doc.data if doc.data is not None else {}, ())
    except _Invalid:
        return None, reader.findings
    return typing.cast(T, result), reader.findings


def _where(path: tuple[object, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "（文件顶层）"


def _show(value: object) -> str:
    if isinstance(value, (dict, list)):
        return type(value).__name__
    return str(value)[:80]


def _num(value: object) -> str:
    if value is None:
        return "…"
    return f"{value:g}" if isinstance(value, float) else str(value)
