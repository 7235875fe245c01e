"""The supervision plan's random draw of institutions, reproducible by anyone.

For each district of a round (in id order) and each sampling rule (in the plan's order), the
eligible facilities are that district's facilities of the rule's kinds, in id order. A generator
seeded with the text "<seed>/<round>/<district>/<rule number>" (Python's `random.Random`, which
hashes a text seed with SHA-512) picks how many to draw, uniformly between the rule's minimum and
maximum (at most as many as there are), then draws that many without replacement. The same seed,
plan and registry give the same draw on any machine; `bulletin validate` redoes it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from site_builder.core.documents import SamplingRule

METHOD = "python-random-sha512-sample/1"


@dataclass(frozen=True)
class Candidate:
    id: str
    region_id: str
    kind: str


def draw_facilities(
    round_id: str,
    regions: Iterable[str],
    rules: Sequence[SamplingRule],
    facilities: Iterable[Candidate],
    seed: int,
) -> dict[str, list[str]]:
    """Per district, the facility ids drawn (sorted), by the method above."""
    registry = sorted(facilities, key=lambda f: f.id)
    result: dict[str, list[str]] = {}
    for region in sorted(set(regions)):
        chosen: list[str] = []
        for number, rule in enumerate(rules, start=1):
            eligible = [f.id for f in registry if f.region_id == region and f.kind in rule.kinds]
            rng = random.Random(f"{seed}/{round_id}/{region}/{number}")
            upper = min(rule.max, len(eligible))
            count = rng.randint(min(rule.min, upper), upper)
            chosen += rng.sample(eligible, count)
        result[region] = sorted(chosen)
    return result


def draw_block(seed: int, drawn_on: str, result: dict[str, list[str]]) -> str:
    """The `draw:` entry of a supervision round, as YAML text."""
    lines = ["draw:", f"  seed: {seed}", f"  method: {METHOD}", f"  drawn_on: {drawn_on}", "  result:"]
    for region, ids in sorted(result.items()):
        lines.append(f"    - region: {region}")
        lines.append(f"      facilities: [{', '.join(ids)}]")
    if not result:
        lines[-1] = "  result: []"
    return "\n".join(lines) + "\n"
