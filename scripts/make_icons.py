"""Draw the app's icons (a gift, white on the brand green) into src/givefirst/web/static/icons/.

Run once after changing the design: `python scripts/make_icons.py` (needs Pillow, a development tool only; the
PNGs are committed). "maskable" keeps the drawing inside the safe circle (80%) that launchers crop to.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN, WHITE = (31, 111, 92, 255), (255, 255, 255, 255)
OUT = Path(__file__).resolve().parents[1] / "src" / "givefirst" / "web" / "static" / "icons"


def draw(size: int, *, maskable: bool) -> Image.Image:
    image = Image.new("RGBA", (size, size), GREEN if maskable else (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if not maskable:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 5, fill=GREEN)
    s = size * (0.62 if maskable else 0.72) / 100  # the gift is drawn on a 100-unit grid, centred

    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        off = (size - 100 * s) / 2
        return (off + x0 * s, off + y0 * s, off + x1 * s, off + y1 * s)

    pen.rectangle(box(14, 40, 86, 54), fill=WHITE)  # the lid
    pen.rectangle(box(20, 58, 80, 96), fill=WHITE)  # the box
    pen.rectangle(box(45, 40, 55, 96), fill=GREEN)  # the ribbon
    pen.ellipse(box(24, 14, 50, 38), outline=WHITE, width=max(2, round(7 * s)))  # the bow
    pen.ellipse(box(50, 14, 76, 38), outline=WHITE, width=max(2, round(7 * s)))
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw(size, maskable=False).save(OUT / f"icon-{size}.png", optimize=True)
    draw(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
