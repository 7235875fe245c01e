"""One entry of the finding catalog: a code's severity, and its message and hint in Chinese and English."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Entry:
    severity: Literal["error", "warning"]
    zh: tuple[str, str]  # message, hint
    en: tuple[str, str]


def error(zh_msg: str, zh_hint: str, en_msg: str, en_hint: str) -> Entry:
    return Entry("error", (zh_msg, zh_hint), (en_msg, en_hint))


def warning(zh_msg: str, zh_hint: str, en_msg: str, en_hint: str) -> Entry:
    return Entry("warning", (zh_msg, zh_hint), (en_msg, en_hint))
