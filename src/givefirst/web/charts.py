"""Charts drawn on the server as SVG geometry (bars with labels); the templates turn it into <svg> markup."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, BASE = 640, 220, 180
SERIES = (("gave", "gave"), ("asked", "asked"), ("received", "received"))


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: tuple[Bar, ...]
    labels: tuple[Label, ...]
    lines: tuple[tuple[float, float, float, float, str], ...] = ()
    legend: tuple[tuple[str, str], ...] = ()


def ledger_bars(months: list[dict[str, Any]]) -> Chart:
    """Return grouped bars per month: gives done, asks made, help received."""
    return grouped_bars(months, tuple((key, css, key) for key, css in SERIES))


def grouped_bars(months: list[dict[str, Any]], series: tuple[tuple[str, str, str], ...]) -> Chart:
    """Return grouped bars per month, one per series (its key in each month's dict, CSS class and label)."""
    top = max([1] + [int(m[k]) for m in months for k, _, _ in series])
    slot = (WIDTH - 40) / max(1, len(months))
    bar_w = slot / (len(series) + 1)
    bars, labels = [], []
    for n, month in enumerate(months):
        x0 = 30 + n * slot
        for s, (key, css, label) in enumerate(series):
            value = int(month[key])
            h = (BASE - 20) * value / top
            bars.append(Bar(x0 + s * bar_w, BASE - h, bar_w - 1, h, css, f"{month['month']}: {value} {label}"))
        # the year on the first bar (unless a January follows at once, which carries it) and on each January
        year = n == 0 and not (len(months) > 1 and str(months[1]["month"]).endswith("-01"))
        labels.append(Label(x0 + len(series) / 2 * bar_w, BASE + 18, _month_label(str(month["month"]), year)))
    labels.append(Label(24, 24, str(top), "end"))
    lines = ((28.0, float(BASE), float(WIDTH - 8), float(BASE), "axis"), (28.0, 20.0, float(WIDTH - 8), 20.0, "grid"))
    return Chart(WIDTH, HEIGHT, tuple(bars), tuple(labels), lines, tuple((css, label) for _, css, label in series))


def _month_label(month: str, first: bool) -> str:
    """Return "Mar" for 2026-03, with the year on the first bar and on each January ("Jan 26")."""
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    year, _, number = month.partition("-")
    if not number.isdigit() or not 1 <= int(number) <= 12:
        return month
    name = names[int(number) - 1]
    return f"{name} {year[2:]}" if first or name == "Jan" else name


LAYERED = ("inner", "close", "active", "acquaintance")  # the tiers Dunbar's layers (5, 15, 50, 150) stand for
TIER_WIDTH, TIER_ROW = 500, 40  # narrow and tall enough to read on a phone (the SVG scales to the screen)


def tier_bars(tiers: list[dict[str, Any]]) -> Chart:
    """Return your layers against Dunbar's, like with like: both cumulative.

    Dunbar's layers nest (the 15 include the 5), so each row is a cumulative count — inner; inner and close; … —
    drawn as a bar, with Dunbar's size for that layer as a tick on the same scale. The bar's number sits inside
    the row's left column and the layer's size in a column of its own on the right: no tick covers a number.
    Dormant ties belong to no layer and are left to the text beside the chart.
    """
    rows = [t for t in tiers if t["tier"] in LAYERED]
    label_w, number_w, layer_w = 150, 48, 64
    span = TIER_WIDTH - label_w - number_w - layer_w
    top = max([1] + [int(t["cumulative"] or 0) for t in rows] + [int(t["dunbar_layer"] or 0) for t in rows])
    bars, labels, lines = [], [], []
    for n, t in enumerate(rows):
        y = 8 + n * TIER_ROW
        count = int(t["cumulative"] or 0)
        w = span * count / top
        name = t["tier"] if n == 0 else f"+ {t['tier']}"
        bars.append(Bar(label_w + number_w, y, max(w, 1), TIER_ROW - 14, f"tier-{t['tier']}",
                        f"{name}: {count} people in this layer and the closer ones"))  # fmt: skip
        labels.append(Label(label_w - 6, y + 19, name, "end"))
        labels.append(Label(label_w + number_w - 6, y + 19, str(count), "end"))
        if t["dunbar_layer"]:
            x = label_w + number_w + span * int(t["dunbar_layer"]) / top
            lines.append((x, y - 3, x, y + TIER_ROW - 9, "dunbar"))
            labels.append(Label(TIER_WIDTH - 4, y + 19, f"≈{t['dunbar_layer']}", "end"))
    height = 16 + TIER_ROW * len(rows)
    legend = (
        ("tier-close", "your people, this layer and the closer ones"),
        ("dunbar", "Dunbar's layer (≈5, 15, 50, 150)"),
    )
    return Chart(TIER_WIDTH, height, tuple(bars), tuple(labels), tuple(lines), legend)
