"""MkDocs hook for `bulletin serve`: regenerate the pages when the data change.

The only place that touches MkDocs' event API. Generation itself stays a plain function
(`pipeline.generate`), so the pages are files and any Material-compatible builder can build them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from site_builder import pipeline
from site_builder.output import as_text
from site_builder.publish import Workspace

log = logging.getLogger("mkdocs.plugins.bulletin")


def on_pre_build(config: Any, **_: Any) -> None:
    """Before each (re)build: regenerate from the data folder; keep the last good pages on errors."""
    extra = config["extra"]
    data_dir = Path(extra["bulletin_data_dir"])
    workspace = Workspace(Path(extra["bulletin_workspace"]))
    built = pipeline.generate(data_dir, workspace)
    if not built.ok:
        log.warning(
            "data are invalid; showing the last valid pages:\n%s", as_text(built.computed.validated.findings, "zh")
        )
    elif built.changed:
        log.info("regenerated %d pages", len(built.changed))
