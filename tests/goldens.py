"""Golden files under tests/golden/: output compared with a stored copy; `pytest --regen-golden` rewrites them.

A whole folder of generated files is compared at once (`Golden.tree`): every differing, missing and
unexpected file is reported in one failure, and regeneration also removes the golden files that are no
longer produced. Files are stored in a line-split form (`normalise`) so that a diff reads line by line.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

MAX_LINE = 300  # characters in a line of a stored golden file (tests/render/test_golden_site.py checks it)
EXCERPT = 12  # lines of unified diff shown for each differing file
_BLOCK = "table|thead|tbody|tfoot|tr|section|details|figure|div|ul|ol|dl|svg|g|nav|blockquote"
_LEAF = "td|th|li|dt|dd|p|summary|figcaption|caption|h[1-6]|path|circle|text|title|rect|polygon|line|polyline|span|a"
# A line break before each block-level tag (opening or closing) and each cell, item, chip and link, and after
# each full stop of running text, unless one is there.
_BREAK = re.compile(rf"(?<=[^\n])(?=<(?:/?(?:{_BLOCK})\b|(?:{_LEAF})\b))")
_SENTENCE = re.compile(r"(?<=。)(?=[^\n])")


def normalise(name: str, content: bytes) -> str:
    """The stored form of a generated file: JSON indented, HTML in Markdown split at tag boundaries.

    Applied to both sides of a comparison. The split only adds line breaks before tags, so any change
    of text, attribute or tag is still seen; a line break added or removed right before a block tag
    (which does not change the page) is not.
    """
    text = content.decode("utf-8")
    if name.endswith(".json"):
        return json.dumps(json.loads(text), indent=1, ensure_ascii=False) + "\n"
    if name.endswith((".md", ".html")):
        return _folded(_SENTENCE.sub("\n", _BREAK.sub("\n", text)))
    return text


def _folded(text: str) -> str:
    """Lines still longer than MAX_LINE (a long style rule, a table row without tags) cut into pieces."""
    return "\n".join(
        "\n".join(line[start : start + MAX_LINE] for start in range(0, len(line), MAX_LINE)) if line else line
        for line in text.split("\n")
    )


def _excerpt(name: str, expected: str, actual: str) -> list[str]:
    diff = difflib.unified_diff(
        expected.splitlines(), actual.splitlines(), f"golden/{name}", f"generated/{name}", n=1, lineterm=""
    )
    lines = [line[:MAX_LINE] for line in diff]
    more = [f"    … {len(lines) - EXCERPT} more diff lines"] if len(lines) > EXCERPT else []
    return [f"    {line}" for line in lines[:EXCERPT]] + more


@dataclass(frozen=True)
class Golden:
    root: Path  # tests/golden
    regenerate: bool  # pytest --regen-golden

    def __call__(self, name: str, actual: str) -> None:
        """Compare one text with the golden file `name` (or rewrite it)."""
        path = self.root / name
        if self.regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {name}; run pytest --regen-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{name} differs from its golden file; if intended, run pytest --regen-golden"

    def tree(self, folder: str, files: dict[str, bytes]) -> None:
        """Compare generated files (relative name -> content) with the golden folder `folder`, which
        holds exactly their normalised forms; fail once listing every difference.

        With `regenerate`, rewrite the folder instead: changed files written, files no longer
        produced removed (only inside `folder`)."""
        base = self.root / folder
        produced = {name: normalise(name, content) for name, content in files.items()}
        stored = {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()} if base.is_dir() else set()
        if self.regenerate:
            self._rewrite(base, produced, stored)
            return
        missing = sorted(set(produced) - stored)
        unexpected = sorted(stored - set(produced))
        report: list[str] = []
        for name in sorted(set(produced) & stored):
            expected = (base / name).read_bytes().decode("utf-8")
            if expected != produced[name]:
                report += [f"  differs: {name}", *_excerpt(name, expected, produced[name])]
        report += [f"  missing (generated, no golden file): {name}" for name in missing]
        report += [f"  unexpected (golden file, no longer generated): {name}" for name in unexpected]
        if report:
            count = sum(1 for line in report if not line.startswith("    "))
            raise AssertionError(
                f"{count} file(s) of tests/golden/{folder} do not match the generated files; "
                "if intended, run pytest --regen-golden and review the diff\n" + "\n".join(report)
            )

    @staticmethod
    def _rewrite(base: Path, produced: dict[str, str], stored: set[str]) -> None:
        for name, text in sorted(produced.items()):
            path = base / name
            if name not in stored or path.read_bytes() != text.encode("utf-8"):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))
        for name in sorted(stored - set(produced)):
            (base / name).unlink()
        for folder in sorted((p for p in base.rglob("*") if p.is_dir()), reverse=True):
            if not any(folder.iterdir()):
                folder.rmdir()
