"""Folders computed once per test process (`compute_folder` on TODAY) and shared by the tests that only
read the result: the shipped examples and the fixtures. A test that changes data computes its own copy."""

from __future__ import annotations

import functools
from pathlib import Path

from site_builder.commands.check import compute_folder
from site_builder.compute import Computed
from tests.conftest import TODAY


@functools.cache
def computed(folder: Path) -> Computed:
    """`compute_folder(folder, TODAY)`, once per process for each folder; read it, never change it."""
    return compute_folder(folder, TODAY)
