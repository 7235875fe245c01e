"""Who may change which file of the repository, from organization.yaml's `accounts` (no I/O).

Each district's report files (`<data>/reports/<YYYY-MM>/<region_id>.csv`) belong to that district's editors
and to the office (which reviews and corrects them); every other file (the organization, the method, the
targets, the bulletins, the workflows) to the office alone. `bulletin codeowners` writes this as GitHub's
and Gitea's CODEOWNERS (render/codeowners.py); `bulletin check-authors` checks a pull request's files
against `owners_of`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.core.documents import Accounts

_REPORT = re.compile(r"reports/[^/]+/([^/]+)\.csv")


@dataclass(frozen=True)
class Ownership:
    """The accounts of the office and of each district's editors; `prefix` is the data folder's path in the
    repository ('' when the data folder is the repository's top)."""

    office: tuple[str, ...]
    editors: dict[str, tuple[str, ...]]  # region id → accounts, in the regions' order
    prefix: str = ""

    @classmethod
    def of(cls, accounts: Accounts, region_order: list[str], prefix: str) -> Ownership:
        editors = {r: tuple(accounts.regions[r]) for r in region_order if accounts.regions.get(r)}
        return cls(tuple(accounts.office), editors, prefix.strip("/"))

    @property
    def reports(self) -> str:
        """The reports folder's path in the repository."""
        return f"{self.prefix}/reports" if self.prefix else "reports"

    def district_owners(self, region_id: str) -> tuple[str, ...]:
        """Who owns a district's report files: its editors, then the office (each once)."""
        return tuple(dict.fromkeys((*self.editors.get(region_id, ()), *self.office)))

    def region_of(self, path: str) -> str | None:
        """The district whose report file `path` (relative to the repository's top) is, else None."""
        inside = path[len(self.prefix) + 1 :] if self.prefix and path.startswith(f"{self.prefix}/") else None
        if self.prefix and inside is None:
            return None
        match = _REPORT.fullmatch(inside if inside is not None else path)
        return match.group(1) if match and match.group(1) in self.editors else None

    def owners_of(self, path: str) -> tuple[str, ...]:
        """The accounts that may change `path` (relative to the repository's top)."""
        region = self.region_of(path)
        return self.district_owners(region) if region is not None else self.office

    def may_change(self, account: str, path: str) -> bool:
        owners = {o.lower() for o in self.owners_of(path)}
        return account.lower().lstrip("@") in owners
