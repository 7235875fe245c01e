"""`bulletin diff`: what a change to the data does, between two git revisions or a revision and the working tree.

Each side's data folder is taken out of git into a temporary folder (`load/history.py`), run
through the pipeline as far as the rankings, and compared (`compute/diff.py`); the CLI prints the
result as Markdown (`render/diff_summary.py`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from site_builder.commands.check import compute_sources
from site_builder.compute.diff import Diff, compare
from site_builder.load import history, load_sources


def diff_revisions(repo: Path, data: str, old: str, new: str | None) -> Diff:
    """Compare the data folder `data` (relative to `repo`) at revision `old` with revision `new`
    (None: the working tree). Raises `history.RevisionError` for a revision git does not know."""
    with tempfile.TemporaryDirectory(prefix="bulletin-diff-") as tmp:
        sides = []
        for name, revision in (("old", old), ("new", new)):
            folder = history.data_at(repo, revision, data, Path(tmp) / name)
            sources = load_sources(folder)
            sides.append(
                (compute_sources(sources), sources, history.file_digests(folder), history.describe(repo, revision))
            )
        (before, old_sources, old_digests, old_label), (after, new_sources, new_digests, new_label) = sides
        return compare(
            before, after, old_sources, new_sources, digests=(old_digests, new_digests), labels=(old_label, new_label)
        )
