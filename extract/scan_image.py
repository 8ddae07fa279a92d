"""What a scanned page image shows besides its text, measured with numpy on a 2-D
``uint8`` gray array (0 black, 255 white), in pixels:

``deskew`` (the small rotation of a scan, from the sharpness of the rows' ink profile)
-> ``ruling_lines`` (long dark horizontal and vertical runs: table rules, returned as
pdfplumber-shaped line dicts in points so the grid and rules-only table stages work on
scans as on digital pages)
-> ``square_boxes`` (small square outlines: check boxes, each with the share of ink inside
it, which tells a ticked or filled box from an empty one).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from certreport.extract.scan_settings import ImageSettings


def ink(gray: np.ndarray, settings: ImageSettings = ImageSettings()) -> np.ndarray:
    return gray < settings.ink


def skew_angle(gray: np.ndarray, settings: ImageSettings = ImageSettings()) -> float:
    """The angle (degrees, counter-clockwise positive) by which the page's text rows are
    tilted: the shear that makes the rows' ink profile sharpest."""
    ys, xs = np.nonzero(ink(gray, settings))
    if len(xs) < 200:
        return 0.0
    if len(xs) > 400_000:  # plenty for the profile: every k-th ink pixel
        k = len(xs) // 400_000 + 1
        ys, xs = ys[::k], xs[::k]
    xs = xs - gray.shape[1] / 2
    best, best_score = 0.0, -1.0
    steps = int(round(settings.max_skew / settings.skew_step))
    for i in range(-steps, steps + 1):
        a = i * settings.skew_step
        rows = np.round(ys + xs * np.tan(np.radians(a))).astype(np.int64)
        rows -= rows.min()
        profile = np.bincount(rows).astype(np.float64)
        score = float(np.dot(profile, profile))
        if score > best_score:
            best, best_score = a, score
    return best


def deskew(gray: np.ndarray, settings: ImageSettings = ImageSettings()) -> tuple[np.ndarray, float]:
    """The page turned upright (white fill) and the angle it was turned by."""
    angle = skew_angle(gray, settings)
    if abs(angle) < settings.skew_step / 2:
        return gray, 0.0
    from PIL import Image

    img = Image.fromarray(gray).rotate(-angle, resample=Image.BICUBIC, fillcolor=255)
    return np.asarray(img), angle


def _runs(mask: np.ndarray, min_len: int, gap: int) -> list[tuple[int, int, int]]:
    """Runs of True along each row of ``mask`` at least ``min_len`` long, gaps up to
    ``gap`` bridged: (row, start, end) with ``end`` exclusive."""
    if gap > 0:  # bridge short gaps: a pixel with ink within ``gap`` on both sides
        left = np.zeros_like(mask)
        right = np.zeros_like(mask)
        for k in range(1, gap + 1):
            left[:, k:] |= mask[:, :-k]
            right[:, :-k] |= mask[:, k:]
        mask = mask | (left & right)
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    sr, sc = np.nonzero(d == 1)
    _, ec = np.nonzero(d == -1)
    keep = ec - sc >= min_len
    return list(zip(sr[keep].tolist(), sc[keep].tolist(), ec[keep].tolist()))


def _group(runs: list[tuple[int, int, int]], max_thick: int, min_overlap: int
           ) -> list[tuple[float, int, int, int]]:
    """Runs on neighbouring rows that overlap (by half the shorter, or by ``min_overlap``
    pixels: a long rule the deskew left a fraction of a degree off steps from one pixel
    row to the next), as one rule: (middle row, start, end, thickness); bands thicker
    than ``max_thick`` (filled areas, bold text) are dropped."""
    out: list[list[int]] = []  # [first row, last row, start, end]
    open_: list[list[int]] = []
    for r, s, e in sorted(runs):
        hit = None
        for g in open_:
            overlap = min(e, g[3]) - max(s, g[2])
            if g[1] >= r - 1 and (overlap > 0.5 * min(e - s, g[3] - g[2])
                                  or overlap >= min_overlap):
                hit = g
                break
        if hit is None:
            g = [r, r, s, e]
            out.append(g)
            open_.append(g)
        else:
            hit[1] = r
            hit[2], hit[3] = min(hit[2], s), max(hit[3], e)
        open_ = [g for g in open_ if g[1] >= r - 1]
    return [((g[0] + g[1]) / 2, g[2], g[3], g[1] - g[0] + 1) for g in out
            if g[1] - g[0] + 1 <= max_thick]


