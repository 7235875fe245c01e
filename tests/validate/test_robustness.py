"""Whatever bytes an editor saves, validation answers with findings, never with an exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.pipeline import check
from tests.conftest import TODAY, VALID

CELLS = st.sampled_from(
    ["", "east", "2011-02", "screening", "1", "-3", "1e309", "NaN", "８５", "85%", '"', "\u3000", "2011/2/30"]
)
ROWS = st.lists(st.lists(CELLS, min_size=0, max_size=12).map(",".join), max_size=6)
TARGETS = ["reports/2011-02/east.csv", "targets.csv", "regions.csv", "indicators.csv", "assignments.csv"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(TARGETS), rows=ROWS, keep_header=st.booleans())
def test_any_csv_content_gives_findings_not_exceptions(target: str, rows: list[str], keep_header: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(VALID, data)
        path = data / target
        header = path.read_text(encoding="utf-8").splitlines()[0]
        path.write_text("\n".join(([header] if keep_header else []) + rows) + "\n", encoding="utf-8")
        check(data, TODAY)  # must not raise


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target=st.sampled_from(["programme.yaml", "organization.yaml", "datapackage.yaml"]), raw=st.binary(max_size=200))
def test_any_bytes_in_a_yaml_file_give_findings_not_exceptions(target: str, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(VALID, data)
        (data / target).write_bytes(raw)
        result = check(data, TODAY)
        assert result.findings


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.dates().map(str),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=10,
    )
)
def test_any_yaml_structure_in_organization_gives_findings_not_exceptions(text: object) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(VALID, data)
        (data / "organization.yaml").write_text(yaml.safe_dump({"task_groups": text}), encoding="utf-8")
        check(data, TODAY)


def test_rows_whose_cell_counts_add_up_are_still_each_counted(tmp_path: Path) -> None:
    # a short and a long row whose commas total what two good rows have: once a crash (found by hypothesis)
    data = tmp_path / "data"
    shutil.copytree(VALID, data)
    path = data / "assignments.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    path.write_text(f"{header}\nzhao,east\nzhao,east,liaison,2011-01-01,,x,y,z,w,v\n", encoding="utf-8")
    found = [(f.code, f.line) for f in check(data, TODAY).findings if f.code == "row-cell-count"]
    assert found == [("row-cell-count", 2), ("row-cell-count", 3)]
