"""The pipeline, top to bottom: load, validate (and later model, compute, render, publish).

The CLI calls these functions; they return values and never print or exit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from site_builder.load import load_sources
from site_builder.validate import Validated, validate


def check(data_dir: Path, today: dt.date | None = None) -> Validated:
    """Load a data folder and validate it; `today` bounds report dates (default: the clock)."""
    sources = load_sources(data_dir)
    return validate(sources, today or dt.date.today())
