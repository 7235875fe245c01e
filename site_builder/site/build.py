"""The site stage: write the generated pages, build them with MkDocs, check that the result is
self-contained, and switch it in at once (`site/switch.py`).

Generated sources go to a git-ignored work folder (`docs/generated/<name>/`); only files whose
content changed are rewritten, so a live preview rebuilds only what changed. The site is built into
a temporary folder beside the target and switched in only when complete: a failed build leaves the
previous site untouched.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_builder.files import durable, zipfiles
from site_builder.files.folder import read_regular, regular_files
from site_builder.model import Dataset
from site_builder.render.site import STATIC_NAV, Site
from site_builder.site import checks, chromium, search, switch
from site_builder.site.csp import secure_pages

PACKAGE = Path(__file__).resolve().parent.parent  # site_builder/
REPOSITORY_DOCS = PACKAGE.parent / "docs"
ASSETS = PACKAGE / "assets"
THEME = PACKAGE / "theme"
_READER_PAGES = {path for entry in STATIC_NAV if isinstance(entry, dict) for path in entry.values()}
_CITY_BLOCK = re.compile(r"<!-- city:([a-z]+) -->\n.*?<!-- city:end -->", re.DOTALL)
_SEALED_COPY = re.compile(r"bulletins/[0-9]{4}-[0-9]{2}/erratum-[0-9]+/.+\.csv")


class BuildError(Exception):
    """The site could not be built; the previous site is untouched."""


@dataclass(frozen=True)
class Workspace:
    root: Path  # docs/generated/<name>

    @classmethod
    def for_data(cls, data_dir: Path) -> Workspace:
        """The git-ignored work folder of a data folder, keyed by its full path so that two folders
        of the same name never share one: docs/generated/<folder name>-<hash of the path>/.

        Each records its data folder in `source`; those of data folders that no longer exist
        (temporary copies) are removed.
        """
        base = REPOSITORY_DOCS / "generated" if REPOSITORY_DOCS.is_dir() else Path(".bulletin") / "generated"
        for source in sorted(base.glob("*/source")):
            if not Path(source.read_text(encoding="utf-8", errors="replace")).is_dir():
                durable.remove(source.parent)
        resolved = data_dir.resolve()
        workspace = cls(base / f"{resolved.name}-{hashlib.sha256(str(resolved).encode()).hexdigest()[:10]}")
        durable.write_if_changed(workspace.root / "source", str(resolved).encode())
        return workspace

    def locked(self) -> contextlib.AbstractContextManager[None]:
        """Hold the work folder for one generate-and-build (another build of the same folder waits)."""
        return durable.locked(self.root / ".lock")

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"


def _static_docs() -> dict[str, bytes]:
    """The hand-written pages of docs/ (guide, reference, methodology), if this is a checkout."""
    if not REPOSITORY_DOCS.is_dir():
        return {}
    files = {}
    for rel in regular_files(REPOSITORY_DOCS):  # no link is followed, no pipe or device opened
        if not rel.startswith("generated/") and (content := read_regular(REPOSITORY_DOCS / rel)) is not None:
            files[rel] = content
    return files


def splice(content: bytes, fragments: dict[str, str]) -> bytes:
    """A static page with each `<!-- city:NAME -->` … `<!-- city:end -->` block replaced by the fragment of
    that name the render stage made from the site's own data (the block stays when there is none)."""
    if b"<!-- city:" not in content:
        return content

    def replaced(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"<!-- city:{name} -->\n{fragments[name]}<!-- city:end -->" if name in fragments else match.group(0)

    return _CITY_BLOCK.sub(replaced, content.decode("utf-8")).encode("utf-8")


def _for_readers(rel: str, content: bytes) -> bytes:
    """A static page outside the readers' navigation (the editors' and maintainers' docs) is kept out of
    the readers' search: Material's `search: exclude` front matter."""
    if not rel.endswith(".md") or rel in _READER_PAGES or content.startswith(b"---\n"):
        return content
    return b"---\nsearch:\n  exclude: true\n---\n\n" + content


def _searchable(rel: str, content: bytes) -> bytes:
    """A generated page whose table cells stay apart in the search index (`site/search.py`)."""
    return search.cells_apart(content.decode("utf-8")).encode("utf-8") if rel.endswith(".md") else content


def _assets() -> dict[str, bytes]:
    files = {
        f"assets/{p.relative_to(ASSETS).as_posix()}": p.read_bytes() for p in sorted(ASSETS.rglob("*")) if p.is_file()
    }
    return files  # assets/vendor/: plotly.js's partial bundle and locale, loaded by charts.js where a chart is


def _without_columns(content: bytes, hidden: tuple[str, ...]) -> bytes:
    """A CSV file without the named columns (private fields), everything else as read."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    if not rows:
        return content
    keep = [i for i, name in enumerate(rows[0]) if name not in hidden]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([row[i] for i in keep if i < len(row)])
    return out.getvalue().encode("utf-8")


def data_package(data_dir: Path, private: dict[str, tuple[str, ...]] | None = None) -> bytes:
    """The data folder as a zip whose bytes depend only on the files' names and contents.

    Columns marked private in the schemas (`private`: file -> column names) are left out.
    """
    private = private or {}
    entries = []
    for rel in regular_files(data_dir):  # hidden files, links, devices and pipes are never packed
        content = read_regular(data_dir / rel)
        if content is None:
            continue
        if private.get(rel):
            content = _without_columns(content, private[rel])
        entries.append((f"data/{rel}", content))
    return zipfiles.pack(entries)  # every entry dated 1980-01-01


def report_files(dataset: Dataset, data_dir: Path, private: dict[str, tuple[str, ...]]) -> dict[str, bytes]:
    """The report files as filed, served under downloads/ so that a bulletin's figure links to its line
    (private columns left out, like everywhere else)."""
    out = {}
    regular = regular_files(data_dir)  # a link, device or pipe is never read, even if listed
    present = set(regular)
    copies = [rel for rel in regular if _SEALED_COPY.fullmatch(rel)]
    for rel in [*(r for r in dataset.report_files if r in present), *copies]:
        content = read_regular(data_dir / rel)
        if content is None:
            continue
        copied = rel.startswith("bulletins/")  # a sealed copy hides what its file hides
        hidden = private.get(rel.split("/", 3)[3] if copied else rel)
        out[f"downloads/{rel}"] = _without_columns(content, hidden) if hidden else content
    return out


NAV_LIMIT = 100  # entries of one navigation section; a larger section lists only its index page


def _bounded(nav: list[object]) -> list[object]:
    """The navigation with every section of more than NAV_LIMIT entries cut to its index page (a province's
    thousands of districts are reached from the district index, not listed in every page's sidebar)."""
    out: list[object] = []
    for entry in nav:
        value = next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else None
        if isinstance(entry, dict) and isinstance(value, list) and len(value) > NAV_LIMIT:
            title = next(iter(entry))
            out.append({title: [item for item in value if isinstance(item, str) and item.endswith("index.md")]})
        else:
            out.append(entry)
    return out


def mkdocs_config(dataset: Dataset, site: Site, workspace: Workspace, static: dict[str, bytes]) -> dict[str, object]:
    programme = dataset.programme
    css = sorted(f"assets/{p.relative_to(ASSETS).as_posix()}" for p in ASSETS.rglob("*.css"))
    nav = _bounded(site.nav) + (STATIC_NAV if static else [])
    banner = ""
    if programme.simulated:
        banner = "模拟数据：" + (
            programme.simulation_note or "本站的月度数据为模拟生成，仅供演示，不代表真实工作进展。"
        )
    return {
        "site_name": f"{programme.city}{programme.name}",
        "site_description": f"{programme.organization}月度通报",
        "docs_dir": "docs",
        "use_directory_urls": True,
        "strict": True,
        "theme": {
            "name": "material",
            "language": programme.language,
            "font": False,
            "custom_dir": str(THEME),
            "features": [
                "navigation.instant",
                "navigation.tracking",
                "navigation.sections",
                "navigation.prune",  # a page holds only its own section's entries, not every district's
                "search.highlight",
                "toc.follow",
            ],
            "palette": [
                {
                    "media": "(prefers-color-scheme: light)",
                    "scheme": "default",
                    "toggle": {"icon": "material/brightness-7", "name": "切换到深色模式"},
                },
                {
                    "media": "(prefers-color-scheme: dark)",
                    "scheme": "slate",
                    "toggle": {"icon": "material/brightness-4", "name": "切换到浅色模式"},
                },
            ],
        },
        # Chinese text is segmented by jieba at build time (words joined by U+200B); the browser must
        # not load lunr's own zh support, which needs a Node module and fails in the search worker.
        "plugins": [
            {
                "search": {
                    "lang": "en",
                    "separator": search.SEPARATOR,
                    "jieba_dict_user": str(workspace.root / "search-words.txt"),
                }
            }
        ],
        "markdown_extensions": [
            "admonition",
            "tables",
            "attr_list",
            "md_in_html",
            {"toc": {"permalink": True, "permalink_title": "本节链接"}},
        ],
        "extra_css": css,
        "extra_javascript": ["assets/js/charts.js"],
        "extra": {"simulated_banner": banner, "generator": False, "editors_guide": "guide/" if static else None},
        "nav": nav,
    }


def _put(path: Path, content: bytes) -> bool:
    """Write a page of the work folder unless it holds those bytes already; return whether it was written.

    Replaced by a rename (a preview reading it never sees half a page) but not flushed to disk: the work
    folder is regenerated by every build, and a page a crash left short differs from the next build's, which
    rewrites it. Flushing each of a province's thousands of files took longer than rendering them.
    """
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}{durable.TEMP_MARK}{os.getpid()}")
    temp.write_bytes(content)
    os.replace(temp, path)
    return True


def prepare(
    dataset: Dataset,
    site: Site,
    data_dir: Path,
    workspace: Workspace,
    private: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Write the work folder: generated pages, static docs, assets, the MkDocs config.

    Returns the paths rewritten (unchanged files are left alone); stale files are removed.
    """
    static = {rel: _for_readers(rel, splice(content, site.fragments)) for rel, content in _static_docs().items()}
    pages = {rel: _searchable(rel, content) for rel, content in site.files.items()}
    files = {**static, **_assets(), **pages, "downloads/data-package.zip": data_package(data_dir, private)}
    files.update(report_files(dataset, data_dir, private or {}))
    changed = [rel for rel, content in sorted(files.items()) if _put(workspace.docs / rel, content)]
    for path in sorted(workspace.docs.rglob("*"), reverse=True):
        rel = path.relative_to(workspace.docs).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    glossary = (PACKAGE / "search_glossary.txt").read_text(encoding="utf-8").split()
    words = "".join(f"{word} 1000\n" for word in [*site.search_words, *glossary] if " " not in word)
    durable.write_if_changed(workspace.root / "search-words.txt", words.encode("utf-8"))
    config = mkdocs_config(dataset, site, workspace, static)
    durable.write_if_changed(
        workspace.config, yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode("utf-8")
    )
    return changed


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _source_date(epoch: int | None) -> Iterator[None]:
    """MkDocs dates the sitemap from SOURCE_DATE_EPOCH; unless the caller set it, use the data's date."""
    if epoch is None or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def build_site(workspace: Workspace, site_dir: Path, source_date: int | None = None, documents: bool = False) -> Path:
    """Run MkDocs (strict) into a staging folder, check it, then switch it in at `site_dir`.

    `site_dir` becomes a link to the build folder (see `durable.switch_site`), which is returned.
    Builds of the same site wait for each other (a lock file beside it); each first removes what
    killed or failed builds left. A failed build, an interrupted one or a full disk removes its
    staging folder and leaves the previous site untouched. `source_date` (seconds since the epoch)
    dates the build when SOURCE_DATE_EPOCH is not set, so the same data build the same bytes on any day.
    `documents`: print each bulletin's print document to PDF with Chromium (`chromium.print_documents`).
    """
    site_dir = site_dir.parent.resolve() / site_dir.name  # the link itself, not the folder it points to
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with durable.locked(switch.site_lock(site_dir)):
        switch.sweep(site_dir)
        staging = Path(tempfile.mkdtemp(prefix=switch.staging_prefix(site_dir), dir=site_dir.parent))
        try:
            _build_into(staging, workspace, source_date, documents)
            return switch.switch_site(staging, site_dir)
        except OSError as error:
            durable.remove(staging)
            if error.errno in _DISK_ERRORS:
                raise BuildError(f"the site could not be written: {error}") from error
            raise
        except BaseException:
            durable.remove(staging)
            raise


def _print_documents(staging: Path) -> None:
    """The bulletins' PDFs beside their print documents (site/chromium.py); raises `BuildError`."""
    try:
        chromium.print_documents(staging)
    except chromium.PrintError as error:
        raise BuildError(f"a bulletin could not be printed to PDF: {error}") from error


_DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EACCES, errno.EPERM})


