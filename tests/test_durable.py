"""Durable writes: a write killed before its rename leaves the old file; the site is a link switched in
one rename, with a two-rename fallback where links cannot be made; leftovers of killed builds are swept."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path

import pytest

from site_builder.files import durable
from site_builder.files.durable import write_data_files, write_files
from site_builder.site import switch


def _kill_at(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device (injected)")

    monkeypatch.setattr(os, name, fail)


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_a_write_that_fails_before_its_rename_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    target = tmp_path / "datapackage.yaml"
    target.write_bytes(b"the old descriptor\n")
    _kill_at(monkeypatch, step)
    with pytest.raises(OSError, match="injected"):
        write_data_files(tmp_path, {"reports/2011-10/a.csv": "x\n"}, "the new descriptor\n")
    monkeypatch.undo()
    assert target.read_bytes() == b"the old descriptor\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "datapackage.yaml"
    ]


def test_every_writer_replaces_files_through_the_durable_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records, sealed copies and forms (write_files) too: the old bytes survive an injected failure."""
    record = tmp_path / "bulletins" / "2011-09.yaml"
    record.parent.mkdir()
    record.write_bytes(b"status: draft\n")
    _kill_at(monkeypatch, "replace")
    with pytest.raises(OSError, match="injected"):
        write_files(tmp_path, {"bulletins/2011-09.yaml": b"status: published\n"})
    monkeypatch.undo()
    assert record.read_bytes() == b"status: draft\n"
    assert [p.name for p in record.parent.iterdir()] == ["2011-09.yaml"]
    assert write_files(tmp_path, {"bulletins/2011-09.yaml": b"status: published\n"}) == ["bulletins/2011-09.yaml"]
    assert record.read_bytes() == b"status: published\n"


def test_a_durable_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    script = tmp_path / "run.sh"
    script.write_bytes(b"#!/bin/sh\n")
    script.chmod(0o750)
    durable.write_atomic(script, b"#!/bin/sh\necho\n")
    assert script.stat().st_mode & 0o777 == 0o750


def _staging(site: Path, text: str) -> Path:
    staging = site.with_name(f"{switch.staging_prefix(site)}{text}")
    staging.mkdir()
    (staging / "index.html").write_text(text, encoding="utf-8")
    return staging


def test_the_site_is_a_link_switched_in_one_rename_and_old_builds_are_removed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()  # a site built before links were used: migrated
    (site / "index.html").write_text("real folder", encoding="utf-8")
    first = switch.switch_site(_staging(site, "one"), site)
    assert site.is_symlink()
    assert os.readlink(site) == first.name
    assert first.parent == tmp_path
    assert (site / "index.html").read_text(encoding="utf-8") == "one"
    second = switch.switch_site(_staging(site, "two"), site)
    assert (site / "index.html").read_text(encoding="utf-8") == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", second.name])
    again = switch.switch_site(_staging(site, "two"), site)  # the same bytes: nothing switched
    assert again == second
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", second.name])


@pytest.mark.parametrize("first", ["link", "real folder"])
def test_a_failed_link_switch_leaves_the_old_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str) -> None:
    site = tmp_path / "site"
    if first == "link":
        switch.switch_site(_staging(site, "one"), site)
    else:
        site.mkdir()
        (site / "index.html").write_text("one", encoding="utf-8")
    _kill_at(monkeypatch, "replace")
    with pytest.raises(OSError, match="injected"):
        switch.switch_site(_staging(site, "two"), site)
    monkeypatch.undo()
    assert (site / "index.html").read_text(encoding="utf-8") == "one"
    assert not [p for p in tmp_path.iterdir() if "-link-" in p.name]


@pytest.mark.parametrize(
    "error", [OSError(1314, "A required privilege is not held by the client"), NotImplementedError()]
)
def test_without_symbolic_links_the_site_is_a_folder_swapped_with_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    def no_links(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(os, "symlink", no_links)
    site = tmp_path / "site"
    switch.switch_site(_staging(site, "one"), site)
    switch.switch_site(_staging(site, "two"), site)
    assert not site.is_symlink()
    assert (site / "index.html").read_text(encoding="utf-8") == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_the_sweep_removes_what_killed_builds_left_and_nothing_else(tmp_path: Path) -> None:
    site = tmp_path / "site"
    switch.switch_site(_staging(site, "one"), site)
    current = os.readlink(site)
    leftovers = [".site-building-k1ll3d", ".site-old-0a1b2c3d", ".site-0123456789abcdef", ".site-link-00ff00ff"]
    for name in leftovers[:3]:
        (tmp_path / name).mkdir()
    os.symlink(current, tmp_path / leftovers[3])
    others = ["site-zaozhuang", ".site-zaozhuang-building-x", ".site-notes", "docs"]
    for name in others:
        (tmp_path / name).mkdir()
    assert sorted(switch.sweep(site)) == sorted(leftovers)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", current, *others])


def test_the_lock_makes_a_second_holder_wait(tmp_path: Path) -> None:
    lock = tmp_path / ".site-lock"
    order: list[str] = []
    with durable.locked(lock):
        other = threading.Thread(target=lambda: _hold(lock, order))
        other.start()
        other.join(timeout=0.5)  # it cannot get the lock while this block holds it
        order.append("first released")
    other.join()
    assert order == ["first released", "second held"]


def _hold(lock: Path, order: list[str]) -> None:
    with durable.locked(lock):
        order.append("second held")
