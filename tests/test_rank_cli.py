"""`bulletin rank`: golden output for both examples, identical bytes run to run, clean errors."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.commands import check as pipeline
from site_builder.commands.check import compute_folder
from site_builder.compute import Computed
from site_builder.load import Sources
from site_builder.validate import Validated, validate
from tests.conftest import REPO, VALID, build_fixture
from tests.render.helpers import edit_csv

CASES = [("data", "2011-09"), ("examples/zaozhuang", "2011-09"), ("data", "2011-05")]


_COMPUTED: dict[tuple[Path, dt.date | None], Computed] = {}


@pytest.mark.parametrize(("folder", "month"), CASES)
@pytest.mark.parametrize("form", ["text", "json", "csv"])
def test_rank_matches_its_golden_file(
    folder: str,
    month: str,
    form: str,
    *,
    capsys: pytest.CaptureFixture[str],
    golden: Callable[[str, str], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def computed_once(data_dir: Path, today: dt.date | None = None) -> Computed:
        """The folder's computation shared by its cases (they only read it): each form and month is printed
        from it by the command as usual."""
        key = (Path(data_dir), today)
        if key not in _COMPUTED:
            _COMPUTED[key] = compute_folder(data_dir, today)
        return _COMPUTED[key]

    monkeypatch.setattr("site_builder.commands.check.compute_folder", computed_once)  # where `bulletin rank` calls it
    status = main(["rank", month, "--data", str(REPO / folder), "--format", form])
    out = capsys.readouterr().out
    assert status == 0
    golden(f"rank/{folder.replace('/', '-')}-{month}.{'txt' if form == 'text' else form}", out)  # as in any run
    if form == "text":  # and once more computed afresh: the same data give the same bytes
        monkeypatch.undo()
        assert main(["rank", month, "--data", str(REPO / folder), "--format", form]) == 0
        assert capsys.readouterr().out == out


def test_rank_of_invalid_data_prints_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    build_fixture("cell-type", data)
    assert main(["rank", "2011-02", "--data", str(data)]) == 1
    assert "[cell-type]" in capsys.readouterr().err


@pytest.mark.parametrize("month", ["2011-13", "May", "2012-01"])
def test_rank_of_an_unknown_month_is_a_usage_error(month: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rank", month, "--data", str(REPO / "tests/fixtures/valid")]) == 2
    assert "bulletin: 错误：" in capsys.readouterr().err


FORMULA_NAMES = {"east": '=HYPERLINK("http://x.invalid","东区")', "west": "@SUM(A1:A2)", "hill": "-2+3"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", " ")


def _formula_names(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    for region, name in FORMULA_NAMES.items():
        edit_csv(data / "regions.csv", {"name": name}, where={"id": region})
    return data


def test_names_a_spreadsheet_would_run_are_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _formula_names(tmp_path)
    assert main(["rank", "2011-02", "--data", str(data), "--format", "csv"]) == 1
    assert capsys.readouterr().err.count("[cell-formula]") == len(FORMULA_NAMES)


def test_the_csv_keeps_formulas_text_even_past_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the validation finding taken away, the written CSV is still inert."""
    data = _formula_names(tmp_path)

    def without_formula_findings(sources: Sources, today: dt.date) -> Validated:
        validated = validate(sources, today)
        validated.findings = [f for f in validated.findings if f.code != "cell-formula"]
        return validated

    monkeypatch.setattr(pipeline, "validate", without_formula_findings)
    assert main(["rank", "2011-02", "--data", str(data), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    cells = [cell for row in rows for cell in row]
    assert {"'" + name for name in FORMULA_NAMES.values()} <= set(cells)
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