def _build_into(staging: Path, workspace: Workspace, source_date: int | None, documents: bool = False) -> None:
    """MkDocs (strict) into `staging`, then the checks of the built files; raises `BuildError`."""
    from mkdocs.commands.build import build  # noqa: PLC0415 - MkDocs is heavy; load it when building
    from mkdocs.config import load_config  # noqa: PLC0415
    from mkdocs.exceptions import MkDocsException  # noqa: PLC0415

    from site_builder.site.rawhtml import RawHtml  # noqa: PLC0415 - a MkDocs plugin: imports MkDocs

    collector = _Collect()
    search.fresh_jieba()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        with _source_date(source_date), search.cuts_remembered():
            config = load_config(config_file=str(workspace.config), site_dir=str(staging), strict=True)
            if os.environ.get("BULLETIN_RAW_HTML") != "0":
                config.plugins["bulletin/raw-html"] = RawHtml()  # HTML blocks around Markdown (rawhtml.py)
            build(config)
    except (MkDocsException, SystemExit) as error:
        detail = "\n  ".join(collector.messages[-20:]) or str(error)
        raise BuildError(f"MkDocs could not build the site:\n  {detail}") from error
    finally:
        logger.removeHandler(collector)
    index = staging / "search" / "search_index.json"
    if index.is_file():  # no one-character word that would cut a Chinese query short (search.py)
        index.write_bytes(search.whole_words(index.read_bytes()))
    if documents:  # the bulletins' PDFs, before the checks of links to them
        _print_documents(staging)
    if unsafe := list(secure_pages(staging)):  # a Content-Security-Policy into every page (csp.py)
        raise BuildError("pages of the built site carry script it does not ship:\n  " + "\n  ".join(unsafe[:20]))
    external, broken = checks.references(staging)
    if external:
        raise BuildError("the built site refers to other hosts:\n  " + "\n  ".join(external[:20]))
    if broken:
        raise BuildError("the built site has broken links:\n  " + "\n  ".join(broken[:20]))
