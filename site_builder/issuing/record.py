"""`bulletin publish`: a month's bulletin is given its issue number and sealed; errata are sealed again.

Publishing writes into `bulletins/<month>.yaml` the status, the next issue number of the year,
the date of issue and the manifest (every data file behind the month's figures with its SHA-256,
and the method settings). An erratum is typed by the clerk (date, what, why, who approved) and
sealed by `bulletin publish <month> --erratum`, which records the files it changed with their new
and previous digests; a copy of each previous version is kept under
`bulletins/<month>/erratum-<n>/`, so the bulletin as issued can be rebuilt without git.

The functions here decide and format; `commands/publish.py` reads and writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import yaml

from site_builder import __version__
from site_builder.core.documents import (
    Bulletin,
    ChangedFile,
    Erratum,
    Manifest,
    Method,
    Programme,
    SealedFile,
    default_title,
    sum_text,
)
from site_builder.files.yamledit import set_top_level

GENERATOR = f"bulletin {__version__}"
OWNED = ("status", "number", "issued_on", "errata", "issued_anyway", "manifest")  # the entries the command writes


class PublishRefused(Exception):
    """`bulletin publish` will not go on; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def published(
    existing: Bulletin | None,
    month: str,
    programme: Programme,
    *,
    number: int,
    issued_on: dt.date,
    files: list[SealedFile],
    anyway: str = "",
) -> Bulletin:
    """The bulletin as published: the draft's title, text and 抄送 (or the defaults), number, date, manifest."""
    whole = [entry for entry in files if entry.rows_through is None]
    partial = [entry for entry in files if entry.rows_through is not None]
    manifest = Manifest(issued_on, GENERATOR, Method.of(programme), sum_text(whole), partial)
    if existing is None:
        existing = Bulletin(month, default_title(programme, month, number), cc=list(programme.bulletin.cc))
    return dataclasses.replace(
        existing, status="published", number=number, issued_on=issued_on, manifest=manifest, issued_anyway=anyway
    )


def seal_pending(bulletin: Bulletin, changed: list[ChangedFile], sealed_on: dt.date) -> Bulletin:
    """The bulletin with its one pending erratum sealed: the changed files and the date recorded."""
    errata = list(bulletin.errata)
    errata[-1] = dataclasses.replace(errata[-1], sealed_on=sealed_on, files=changed)
    return dataclasses.replace(bulletin, errata=errata)


def follow_erratum(bulletin: Bulletin, source: Bulletin, changed: list[ChangedFile], sealed_on: dt.date) -> Bulletin:
    """A later bulletin computed from the corrected files gets an erratum of its own, pointing at the source's."""
    erratum = source.errata[-1]
    follow = Erratum(
        date=erratum.date,
        description=f"随{source.month}通报（第{source.number}期）的更正一并更正：{erratum.description}",
        reason=erratum.reason,
        approved_by=erratum.approved_by,
        sealed_on=sealed_on,
        files=changed,
    )
    return dataclasses.replace(bulletin, errata=[*bulletin.errata, follow])


# YAML text


class _Dumper(yaml.SafeDumper):
    pass


class _Flow(dict[str, Any]):
    """A mapping written on one line: one sealed file per line keeps a long manifest readable."""


class _FlowList(list[Any]):
    """A list of numbers (a profile) written on one line."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


def _flow_list(dumper: yaml.SafeDumper, value: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(value), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_FlowList, _flow_list)


def _plain(value: object, *, keep_defaults: bool = False) -> object:
    """Dataclasses as mappings in field order; fields at their default are left out, except in the
    method settings, which are written in full so that a later change of a default cannot alter them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        keep = keep_defaults or isinstance(value, Method)
        out: dict[str, Any] = {}
        for item in dataclasses.fields(value):
            current = getattr(value, item.name)
            if not keep and _is_default(item, current):
                continue
            out[item.name] = _plain(current, keep_defaults=keep)
        return _Flow(out) if isinstance(value, (SealedFile, ChangedFile)) else out
    if isinstance(value, list):
        items = [_plain(v, keep_defaults=keep_defaults) for v in value]
        return _FlowList(items) if all(isinstance(v, (int, float)) for v in value) else items
    if isinstance(value, dict):
        return {k: _plain(v, keep_defaults=keep_defaults) for k, v in value.items()}
    return value


def _is_default(item: dataclasses.Field[Any], value: object) -> bool:
    if item.default is not dataclasses.MISSING:
        return bool(value == item.default)
    if item.default_factory is not dataclasses.MISSING:
        return bool(value == item.default_factory())
    return False


def entry_yaml(key: str, value: object) -> str:
    """One top-level entry as YAML text ('' when the value is empty)."""
    if value is None or value in ([], ""):
        return ""
    dumped = yaml.dump(
        {key: _plain(value)}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000, indent=2
    )
    return str(dumped)


def record_text(text: str, bulletin: Bulletin) -> str:
    """The bulletin file's text with the entries the command owns rewritten from `bulletin`;
    everything else (the text of the bulletin, comments) is kept as written."""
    if not text.strip():
        text = (
            "# 通报的发布记录。status、number、issued_on、manifest 和更正的 sealed_on、files 由 bulletin publish 写入，"
            "请勿手工修改。\n" + entry_yaml("month", bulletin.month) + entry_yaml("title", bulletin.title)
        )
        if bulletin.cc:
            text += entry_yaml("cc", bulletin.cc)
    for key in OWNED:
        text = set_top_level(text, key, entry_yaml(key, getattr(bulletin, key)))
    return text
