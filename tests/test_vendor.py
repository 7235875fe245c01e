"""The vendored plotly.js: the files are the ones recorded, the same plotly.js version the plotly package
validates figures against, and every figure the example site draws is valid for it and uses only trace
types the partial bundle holds."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import plotly  # type: ignore[import-untyped]
import plotly.graph_objects as go  # type: ignore[import-untyped]
import pytest

from site_builder.commands.build import generate
from site_builder.site.build import Workspace
from tests.conftest import REPO, TODAY

VENDOR = REPO / "site_builder" / "assets" / "vendor"
SOURCES = json.loads((VENDOR / "SOURCES.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_vendored_file_is_the_one_recorded(name: str) -> None:
    entry = SOURCES[name]
    assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == entry["sha256"]
    assert (VENDOR / "plotly-LICENSE.txt").read_text(encoding="utf-8").startswith("MIT License")


def _version(text: str) -> str:
    found = re.search(r"plotly\.js(?: \(basic - minified\))? v(\d+\.\d+\.\d+)", text[:400])
    assert found, text[:200]
    return found.group(1)


def test_the_bundle_is_the_plotly_js_version_the_plotly_package_validates_against() -> None:
    bundle = (VENDOR / "plotly-basic.min.js").read_text(encoding="utf-8")
    shipped = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert _version(bundle) == SOURCES["plotly-basic.min.js"]["version"]
    assert _version(bundle) == _version(shipped.read_text(encoding="utf-8"))
    assert SOURCES["plotly-locale-zh-cn.js"]["version"] == SOURCES["plotly-basic.min.js"]["version"]


@pytest.mark.parametrize("data", ["data", "examples/zaozhuang"])
def test_every_figure_of_the_example_is_valid_and_drawn_by_the_partial_bundle(data: str, tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "work")
    assert generate(REPO / data, workspace, TODAY).ok
    figures = sorted(workspace.docs.rglob("*.json"))
    drawn = [f for f in figures if f.parent.name == "charts" or "charts" in f.parts]
    assert len(drawn) > 10
    allowed = set(SOURCES["plotly-basic.min.js"]["traces"])
    for path in drawn:
        figure = json.loads(path.read_text(encoding="utf-8"))
        go.Figure(figure)  # raises on any property plotly.js of this version does not know
        kinds = {trace.get("type", "scatter") for trace in figure.get("data", [])}
        assert kinds <= allowed, (path.name, kinds - allowed)
