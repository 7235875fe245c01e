"""A data folder as it was at a git revision, copied into a folder of its own (the I/O of `bulletin diff`).

`data_at` writes the files of the data folder at a revision (or in the working tree) into a fresh
folder, so that the pipeline reads them as it reads any data folder. Files are read from git's
object store (`git ls-tree` lists them, one `git cat-file --batch` reads them all), never checked
out, so the working tree and the index are left alone, and attributes such as `export-subst` that
`git archive` would apply do not change what is compared. Problems become `RevisionError`s with a
message for people: no git, not a repository, a revision git does not know, no such folder.

`report_history` reads when each report row's figures first appeared (one `git log -p` over the reports
folder; the rules are in `core/history.py`); `changes` lists a pull request's commits and files for
`bulletin check-authors`.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import posixpath
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from site_builder.core.history import ReportHistory, RowKey, Seen

WORKING_TREE = "工作区"
_SHALLOW_HINT = (
    "如果是在 CI 中运行，检出时需要取回完整历史（actions/checkout 设置 fetch-depth: 0），"
    "或先执行 git fetch origin 目标分支。"
)


class RevisionError(Exception):
    """A revision or repository that cannot be read; the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise RevisionError("找不到 git 命令：请先安装 git，并确认它在 PATH 中。")
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, check=False)
    except OSError as error:
        raise RevisionError(f"无法运行 git：{error}") from error


def _toplevel(repo: Path) -> Path:
    if not repo.is_dir():
        raise RevisionError(f"文件夹不存在：{repo}")
    result = _git(repo, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        said = f"（git：{detail[0]}）" if detail and "not a git repository" not in detail[0] else ""
        raise RevisionError(f"{repo} 不在 git 仓库中{said}：请在数据仓库的文件夹里运行，或先 git clone 这个仓库。")
    return Path(result.stdout.decode("utf-8", "replace").strip())


def _inside(repo: Path, top: Path, data_path: str) -> str:
    """`data_path` (relative to `repo`, or absolute) relative to the repository's top: '' for the top itself."""
    base = Path(data_path).resolve() if Path(data_path).is_absolute() else repo.resolve() / data_path
    joined = posixpath.normpath(os.path.relpath(base, top.resolve()))
    if joined == ".." or joined.startswith("../"):
        raise RevisionError(f"数据文件夹 {data_path} 不在仓库 {top} 之内：--data 应是仓库里的相对路径，如 data。")
    return "" if joined == "." else joined


def resolve(repo: Path, revision: str) -> str:
    """The commit id a revision names (a branch, tag, commit id, HEAD~1, origin/main …)."""
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n"):
        raise RevisionError(f"版本名 {revision!r} 无效：请写分支名、标签或提交编号，如 main、HEAD~1、3f2a9c1。")
    result = _git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode != 0:
        raise RevisionError(
            f"git 仓库中没有版本 {revision!r}：请检查分支名、标签或提交编号是否写对"
            f"（git log --oneline 列出提交，git branch -a 列出分支）。{_SHALLOW_HINT}"
        )
    return result.stdout.decode("ascii").strip()


def describe(repo: Path, revision: str | None) -> str:
    """A short label for a revision, as the summary shows it: 'main (3f2a9c1)', or 工作区."""
    if revision is None:
        return WORKING_TREE
    commit = resolve(_toplevel(repo), revision)
    return commit[:7] if commit.startswith(revision.lower()) else f"{revision} ({commit[:7]})"


def data_at(repo: Path, revision: str | None, data_path: str, target: Path) -> Path:
    """Write the data folder `data_path` (relative to `repo`) as of `revision` into `target`; return `target`.

    `revision` None means the working tree as it is on disk (uncommitted and untracked files
    included, hidden files left out, as `load_sources` leaves them out). `target` must not exist
    or be empty. Raises `RevisionError` when git is missing, `repo` is not in a repository, the
    revision is unknown, or the folder does not exist at that revision.
    """
    if target.exists() and any(target.iterdir()):
        raise RevisionError(f"目标文件夹 {target} 不是空的。")
    if revision is None:
        source = repo / data_path
        if not source.is_dir():
            raise RevisionError(f"工作区中没有数据文件夹 {source}：请检查 --data。")
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".*"), dirs_exist_ok=True)
        return target
    top = _toplevel(repo)
    folder = _inside(repo, top, data_path)
    commit = resolve(top, revision)
    kind = _git(top, "cat-file", "-t", f"{commit}:{folder}")
    if kind.returncode != 0 or kind.stdout.strip() != b"tree":
        raise RevisionError(
            f"版本 {revision!r} 中没有数据文件夹 {folder or '.'}：请检查 --data，或这个版本是否已有数据。"
        )
    target.mkdir(parents=True, exist_ok=True)
    blobs = list(_blobs(top, commit, folder))
    for rel, content in zip((rel for rel, _ in blobs), _contents(top, [sha for _, sha in blobs]), strict=True):
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(content)
    return target


