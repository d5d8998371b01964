"""Draw the Teams app icons: ``color.png`` (192x192) and ``outline.png`` (32x32).

Two overlapping speech bubbles: a conversation, and a second voice (the supervisor)
behind the first. ``color.png`` is white on the app's accent colour; ``outline.png`` is
white on transparent, every pixel either opaque white or fully transparent, as Teams
requires. The output is the same every run. Run from the repository root:

    .venv/bin/python teams/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
ACCENT = (0x2B, 0x5F, 0x75, 255)  # the manifest's accentColor
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)

# Shapes on a 32x32 grid, scaled for each icon: (left, top, right, bottom) boxes.
FRONT_BUBBLE = (5, 9, 22, 21)
FRONT_TAIL = [(8, 20), (8, 25), (13, 20)]
BACK_BUBBLE = (12, 5, 27, 15)
BACK_TAIL = [(23, 14), (24, 18), (19, 14)]
DOTS = [(9.5, 15), (13.5, 15), (17.5, 15)]


def _scaled(box: tuple[float, ...], k: float) -> tuple[float, ...]:
    return tuple(v * k for v in box)


def draw_color(size: int = 192) -> Image.Image:
    """White bubbles on the accent colour; drawn 4x larger and reduced for smooth edges."""
    big = size * 4
    k = big / 32
    image = Image.new("RGBA", (big, big), ACCENT)
    draw = ImageDraw.Draw(image)
    stroke = round(1.2 * k)
    # The back bubble as an outline, the front one filled, with three accent dots.
    draw.rounded_rectangle(_scaled(BACK_BUBBLE, k), radius=4 * k, outline=WHITE, width=stroke)
    draw.polygon([(x * k, y * k) for x, y in BACK_TAIL], fill=WHITE)
    draw.rounded_rectangle(
        _scaled(
            (
                FRONT_BUBBLE[0] - 1.2,
                FRONT_BUBBLE[1] - 1.2,
                FRONT_BUBBLE[2] + 1.2,
                FRONT_BUBBLE[3] + 1.2,
            ),
            k,
        ),
        radius=5.2 * k,
        fill=ACCENT,
    )
    draw.rounded_rectangle(_scaled(FRONT_BUBBLE, k), radius=4 * k, fill=WHITE)
    draw.polygon([(x * k, y * k) for x, y in FRONT_TAIL], fill=WHITE)
    r = 1.2 * k
    for x, y in DOTS:
        draw.ellipse((x * k - r, y * k - r, x * k + r, y * k + r), fill=ACCENT)
    return image.resize((size, size), Image.LANCZOS)


def draw_outline(size: int = 32) -> Image.Image:
    """The same bubbles as white outlines on transparent, pixel for pixel (no blending)."""
    k = size / 32
    image = Image.new("RGBA", (size, size), CLEAR)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(_scaled(BACK_BUBBLE, k), radius=4 * k, outline=WHITE, width=2)
    draw.polygon([(x * k, y * k) for x, y in BACK_TAIL], fill=WHITE)
    # Clear the part of the back bubble that the front bubble covers.
    draw.rounded_rectangle(
        _scaled(
            (FRONT_BUBBLE[0] - 2, FRONT_BUBBLE[1] - 2, FRONT_BUBBLE[2] + 2, FRONT_BUBBLE[3] + 2), k
        ),
        radius=5 * k,
        fill=CLEAR,
    )
    draw.rounded_rectangle(_scaled(FRONT_BUBBLE, k), radius=4 * k, outline=WHITE, width=2)
    draw.polygon([(x * k, y * k) for x, y in FRONT_TAIL], fill=WHITE)
    for x, y in DOTS:
        draw.rectangle((x * k - 1, y * k - 1, x * k, y * k), fill=WHITE)
    return image


def main(out_dir: Path = HERE) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    draw_color().save(out_dir / "color.png", optimize=True)
    draw_outline().save(out_dir / "outline.png", optimize=True)
    print(f"Wrote {out_dir / 'color.png'} and {out_dir / 'outline.png'}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
