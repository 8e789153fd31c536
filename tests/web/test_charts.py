"""The charts drawn on the server: Dunbar's layers compared like with like, ticks clear of the numbers."""

from __future__ import annotations

from givefirst.web.charts import TIER_WIDTH, ledger_bars, tier_bars


def _tiers(counts: dict[str, int]) -> list[dict[str, object]]:
    layers = {"inner": 5, "close": 15, "active": 50, "acquaintance": 150}
    out, running = [], 0
    for tier in ("inner", "close", "active", "acquaintance", "dormant"):
        running += counts[tier] if tier != "dormant" else 0
        out.append({"tier": tier, "count": counts[tier], "cumulative": running if tier != "dormant" else None,
                    "dunbar_layer": layers.get(tier)})  # fmt: skip
    return out


def test_the_dunbar_chart_compares_cumulative_counts_with_cumulative_layers() -> None:
    chart = tier_bars(_tiers({"inner": 10, "close": 11, "active": 30, "acquaintance": 100, "dormant": 40}))
    close_bar = chart.bars[1]
    assert "21 people" in close_bar.title  # inner and close together, as Dunbar's 15 include the 5
    texts = [label.text for label in chart.labels]
    assert "21" in texts and "11" not in texts and "≈15" in texts
    close_tick = chart.lines[1]
    # the same scale: the bar (21) reaches past the tick (15), by their ratio
    start = close_bar.x
    assert abs(close_bar.w / (close_tick[0] - start) - 21 / 15) < 1e-9
    assert len(chart.bars) == 4 and all("dormant" not in b.css for b in chart.bars)  # no layer for dormant ties
    assert ("dunbar", "Dunbar's layer (≈5, 15, 50, 150)") in chart.legend and len(chart.legend) == 2


def test_no_tick_or_bar_covers_a_number() -> None:
    chart = tier_bars(_tiers({"inner": 400, "close": 3, "active": 0, "acquaintance": 0, "dormant": 0}))
    numbers = [label for label in chart.labels if label.text.isdigit()]
    layers = [label for label in chart.labels if label.text.startswith("≈")]
    bar_start = min(b.x for b in chart.bars)
    assert all(label.x <= bar_start for label in numbers)  # right-aligned just before the bars begin
    widest = max(b.x + b.w for b in chart.bars)
    assert all(label.x == TIER_WIDTH - 4 for label in layers) and widest < TIER_WIDTH - 60  # a column of their own
    assert all(bar_start <= x1 <= widest for x1, *_ in chart.lines)


def test_month_labels_are_words() -> None:
    months = [{"month": m, "gave": 1, "asked": 0, "received": 0} for m in ("2025-12", "2026-01", "2026-02")]
    texts = [label.text for label in ledger_bars(months).labels]
    assert texts[:3] == ["Dec", "Jan 26", "Feb"]  # a January right after the first bar carries the year
    months = [{"month": m, "gave": 0, "asked": 0, "received": 0} for m in ("2026-03", "2026-04")]
    assert [label.text for label in ledger_bars(months).labels][:2] == ["Mar 26", "Apr"]