def _blobs(top: Path, commit: str, folder: str) -> Iterator[tuple[str, str]]:
    """(path relative to the data folder, blob id) of every regular file below `folder` at `commit`."""
    args = ["ls-tree", "-r", "-z", "--full-tree", commit]
    if folder:
        args += ["--", folder]
    result = _git(top, *args)
    if result.returncode != 0:
        raise RevisionError(f"无法列出版本 {commit[:7]} 的文件：{result.stderr.decode('utf-8', 'replace').strip()}")
    prefix = f"{folder}/" if folder else ""
    for entry in result.stdout.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha = meta.decode("ascii").split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000" or not path.startswith(prefix):
            continue  # submodules and symbolic links are not data
        rel = path[len(prefix) :]
        parts = PurePosixPath(rel).parts
        if not parts or any(part in ("", ".", "..") for part in parts) or any(p.startswith(".") for p in parts):
            continue  # hidden files are skipped by load_sources too; odd names never leave the target
        yield rel, sha


def _contents(top: Path, shas: list[str]) -> Iterator[bytes]:
    """The blobs' contents, in order, from one `git cat-file --batch`."""
    if not shas:
        return
    result = _git(top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in shas).encode("ascii"))
    if result.returncode != 0:
        raise RevisionError(f"无法读取 git 对象：{result.stderr.decode('utf-8', 'replace').strip()}")
    out = result.stdout
    at = 0
    for sha in shas:
        end = out.index(b"\n", at)
        header = out[at:end].decode("ascii").split(" ")
        if len(header) != 3 or header[0] != sha:
            raise RevisionError(f"无法读取 git 对象 {sha}：{' '.join(header)}")
        size = int(header[2])
        yield out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1


