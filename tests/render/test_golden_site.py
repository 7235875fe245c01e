"""Golden files for every generated Markdown page of the first example (`pytest --regen-golden`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from site_builder.pipeline import compute_folder
from site_builder.render.site import Site, render_site
from tests.conftest import GOLDEN, REPO, TODAY


@pytest.fixture(scope="module")
def site() -> Site:
    computed = compute_folder(REPO / "data", TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    return render_site(computed.dataset, computed.results)


def test_every_generated_page_matches_its_golden_file(site: Site, golden: Callable[[str, str], None]) -> None:
    pages = {path: content for path, content in site.files.items() if path.endswith(".md")}
    assert len(pages) > 50
    for path, content in sorted(pages.items()):
        golden(f"site/data/{path}", content.decode("utf-8"))


def test_no_golden_page_is_left_over(site: Site) -> None:
    expected = {f"site/data/{path}" for path in site.files if path.endswith(".md")}
    stored = {p.relative_to(GOLDEN).as_posix() for p in (GOLDEN / "site" / "data").rglob("*.md")}
    assert stored == expected, "run pytest --regen-golden after removing or renaming pages"


def test_rendering_twice_gives_the_same_bytes(site: Site) -> None:
    computed = compute_folder(REPO / "data", TODAY)
    assert computed.dataset is not None
    assert computed.results is not None
    again = render_site(computed.dataset, computed.results)
    assert again.files == site.files
