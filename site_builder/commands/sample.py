"""`bulletin sample`: draw a supervision round's institutions reproducibly, or check a recorded draw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from site_builder.commands.check import check
from site_builder.core.sampling import draw_block
from site_builder.files.durable import write_if_changed
from site_builder.files.yamledit import set_top_level
from site_builder.validate import Validated
from site_builder.validate.activities import redraw


@dataclass(frozen=True)
class Sampled:
    """A supervision round's draw: the facility ids per district, and whether it was written or matches."""

    validated: Validated
    round_id: str
    seed: int | None = None
    result: dict[str, list[str]] | None = None
    matches_record: bool | None = None
    written: bool = False


def sample(data_dir: Path, round_id: str, seed: int | None, drawn_on: dt.date, *, check_only: bool = False) -> Sampled:
    """Draw the round's institutions (or, with `check_only`, redo the recorded draw and compare).

    Without `check_only` the draw is recorded in supervision/<round>.yaml. Data with errors
    (other than a draw that does not match) are not drawn from.
    """
    validated = check(data_dir)
    blocking = [f for f in validated.findings if f.severity == "error" and f.code != "draw-mismatch"]
    path = f"supervision/{round_id}.yaml"
    round_ = validated.supervision.get(path)
    if blocking or round_ is None or "facilities" not in validated.tables:
        return Sampled(validated, round_id)
    if seed is None:
        if round_.draw is None:
            return Sampled(validated, round_id)
        seed = round_.draw.seed
    result = redraw(round_, validated.tables["facilities"], seed)
    recorded = {e.region: sorted(e.facilities) for e in round_.draw.result} if round_.draw else None
    matches = recorded == result and round_.draw is not None and round_.draw.seed == seed
    if check_only:
        return Sampled(validated, round_id, seed, result, matches)
    record_draw(data_dir / path, draw_block(seed, drawn_on.isoformat(), result))
    return Sampled(validated, round_id, seed, result, matches, written=True)


def record_draw(path: Path, block: str) -> None:
    """Write a supervision draw into its round's file, keeping the rest of the file as written."""
    text = path.read_text(encoding="utf-8")
    write_if_changed(path, set_draw(text, block).encode("utf-8"))


def set_draw(text: str, block: str) -> str:
    """`text` (a supervision round's YAML) with its top-level `draw:` entry replaced by `block`,
    or `block` appended; everything else, comments included, is kept as written."""
    return set_top_level(text, "draw", block)
