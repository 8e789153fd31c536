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
    top = max([1] + [int(m[k]) for m in months for k, _ in SERIES])
    slot = (WIDTH - 40) / max(1, len(months))
    bar_w = slot / 4
    bars, labels = [], []
    for n, month in enumerate(months):
        x0 = 30 + n * slot
        for s, (key, css) in enumerate(SERIES):
            value = int(month[key])
            h = (BASE - 20) * value / top
            bars.append(Bar(x0 + s * bar_w, BASE - h, bar_w - 1, h, css, f"{month['month']}: {value} {key}"))
        labels.append(Label(x0 + 1.5 * bar_w, BASE + 16, str(month["month"])[2:]))
    labels.append(Label(24, 24, str(top), "end"))
    lines = ((28.0, float(BASE), float(WIDTH - 8), float(BASE), "axis"), (28.0, 20.0, float(WIDTH - 8), 20.0, "grid"))
    return Chart(WIDTH, HEIGHT, tuple(bars), tuple(labels), lines, tuple((css, key) for key, css in SERIES))


def tier_bars(tiers: list[dict[str, Any]]) -> Chart:
    """Return one horizontal bar per tier, with Dunbar's cumulative layer as a tick where there is one."""
    row = 34
    height = 20 + row * len(tiers)
    top = max([1] + [int(t["count"]) for t in tiers] + [int(t["dunbar_layer"] or 0) for t in tiers])
    span = WIDTH - 200
    bars, labels, lines = [], [], []
    for n, t in enumerate(tiers):
        y = 10 + n * row
        w = span * int(t["count"]) / top
        bars.append(Bar(120, y, max(w, 1), row - 10, f"tier-{t['tier']}", f"{t['tier']}: {t['count']} people"))
        labels.append(Label(112, y + 17, str(t["tier"]), "end"))
        labels.append(Label(126 + w, y + 17, str(t["count"]), "start"))
        if t["dunbar_layer"]:
            # Dunbar's layers are cumulative: the tick sits at the layer's size against the tiers so far.
            x = 120 + span * int(t["dunbar_layer"]) / top
            lines.append((x, y - 2, x, y + row - 8, "dunbar"))
    return Chart(WIDTH, height, tuple(bars), tuple(labels), tuple(lines), (("dunbar", "Dunbar layer"),))
