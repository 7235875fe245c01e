"""Shared test helpers: fixtures are real folders on disk, built from a valid base and an overlay."""

from __future__ import annotations

import datetime as dt
import fcntl
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from tests.goldens import Golden

FIXTURES = Path(__file__).parent / "fixtures"
VALID = FIXTURES / "valid"
INVALID = FIXTURES / "invalid"
REPO = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 1)  # fixed, so that "dated in the future" does not depend on the clock


DUE_AND_NA = FIXTURES / "due_and_na"  # screening quarterly, east has no pilot, cost_growth a level


def all_quarterly(target: Path) -> Path:
    """A copy of the due_and_na fixture in `target` with every indicator reported quarterly: nothing is
    due in April."""
    shutil.copytree(DUE_AND_NA, target)
    indicators = target / "indicators.csv"
    lines = indicators.read_text(encoding="utf-8").splitlines()
    lines = [lines[0], *(line.rsplit(",", 1)[0] + ",quarterly" for line in lines[1:])]
    indicators.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def build_fixture(code: str, target: Path) -> dict[str, object]:
    """Copy the valid base to `target`, apply the overlay of `invalid/<code>/`; return its _fixture.yaml."""
    shutil.copytree(VALID, target)
    overlay = INVALID / code
    meta: dict[str, object] = yaml.safe_load((overlay / "_fixture.yaml").read_text(encoding="utf-8"))
    for path in sorted(overlay.rglob("*")):
        rel = path.relative_to(overlay)
        if path.is_file() and rel.name != "_fixture.yaml":
            destination = target / rel
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    for rel_path in meta.get("delete", []) or []:  # type: ignore[attr-defined]
        (target / str(rel_path)).unlink()
    for rel_path, pointing_to in (meta.get("symlink") or {}).items():  # type: ignore[attr-defined]
        (target / str(rel_path)).unlink(missing_ok=True)  # git cannot hold a link portably: made here
        (target / str(rel_path)).symlink_to(str(pointing_to))
    for rel_path, size in (meta.get("sparse") or {}).items():  # type: ignore[attr-defined]
        (target / str(rel_path)).parent.mkdir(parents=True, exist_ok=True)
        with open(target / str(rel_path), "ab") as handle:  # a large file that takes no disk space
            handle.truncate(int(size))
    if meta.get("git"):  # the folder committed on a chosen date (findings that read the history)
        history = meta["git"]
        assert isinstance(history, dict)
        commit_fixture(target, str(history["date"]), shallow=bool(history.get("shallow")))
    return meta


def commit_fixture(target: Path, date: str, shallow: bool = False) -> None:
    """Make `target` a git repository whose one commit, authored and committed on `date`, holds it; with
    `shallow`, replace it by a depth-1 clone of itself (after a second commit), as a CI checkout is."""
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_CONFIG_NOSYSTEM": "1"}
    who = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    for args in (["init", "-q"], ["add", "-A"], [*who, "commit", "-q", "-m", "fixture"]):
        subprocess.run(["git", *args], cwd=target, env=env, check=True, capture_output=True)
    if shallow:
        subprocess.run(["git", *who, "commit", "-q", "--allow-empty", "-m", "later"], cwd=target, env=env, check=True)
        full = target.with_name(target.name + "-full")
        target.rename(full)
        subprocess.run(["git", "clone", "-q", "--depth", "1", full.as_uri(), str(target)], env=env, check=True)


def invalid_codes() -> list[str]:
    return sorted(p.name for p in INVALID.iterdir() if p.is_dir())


GOLDEN = Path(__file__).parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regen-golden", action="store_true", help="rewrite the golden files from the current output")


