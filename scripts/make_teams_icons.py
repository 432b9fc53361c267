"""Draw the Teams app icons (teams/color.png 192x192, teams/outline.png 32x32) without an image library.

Run once when the design changes: python scripts/make_teams_icons.py
The color icon is a white speech bubble with three lines of text on City blue; the outline
icon is the same bubble drawn in white on a transparent background, as Teams requires.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

BLUE = (31, 86, 133, 255)
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
OUT = Path(__file__).resolve().parent.parent / "teams"


def png(pixels: list[list[tuple[int, int, int, int]]]) -> bytes:
    height, width = len(pixels), len(pixels[0])
    raw = b"".join(b"\x00" + b"".join(struct.pack("4B", *p) for p in row) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def in_bubble(x: float, y: float, size: int) -> bool:
    """A rounded rectangle (the upper three quarters) with a tail at the lower left."""
    s = size
    left, right, top, bottom, r = 0.16 * s, 0.84 * s, 0.18 * s, 0.68 * s, 0.1 * s
    cx = min(max(x, left + r), right - r)
    cy = min(max(y, top + r), bottom - r)
    if left <= x <= right and top <= y <= bottom and (x - cx) ** 2 + (y - cy) ** 2 <= r * r:
        return True
    # the tail: a triangle below the bubble
    tx0, tx1, ty0, ty1 = 0.28 * s, 0.46 * s, bottom - 1, 0.84 * s
    if ty0 <= y <= ty1:
        t = (y - ty0) / (ty1 - ty0)
        return tx0 <= x <= tx1 - t * (tx1 - tx0)
    return False


def color_icon(size: int = 192) -> list[list[tuple[int, int, int, int]]]:
    rows = []
    lines = [(0.30, 0.70, 0.32), (0.30, 0.70, 0.43), (0.30, 0.56, 0.54)]  # x0, x1, y of each text line
    for y in range(size):
        row = []
        for x in range(size):
            px, py = x + 0.5, y + 0.5
            pixel = BLUE
            if in_bubble(px, py, size):
                pixel = WHITE
                for x0, x1, ly in lines:
                    if x0 * size <= px <= x1 * size and abs(py - ly * size) <= 0.028 * size:
                        pixel = BLUE
            row.append(pixel)
        rows.append(row)
    return rows


def outline_icon(size: int = 32) -> list[list[tuple[int, int, int, int]]]:
    inside = [[in_bubble(x + 0.5, y + 0.5, size) for x in range(size)] for y in range(size)]
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            edge = inside[y][x] and any(
                not (0 <= y + dy < size and 0 <= x + dx < size and inside[y + dy][x + dx])
                for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2) if abs(dx) + abs(dy) <= 2
            )
            row.append(WHITE if edge else CLEAR)
        rows.append(row)
    return rows


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    (OUT / "color.png").write_bytes(png(color_icon()))
    (OUT / "outline.png").write_bytes(png(outline_icon()))
    print(f"wrote {OUT / 'color.png'} and {OUT / 'outline.png'}")