def file_digests(folder: Path) -> dict[str, str]:
    """Every file below `folder` (hidden ones left out, as `load_sources` does): path → SHA-256 of its bytes.

    Given to `diff.compare`, it tells changed files apart exactly, comments in YAML and files
    that cannot be parsed included.
    """
    digests: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            digests[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def file_history(data_dir: Path, rel: str) -> Iterator[bytes]:
    """Every version git holds of the data file `rel` (relative to `data_dir`), the index's first, then
    each commit's that touched it, newest first, on any branch. `bulletin publish --erratum` looks
    among them for the version a bulletin was sealed with, to keep a copy of it."""
    top = _toplevel(data_dir)
    path = _inside(data_dir, top, rel)
    staged = _git(top, "rev-parse", "--verify", "--quiet", f":{path}")
    shas = [staged.stdout.decode("ascii").strip()] if staged.returncode == 0 else []
    log = _git(top, "log", "--all", "--format=%H", "--", path)
    for commit in log.stdout.decode("ascii").split():
        blob = _git(top, "rev-parse", "--verify", "--quiet", f"{commit}:{path}")
        if blob.returncode == 0:
            shas.append(blob.stdout.decode("ascii").strip())
    yield from _contents(top, list(dict.fromkeys(shas)))


# Timeliness from the record: when each report row's figures first appeared (core/history.py says how)

_VALUE_COLUMNS = ("value", "numerator", "denominator")


def report_history(data_dir: Path) -> ReportHistory:
    """First-seen dates of every report row of `data_dir`, from one `git log -p` over its reports folder.

    Never raises: no git or no repository is state "none", a shallow clone "shallow" (its cut-off history
    would date every report on the day of the oldest commit it holds). A repository without commits has
    nothing in the record yet ("full", no rows).
    """
    try:
        top = _toplevel(data_dir)
        folder = _inside(data_dir, top, ".")
    except RevisionError as error:
        return ReportHistory("none", detail=error.message)
    shallow = _git(top, "rev-parse", "--is-shallow-repository")
    if shallow.returncode != 0 or shallow.stdout.strip() == b"true":
        return ReportHistory("shallow", detail=_SHALLOW_HINT)
    if _git(top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        return ReportHistory("full")
    reports = f"{folder}/reports" if folder else "reports"
    log = _git(
        top,
        *("-c", "log.showSignature=false", "log", "--no-merges", "--reverse", "--no-renames", "--no-color"),
        *("--no-ext-diff", "--no-textconv", "-p", "-U1000000", "--format=%x00%H %aI", "HEAD"),
        *("--", f":(literal){reports}"),
    )
    if log.returncode != 0:
        return ReportHistory("none", detail=log.stderr.decode("utf-8", "replace").strip())
    rows: dict[RowKey, Seen] = {}
    for seen, lines in _post_images(log.stdout):
        for key in _filled_rows(lines):
            rows.setdefault(key, seen)
    return ReportHistory("full", rows)


def _post_images(log: bytes) -> Iterator[tuple[Seen, list[bytes]]]:
    """(the commit, the lines of one file as that commit left it) for every file each commit touched."""
    seen: Seen | None = None
    lines: list[bytes] | None = None
    for line in log.split(b"\n"):
        if line.startswith(b"\0"):
            if seen is not None and lines is not None:
                yield seen, lines
            sha, _, when = line[1:].decode("ascii", "replace").partition(" ")
            seen, lines = Seen(dt.datetime.fromisoformat(when).date(), sha), None
        elif line.startswith(b"diff --git "):
            if seen is not None and lines is not None:
                yield seen, lines
            lines = None
        elif line.startswith(b"@@"):
            lines = []
        elif lines is not None and line[:1] in (b" ", b"+"):
            lines.append(line[1:])
    if seen is not None and lines is not None:
        yield seen, lines


def _filled_rows(lines: list[bytes]) -> Iterator[RowKey]:
    """The (month, region, indicator) of every row with a value, numerator or denominator."""
    text = b"\n".join(lines)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = text.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return
    reader = csv.reader(io.StringIO(decoded))
    header = [name.strip() for name in next(reader, [])]
    if not {"month", "region_id", "indicator_id"} <= set(header):
        return
    at = {name: header.index(name) for name in header}
    values = [at[name] for name in _VALUE_COLUMNS if name in at]
    for row in reader:
        if len(row) != len(header):
            continue
        if any(row[i].strip() for i in values):
            yield row[at["month"]].strip(), row[at["region_id"]].strip(), row[at["indicator_id"]].strip()


# A pull request's commits, for bulletin check-authors


@dataclass(frozen=True)
class Change:
    """One non-merge commit between two revisions: its id, message and the files it changed."""

    commit: str
    message: str
    files: tuple[str, ...]  # paths relative to the repository's top


def changes(repo: Path, base: str, head: str) -> tuple[Path, list[Change]]:
    """The repository's top and every non-merge commit in `base..head`, oldest first (one `git log`)."""
    top = _toplevel(repo)
    first, last = resolve(top, base), resolve(top, head)
    log = _git(
        top,
        *("log", "--no-merges", "--reverse", "--no-renames", "--name-only", "-z"),
        *("--format=%x1e%H%x1f%B%x1f", f"{first}..{last}"),
    )
    if log.returncode != 0:
        raise RevisionError(f"无法列出 {base}..{head} 的提交：{log.stderr.decode('utf-8', 'replace').strip()}")
    found = []
    for chunk in log.stdout.split(b"\x1e"):
        if not chunk.strip():
            continue
        sha, message, names = chunk.split(b"\x1f", 2)
        files = tuple(n.decode("utf-8", "surrogateescape") for n in names.strip(b"\0\n").split(b"\0") if n.strip())
        found.append(Change(sha.decode("ascii"), message.decode("utf-8", "replace"), files))
    return top, found


def relative_to_top(data_dir: Path) -> tuple[Path, str]:
    """The repository's top holding `data_dir`, and the data folder's path in it ('' for the top itself)."""
    top = _toplevel(data_dir)
    return top, _inside(data_dir, top, ".")