# The files that take longest (pytest --durations), longest first. `make test` hands whole files to two
# workers (`--dist loadfile`) in collection order: started first, they no longer leave one worker running
# a long file alone at the end. Only the order changes; a file missing from this list runs after them.
LONGEST_FIRST = (
    "tests/browser/test_accessibility.py",
    "tests/test_publish.py",
    "tests/test_issuing.py",
    "tests/test_years.py",
    "tests/browser/test_screenshots.py",
    "tests/test_examples.py",
    "tests/test_ci_scripts.py",
    "tests/browser/test_official_pdf.py",
    "tests/validate/test_robustness.py",
    "tests/test_diff_month.py",
    "tests/test_init.py",
    "tests/validate/test_fixtures.py",
    "tests/render/test_official.py",
    "tests/test_office.py",
    "tests/test_rank_cli.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: number for number, name in enumerate(LONGEST_FIRST)}

    def weight(item: pytest.Item) -> int:
        return rank.get(Path(str(item.path)).relative_to(REPO).as_posix(), len(rank))

    items.sort(key=weight)  # stable: the order within a file, and of the other files, is kept


@pytest.fixture(scope="module")
def golden(request: pytest.FixtureRequest) -> Golden:
    """Compare text, or a folder of generated files, with tests/golden/ (see tests/goldens.py);
    `pytest --regen-golden` rewrites the files instead, removing those no longer generated."""
    return Golden(GOLDEN, regenerate=bool(request.config.getoption("--regen-golden")))


EXAMPLES = {"data": REPO / "data", "examples/zaozhuang": REPO / "examples" / "zaozhuang"}


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """`built_example("data")`: the site of a shipped example, built for real (`commands/build.py`'s
    `build`, MkDocs included) once per test run and shared by every test and every xdist worker (the
    first to ask builds it under a lock; the others wait and read it). Tests only read it."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    made: dict[str, Path] = {}

    def built(name: str) -> Path:
        if name not in made:
            from site_builder.commands import build as pipeline  # noqa: PLC0415 (only when a test needs a site)
            from site_builder.site.build import Workspace  # noqa: PLC0415

            folder = shared / ("example-" + name.replace("/", "-"))
            folder.mkdir(exist_ok=True)
            site, done = folder / "site", folder / "built"
            with open(folder / "lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not done.exists():
                    shutil.rmtree(site, ignore_errors=True)
                    result = pipeline.build(EXAMPLES[name], site, TODAY, Workspace(folder / "work"))
                    assert result.ok, result.computed.validated.findings
                    done.touch()
            made[name] = site
        return made[name]

    return built


MONTH = "2011-03"  # the month after the valid fixture's last


@pytest.fixture(scope="session")
def _month_begun(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid folder with March begun (`bulletin new-month`) and its forms made (`bulletin forms`) into
    an inbox beside it, once per worker: `month` hands each test its own copy."""
    from site_builder.cli import main  # noqa: PLC0415

    root = tmp_path_factory.mktemp("month")
    data = root / "data"
    shutil.copytree(VALID, data)
    assert main(["new-month", MONTH, "--data", str(data)]) == 0
    assert main(["forms", MONTH, "--data", str(data), "--out", str(root / "inbox")]) == 0
    return root


@pytest.fixture
def month(tmp_path: Path, _month_begun: Path) -> tuple[Path, Path]:
    """A copy of the valid folder with March begun (new-month) and its (unfilled) forms in an inbox beside
    it: tmp_path/data and tmp_path/inbox, the test's own to change."""
    for name in ("data", "inbox"):
        shutil.copytree(_month_begun / name, tmp_path / name, symlinks=True)
    return tmp_path / "data", tmp_path / "inbox"


@pytest.fixture
def valid_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(VALID, target)
    return target


# Real git repositories, for the features that read history (diff, publish --erratum, the monthly cycle)


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True)
    return result.stdout.strip()


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def plain_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Git as on a fresh machine: no user or system configuration, no repository named by the environment."""
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # a folder in tmp_path is in no outer repository
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(tmp_path: Path, plain_git: None) -> Path:
    """A repository whose first commit holds the valid fixture in data/."""
    root = tmp_path / "repo"
    shutil.copytree(VALID, root / "data")
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.invalid")
    commit(root, "base")
    return root


def benchmark(name: str) -> ModuleType:
    """The script benchmarks/<name>.py as a module (the benchmarks are scripts, not a package); a script
    imports its neighbours by name, so the folder is put on the path once."""
    folder = str(REPO / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
