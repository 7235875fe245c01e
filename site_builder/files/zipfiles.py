"""Every zip archive the project makes (the data package, each XLSX workbook): bytes that depend only on
the entries' names, contents and one date, never on the clock, the file system or the platform.

Each entry is deflated, dated `stamp`, with Unix permissions 0644; entries keep the order given.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping

Stamp = tuple[int, int, int, int, int, int]
EPOCH: Stamp = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def stamp(day: dt.date) -> Stamp:
    """A day as a zip entry's date (midnight); years before 1980, which zip cannot hold, become 1980."""
    return (max(day.year, 1980), day.month, day.day, 0, 0, 0)


def pack(entries: Iterable[tuple[str, bytes]], when: Stamp = EPOCH) -> bytes:
    """A zip archive of the entries (name, content), in the order given, every entry dated `when`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever the platform, so that the bytes are the same everywhere
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    return buffer.getvalue()


def repack(content: bytes, when: Stamp = EPOCH, edits: Mapping[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """Another program's zip archive made again through `pack`: the same entries in the same order,
    dated `when`; an entry named in `edits` is replaced by what its function returns for it."""
    edits = edits or {}
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        entries = []
        for info in source.infolist():
            data = source.read(info)
            entries.append((info.filename, edits[info.filename](data) if info.filename in edits else data))
    missing = sorted(set(edits) - {name for name, _ in entries})
    if missing:
        raise ValueError(f"no entry {missing[0]} in the archive")
    return pack(entries, when)
