"""The data folder's paths made from data values: only from a checked month and id, and only inside.

Every path built from a value a clerk or a pull request can write (a form's hidden month, a region id,
a bulletin's month, a file named in a sealed record) goes through these functions. They check the
value against a fixed rule, not against the folder's own `datapackage.yaml` (which the same pull
request could loosen), and raise `UnsafePath` otherwise. `inside` checks the final path, with
symlinks resolved, before anything is written.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from site_builder.core.documents import ID_PATTERN, MONTH_PATTERN
from site_builder.core.limits import MAX_ID_LENGTH

MONTH = re.compile(MONTH_PATTERN)  # as the contract's month columns and the CLI's MONTH
ID = re.compile(ID_PATTERN)  # the contract's id format (docs/reference/data-contract.md)
MAX_PART_BYTES = 255  # a file name's length on every common file system
_UNSAFE_CHARACTER = re.compile(r"[\x00-\x1f\x7f\\:*?\"<>|\u2215\u2044\u29f8\uff0f\uff3c]")


class UnsafePath(ValueError):
    """A value that cannot be used in a path of the data folder; `value` is what was given."""

    def __init__(self, what: str, value: object) -> None:
        super().__init__(f"{what}: {value!r}")
        self.what = what
        self.value = value


def month(value: object) -> str:
    """`value` if it is a real month YYYY-MM (01 to 12)."""
    if not isinstance(value, str) or not MONTH.fullmatch(value) or value.startswith("0000"):
        raise UnsafePath("not a month YYYY-MM", value)
    return value


def identifier(value: object) -> str:
    """`value` if it is an id of the contract's format, at most MAX_ID_LENGTH characters."""
    if not isinstance(value, str) or len(value) > MAX_ID_LENGTH or not ID.fullmatch(value):
        raise UnsafePath(f"not an id {ID_PATTERN}", value)
    return value


def report_path(month_: object, region_id: object) -> str:
    """The data-folder-relative path of a district's report for a month: reports/<month>/<id>.csv."""
    return f"reports/{month(month_)}/{identifier(region_id)}.csv"


def relative(value: object) -> str:
    """`value` if it is a plain data-folder-relative path: no root, drive, `.`, `..`, empty or hidden part,
    no backslash, control or look-alike slash character, each part short enough to be a file name."""
    if not isinstance(value, str) or not value or _UNSAFE_CHARACTER.search(value):
        raise UnsafePath("not a relative path inside the data folder", value)
    parts = value.split("/")
    if PurePosixPath(value).is_absolute() or any(
        not part or part.startswith(".") or len(part.encode("utf-8")) > MAX_PART_BYTES for part in parts
    ):
        raise UnsafePath("not a relative path inside the data folder", value)
    return value


def copy_path(month_: object, erratum_number: int, path: object) -> str:
    """Where the sealed copy of `path`, replaced by the bulletin's erratum `erratum_number`, is kept."""
    if isinstance(erratum_number, bool) or not isinstance(erratum_number, int) or erratum_number < 1:
        raise UnsafePath("not an erratum number", erratum_number)
    return f"bulletins/{month(month_)}/erratum-{erratum_number}/{relative(path)}"


def inside(root: Path, rel: str) -> Path:
    """`root / rel` once it is certain that it stays inside `root` (symlinks of existing parts resolved)."""
    base = Path(os.path.realpath(root))
    target = Path(os.path.realpath(base / relative(rel)))
    if target == base or base not in target.parents:
        raise UnsafePath("outside the data folder", rel)
    return base / rel
