"""What one district × indicator cell shows, whatever page it is on: its figure, its light and its
status, the same way on the bulletin, the district and indicator pages, the rankings and the downloads.

A progress row's `status` (compute/progress.py) is one of reported, carried (the last due month's
figure, shown with a mark 沿用X月), missing (未报), not_due (未到报送期: before the indicator's first due
month) and not_applicable (不适用: the district has no such task). The last two have the light "na":
they are left out of the score, the lights and compliance, and shown apart from the grey 未报.
A lower-is-better indicator's completion is its 达标程度 (1 = exactly at the ceiling); a city rule
`none` has no city figure (— 不汇总).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from site_builder.compute.progress import city_rule
from site_builder.model import Indicator
from site_builder.render.base import light_badge, number, percent
from site_builder.render.labels import t

STATUSES = ("reported", "carried", "missing", "not_due", "not_applicable")
NEUTRAL = ("not_due", "not_applicable")  # no light: left out of the score, lights and compliance
NA = "na"  # the light of a neutral cell


def status_of(row: Mapping[str, Any] | None) -> str:
    """The cell's status; rows computed before statuses existed are reported or missing."""
    if row is None:
        return "missing"
    status = row.get("status")
    if status:
        return str(status)
    return "missing" if row.get("missing") else "reported"


def neutral(row: Mapping[str, Any] | None) -> bool:
    """Not due or not applicable: a cell with no figure and no light."""
    return status_of(row) in NEUTRAL


def carried_month(row: Mapping[str, Any] | None) -> int | None:
    """The month (1–12) whose figure a carried cell shows, or None."""
    if row is None or status_of(row) != "carried":
        return None
    source = row.get("carried_from")
    if isinstance(source, int):
        return source
    if isinstance(source, str) and len(source) >= 7:
        return int(source[5:7])
    return None


def carried_mark(row: Mapping[str, Any] | None) -> Markup:
    """沿用X月 as a superscript after a carried figure; nothing for any other cell."""
    month = carried_month(row)
    if month is None:
        return Markup("")
    note = escape(t("carried_note").format(month=month))
    return Markup(f'<sup class="carried-mark" title="{note}">{escape(t("carried").format(month=month))}</sup>')


def status_word(status: str) -> str:
    """不适用, 未到报送期, 未报, 沿用, 已报."""
    return t(f"status_{status}")


def status_text(row: Mapping[str, Any] | None) -> Markup:
    """A neutral cell's word in place of its figure (不适用, 未到报送期)."""
    status = status_of(row)
    return Markup(f'<span class="status-na status-{escape(status)}">{escape(status_word(status))}</span>')


def neutral_badge(word: str) -> Markup:
    """The light place of a cell without a light: a dash and its word, styled apart from grey 未报."""
    return Markup(
        f'<span class="light light-na" title="{escape(word)}">'
        f'<span aria-hidden="true">–</span><span class="light-text">{escape(word)}</span></span>'
    )


def cell_light(row: Mapping[str, Any] | None) -> Markup:
    """The cell's light, or for a neutral cell its status in the light's place."""
    if row is None:
        return light_badge("grey")
    if neutral(row):
        return neutral_badge(status_word(status_of(row)))
    return light_badge(str(row.get("light") or "grey"))


def lower(indicator: Indicator) -> bool:
    return indicator.direction == "lower"


def completion_title(indicator: Indicator) -> str:
    """完成率, or 达标程度 for a lower-is-better indicator (its target is a ceiling)."""
    return t("attainment") if lower(indicator) else t("completion")


def actual_title(indicator: Indicator) -> str:
    """累计完成, or 本期值 for a level (a value for the period, which does not add up)."""
    return t("level_value") if indicator.kind == "level" else t("actual")


def completion_text(value: object, indicator: Indicator) -> Markup:
    """A completion as a percentage; a lower-is-better indicator's is marked as its 达标程度."""
    shown = escape(percent(value))
    if not lower(indicator) or shown == "—":
        return Markup(shown)
    title = escape(t("attainment_note"))
    return Markup(f'<span class="attainment" title="{title}">{escape(t("attainment"))} {shown}</span>')


def value_text(value: object, indicator: Indicator) -> str:
    """A figure with its unit (97.71%, 377人, -3.5%); — when there is none."""
    if value is None:
        return "—"
    return f"{number(value)}{indicator.unit}"


def city_summed(indicator: Indicator) -> bool:
    """Whether the indicator has a city figure (its city rule is not `none`)."""
    return city_rule(indicator) != "none"


def not_summed() -> Markup:
    """— 不汇总: the place of a city figure that is not made."""
    return Markup(f'—<span class="city-none">{escape(t("city_none"))}</span>')


def helpers() -> dict[str, object]:
    """The functions templates call by name (`SiteContext.render` passes them to every template)."""
    return {
        "cell_status": status_of,
        "cell_neutral": neutral,
        "cell_text": status_text,
        "cell_mark": carried_mark,
        "cell_light": cell_light,
        "completion_title": completion_title,
        "actual_title": actual_title,
        "completion_text": completion_text,
        "city_summed": city_summed,
        "not_summed": not_summed,
        "neutral_badge": neutral_badge,
        "cell_notes": notes,
    }


def notes(
    rows: Iterable[Mapping[str, Any] | None], indicators: Iterable[Indicator], *, city: bool = False
) -> list[str]:
    """The explanations a table needs below it: of 沿用X月, of 不适用 and 未到报送期, of 达标程度 and (for a
    table with city figures) of 不汇总; none for a table without such cells."""
    statuses = {status_of(row) for row in rows if row is not None}
    chosen = list(indicators)
    found = []
    if "carried" in statuses:
        found.append(t("carried_explained"))
    if statuses & set(NEUTRAL):
        found.append(t("neutral_explained"))
    if any(lower(i) for i in chosen):
        found.append(t("attainment_note") + "。")
    if city and not all(city_summed(i) for i in chosen):
        found.append(t("city_none_explained"))
    return found
