"""Whatever bytes an editor saves, validation answers with findings, never with an exception."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder import load
from site_builder.cli import main
from site_builder.commands.check import check
from site_builder.core.findings import Finding, capped, truncated
from site_builder.core.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_FINDINGS_PER_CODE, MAX_FOLDER_BYTES
from site_builder.load import load_sources
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


# Limits: each a finding with its numbers, never a crash, never unbounded work (docs/reference/data-contract.md)


def test_a_csv_over_the_size_limit_is_a_finding_with_its_numbers(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/east.csv"
    with open(report, "ab") as handle:  # sparse: over the limit without using the disk
        handle.truncate(MAX_FILE_BYTES + 1)
    findings = check(valid_copy, TODAY).findings
    too_large = [f for f in findings if f.code == "file-too-large"]
    assert [f.file for f in too_large] == ["reports/2011-02/east.csv"]
    assert too_large[0].message() == f"文件过大（{MAX_FILE_BYTES + 1} 字节，上限 {MAX_FILE_BYTES} 字节）。"
    assert "{" not in too_large[0].message("en")


def test_bytes_over_the_size_limit_given_to_load_are_a_finding(valid_copy: Path) -> None:
    sources = load.overlaid(load_sources(valid_copy), {"targets.csv": b"x" * (MAX_FILE_BYTES + 1)})
    (finding,) = [f for f in sources.findings if f.code == "file-too-large"]
    assert finding.params["unit_zh"] == "字节"
    assert "{" not in finding.message() + finding.message("en")


def test_a_folder_over_the_total_limit_is_not_read(valid_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(9):  # each under the per-file limit, together over the folder's
        with open(valid_copy / f"backup-{index}.csv", "wb") as handle:
            handle.truncate(MAX_FOLDER_BYTES // 8)

    def no_reading(path: Path) -> bytes | None:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(load, "read_regular", no_reading)
    findings = check(valid_copy, TODAY).findings
    assert [(f.code, f.file) for f in findings] == [("folder-too-large", "backup-0.csv")]
    size = findings[0].params["size"]
    assert isinstance(size, int)
    assert size > 9 * (MAX_FOLDER_BYTES // 8)
    assert str(MAX_FOLDER_BYTES) in findings[0].message()


DEEP = 10_000


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("- " * DEEP + "x\n", 1),  # block sequences
        ("task_groups:\n  " + "[" * DEEP + "]" * DEEP + "\n", 2),  # flow sequences
        ("task_groups: " + "{a: " * DEEP + "x" + "}" * DEEP + "\n", 1),  # flow mappings
        ("".join(" " * i + "a:\n" for i in range(100)), 65),  # indentation
        ("[" * 1_000_000, 1),
    ],
    ids=["block", "flow", "flow-mapping", "indented", "million"],
)
def test_yaml_nested_too_deep_is_a_finding(valid_copy: Path, text: str, line: int) -> None:
    (valid_copy / "organization.yaml").write_text(text, encoding="utf-8")
    findings = check(valid_copy, TODAY).findings
    deep = [f for f in findings if f.file == "organization.yaml"]
    assert [(f.code, f.line) for f in deep] == [("nesting-too-deep", line)]
    assert "64" in deep[0].message()


def test_yaml_aliases_cannot_nest_values_deeper_than_the_limit() -> None:
    text = "l0: &l0 [x]\n" + "".join(f"l{i}: &l{i} [*l{i - 1}]\n" for i in range(1, 200))
    parsed, findings = load.parse_yaml("x.yaml", text)
    assert parsed is None
    assert [f.code for f in findings] == ["nesting-too-deep"]


def test_nesting_up_to_the_limit_is_read() -> None:
    parsed, findings = load.parse_yaml("x.yaml", "[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert parsed is not None
    assert findings == []
    _, findings = load.parse_yaml("x.yaml", "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert [(f.code, f.line, f.column) for f in findings] == [("nesting-too-deep", 1, MAX_DEPTH + 1)]


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, DEEP, 1_000_000])
def test_geojson_nested_too_deep_is_a_finding(valid_copy: Path, depth: int) -> None:
    geo = valid_copy / "geo" / "regions.geojson"
    geo.parent.mkdir(exist_ok=True)
    geo.write_text('{"type": "FeatureCollection", "note": "[[[[",\n "features": ' + "[" * depth + "]" * depth + "}")
    deep = [f for f in check(valid_copy, TODAY).findings if f.file == "geo/regions.geojson"]
    assert [(f.code, f.line, f.column) for f in deep] == [("nesting-too-deep", 2, 14 + MAX_DEPTH - 1)]


def test_an_overlong_id_is_a_cell_finding_and_build_stops(valid_copy: Path, tmp_path: Path) -> None:
    regions = valid_copy / "regions.csv"
    header, first, *rest = regions.read_text(encoding="utf-8").splitlines()
    long_id = "x" * 300
    regions.write_text("\n".join([header, first, *rest, f"{long_id},长编码区,长编码,district,,,"]) + "\n")
    found = [f for f in check(valid_copy, TODAY).findings if f.code == "cell-too-long"]
    assert [(f.file, f.line, f.column, f.value) for f in found] == [("regions.csv", len(rest) + 3, 1, long_id)]
    assert found[0].params == {"field": "id", "title": "编码", "length": 300, "limit": 64}
    assert main(["build", "--data", str(valid_copy), "--site-dir", str(tmp_path / "site")]) == 1
    assert not (tmp_path / "site").exists()


def _repeated(valid_copy: Path, copies: int) -> Path:
    report = valid_copy / "reports/2011-02/east.csv"
    header, *rows = report.read_text(encoding="utf-8").splitlines()
    report.write_text("\n".join([header, *rows * copies]) + "\n", encoding="utf-8")
    return report


def test_findings_are_capped_per_code_and_file_with_a_count_of_the_rest(valid_copy: Path) -> None:
    _repeated(valid_copy, 100)  # 3 rows, 297 duplicates
    findings = check(valid_copy, TODAY).findings
    assert Counter(f.code for f in findings) == {"row-duplicate": MAX_FINDINGS_PER_CODE, "findings-truncated": 1}
    (rest,) = [f for f in findings if f.code == "findings-truncated"]
    assert (rest.file, rest.value, rest.params["count"]) == ("reports/2011-02/east.csv", "row-duplicate", 197)
    last_listed = max(f.line or 0 for f in findings if f.code == "row-duplicate")
    assert rest.line == last_listed + 1
    assert "197" in rest.message()
    assert "row-duplicate" in rest.message("en")


def test_the_cap_also_bounds_the_findings_made(valid_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a file of 60,000 repeated rows: a few hundred Finding values are made on the way, not 60,000
    _repeated(valid_copy, 20_000)
    rows = (valid_copy / "reports/2011-01/west.csv").read_text(encoding="utf-8").splitlines()
    bad = [row.replace(",2011-01-", ",2011/1/") for row in rows[1:]]  # dates in another form, and duplicates
    (valid_copy / "reports/2011-01/west.csv").write_text("\n".join([rows[0], *bad * 5_000]) + "\n")
    made = Counter[str]()
    original = Finding.__post_init__

    def counting(self: Finding) -> None:
        made[self.code] += 1
        original(self)

    monkeypatch.setattr(Finding, "__post_init__", counting)
    findings = check(valid_copy, TODAY).findings
    assert sum(made.values()) < 2_000
    shown = Counter((f.file, f.code) for f in findings if f.code != "findings-truncated")
    assert max(shown.values()) == MAX_FINDINGS_PER_CODE
    counted = {(f.file, str(f.value)): f.params["count"] for f in findings if f.code == "findings-truncated"}
    assert counted[("reports/2011-02/east.csv", "row-duplicate")] == 3 * 20_000 - 3 - MAX_FINDINGS_PER_CODE
    assert counted[("reports/2011-01/west.csv", "date-format")] == 3 * 5_000 - MAX_FINDINGS_PER_CODE


def test_the_cap_merges_counts_from_the_producers() -> None:
    params = {"first": "a.csv:2", "expected": "id"}
    findings = [Finding("row-duplicate", "a.csv", line, 1, "x", params) for line in range(3, 153)]
    capped_ = capped([*findings, truncated("a.csv", "row-duplicate", 1000, 500)])
    assert len(capped_) == MAX_FINDINGS_PER_CODE + 1
    (rest,) = [f for f in capped_ if f.code == "findings-truncated"]
    assert (rest.params["count"], rest.line) == (1050, 103)


def test_rows_with_the_wrong_cell_count_are_capped_too(valid_copy: Path) -> None:
    report = valid_copy / "reports/2011-02/east.csv"
    header, *rows = report.read_text(encoding="utf-8").splitlines()
    report.write_text("\n".join([header, *[f"{row},extra" for row in rows] * 200]) + "\n", encoding="utf-8")
    findings = [f for f in check(valid_copy, TODAY).findings if f.file == "reports/2011-02/east.csv"]
    counts = Counter(f.code for f in findings)
    assert counts["row-cell-count"] == MAX_FINDINGS_PER_CODE
    (rest,) = [f for f in findings if f.code == "findings-truncated" and f.value == "row-cell-count"]
    assert (rest.params["count"], rest.line) == (3 * 200 - MAX_FINDINGS_PER_CODE, MAX_FINDINGS_PER_CODE + 2)


def test_an_overlong_id_in_a_yaml_document_is_a_finding(valid_copy: Path) -> None:
    organization = valid_copy / "organization.yaml"
    long_id = "insurance" + "_x" * 100
    organization.write_text(organization.read_text(encoding="utf-8").replace("id: insurance", f"id: {long_id}"))
    found = [f for f in check(valid_copy, TODAY).findings if f.file == "organization.yaml"]
    assert [(f.code, f.line) for f in found] == [("yaml-value", 14)]
    assert long_id.startswith(str(found[0].value))  # the value as shown is shortened
    assert "最长 64 个字符" in found[0].message()


def test_a_bad_max_length_in_the_descriptor_is_a_finding(valid_copy: Path) -> None:
    descriptor = valid_copy / "datapackage.yaml"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace("maxLength: 64", "maxLength: -1", 1))
    found = [f for f in check(valid_copy, TODAY).findings if f.code == "datapackage-invalid"]
    assert len(found) == 1
    assert "maxLength" in found[0].message()
