"""Who answers for which district: liaison and contract assignments, and the leaders and secretaries
of supervision groups, as one list of responsibilities that the district, liaison and people pages
share, with the order in which their kinds are shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from site_builder.model import Dataset
from site_builder.render.labels import label

KIND_ORDER = ("liaison", "contract", "supervision")
LEADER_KINDS = ("liaison", "contract")  # the assignments that give a person a leader page (render/leaders.py)
SECRETARY = "秘书"  # not in labels.py yet (key "secretary")


@dataclass(frozen=True)
class Responsibility:
    """A person answers for a district: a liaison or contract assignment, or a supervision group role."""

    person_id: str
    region_id: str
    kind: str  # liaison | contract | supervision
    role: str  # "" for assignments; leader | secretary in a supervision group
    start: dt.date | None
    end: dt.date | None
    source: str
    group: str = ""  # the supervision round and group, e.g. 专题调研督导第2组

    @property
    def kind_label(self) -> str:
        if self.kind != "supervision":
            return label(self.kind)
        return label("supervision") + (SECRETARY if self.role == "secretary" else label("leader"))


def responsibilities(dataset: Dataset) -> list[Responsibility]:
    """Assignments in file order, then supervision group leaders and secretaries by round."""
    found = [
        Responsibility(a.person_id, a.region_id, a.kind, "", a.start, a.end, a.source) for a in dataset.assignments
    ]
    for round_ in sorted(dataset.supervision, key=lambda r: (r.start, r.id)):
        for number, group in enumerate(round_.groups, start=1):
            name = f"{round_.name}第{number}组"
            source = round_.document or round_.name
            for region_id in group.regions:
                found.append(
                    Responsibility(
                        group.leader, region_id, "supervision", "leader", round_.start, round_.end, source, name
                    )
                )
                if group.secretary:
                    found.append(
                        Responsibility(
                            group.secretary,
                            region_id,
                            "supervision",
                            "secretary",
                            round_.start,
                            round_.end,
                            source,
                            name,
                        )
                    )
    return found


def kind_key(item: Responsibility) -> tuple[int, int]:
    """Liaison, contract, supervision; within supervision the leader before the secretary."""
    kind = KIND_ORDER.index(item.kind) if item.kind in KIND_ORDER else len(KIND_ORDER)
    return kind, 1 if item.role == "secretary" else 0


def with_leader_page(dataset: Dataset) -> set[str]:
    """The people with a 联系点 or 包保 district, who have a leader page."""
    return {a.person_id for a in dataset.assignments if a.kind in LEADER_KINDS}