def _isolated(mask: np.ndarray, rule: tuple[float, int, int, int], share: float) -> bool:
    """Whether a horizontal run stands alone like a rule: just above and below it the
    page is blank along most of its length (strokes of a line of characters are not)."""
    y, s, e, thick = rule
    above = int(round(y - thick / 2)) - 2
    below = int(round(y + thick / 2)) + 2
    if above < 0 or below >= mask.shape[0]:
        return True
    near = mask[above, s:e] | mask[below, s:e]
    return float(near.mean()) <= share


def _line(x0: float, top: float, x1: float, bottom: float, page_h: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "y0": page_h - bottom, "y1": page_h - top, "width": x1 - x0,
            "height": bottom - top, "pts": [(x0, top), (x1, bottom)], "linewidth": 0.5,
            "stroke": True, "fill": False, "stroking_color": (0,), "non_stroking_color": (0,)}


def ruling_lines(gray: np.ndarray, dpi: float,
                 settings: ImageSettings = ImageSettings()) -> list[dict]:
    """Table rules found in the image as zero-width line dicts in points from the top left
    (horizontal ones with ``top == bottom``, vertical ones with ``x0 == x1``: the shape
    pdfplumber's edge stages expect)."""
    mask = ink(gray, settings)
    scale = 72.0 / dpi
    page_h = gray.shape[0] * scale
    thick = max(2, int(round(settings.max_rule_thickness * dpi)))
    join = max(2, int(round(settings.rule_join * dpi)))
    out = []
    rows = [r for r in _group(_runs(mask, int(settings.min_rule_h * dpi), settings.rule_gap),
                              thick, join) if _isolated(mask, r, settings.rule_company)]
    for y, s, e, _ in rows:
        yy = (y + 0.5) * scale
        out.append(_line(s * scale, yy, e * scale, yy, page_h))
    tol = settings.rule_touch * dpi

    def ends_on_rule(x: float, y: float) -> bool:
        return any(abs(ry - y) <= tol and s - tol <= x <= e + tol for ry, s, e, _ in rows)

    # a vertical run is a rule only where both its ends meet horizontal rules: strokes
    # of characters stacked over two lines of text do not
    def crosses_rule(x: float, top: float, bottom: float) -> bool:
        return any(top + tol < ry < bottom - tol and s - tol <= x <= e + tol
                   for ry, s, e, _ in rows)

    for x, s, e, _ in _group(_runs(mask.T, int(settings.min_rule_v * dpi), settings.rule_gap),
                             thick, join):
        if ends_on_rule(x, s) and ends_on_rule(x, e - 1) and (
                e - s >= settings.min_lone_rule_v * dpi or crosses_rule(x, s, e)):
            xx = (x + 0.5) * scale
            out.append(_line(xx, s * scale, xx, e * scale, page_h))
    return out


@dataclass(frozen=True)
class Box:
    """A small square outline in pixels and the share of ink inside its border."""

    x0: int
    top: int
    x1: int
    bottom: int
    fill: float

    def state(self, settings: ImageSettings = ImageSettings()) -> bool | None:
        """True ticked or filled, False empty, None unsure."""
        if self.fill <= settings.box_empty:
            return False
        if self.fill >= settings.box_checked:
            return True
        return None


def square_boxes(gray: np.ndarray, dpi: float,
                 settings: ImageSettings = ImageSettings()) -> list[Box]:
    """Small squares drawn in ink (check boxes), found as connected outlines of check-box
    size whose four sides are ink; filled squares (■) count as well."""
    import cv2

    mask = ink(gray, settings).astype(np.uint8)
    lo, hi = settings.box_min * dpi, settings.box_max * dpi
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        side = max(w, h)
        if not (lo <= w <= hi and lo <= h <= hi) or abs(w - h) > settings.box_square * side:
            continue
        sub = mask[y:y + h, x:x + w].astype(bool)
        t = max(2, int(round(side * 0.15)))
        border = np.concatenate([sub[:t].any(axis=0), sub[-t:].any(axis=0),
                                 sub[:, :t].any(axis=1), sub[:, -t:].any(axis=1)])
        if border.mean() < settings.box_outline:
            continue
        m = max(2, int(round(side * 0.22)))
        inner = mask[y + m:y + h - m, x + m:x + w - m]
        fill = float(inner.mean()) if inner.size else 0.0
        boxes.append(Box(int(x), int(y), int(x + w), int(y + h), round(fill, 3)))
    return boxes
