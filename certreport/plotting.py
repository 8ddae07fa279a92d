"""Matplotlib with Chinese labels, and the two charts the notebooks share (heat map, radar).

:func:`use_cjk_font` finds a font that has CJK glyphs at run time and makes it matplotlib's
default; without one, Chinese text is drawn as empty boxes, so it warns
(:class:`CJKFontWarning`) and says what to install. The search, in order:

1. ``CERTREPORT_CJK_FONT``: a family name or the path of a font file;
2. the families of :data:`CJK_FAMILIES` that matplotlib's font list knows (Noto Sans/Serif
   CJK, Source Han, WenQuanYi, SimHei, Microsoft YaHei, PingFang …);
3. any other known family whose name looks CJK (:data:`CJK_NAME_HINT`);
4. font files on the system with such a name that matplotlib's cached list predates
   (fonts installed after matplotlib built its cache), added to the list.

Each candidate must actually have the glyphs of :data:`SAMPLE_TEXT`.
"""
from __future__ import annotations

import math
import os
import re
import warnings
from pathlib import Path
from typing import Any, Sequence

import matplotlib
from matplotlib import font_manager

ENV_FONT = "CERTREPORT_CJK_FONT"
SAMPLE_TEXT = "审查报告得分星级"
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK HK",
    "Noto Sans CJK KR", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "Source Han Sans", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei",
    "Microsoft YaHei", "PingFang SC", "Heiti SC", "STHeiti", "Hiragino Sans GB",
    "Sarasa Gothic SC", "Noto Serif CJK SC", "Noto Serif CJK TC", "Noto Serif CJK JP",
    "Source Han Serif SC", "Source Han Serif CN", "SimSun", "AR PL UMing CN",
    "AR PL UKai CN", "Droid Sans Fallback",
)
CJK_NAME_HINT = re.compile(
    r"CJK|Source ?Han|SourceHan|WenQuanYi|wqy|SimHei|SimSun|YaHei|msyh|PingFang|Heiti|"
    r"STSong|STHeiti|Hiragino Sans GB|Sarasa|Droid ?Sans ?Fallback|AR ?PL|uming|ukai|"
    r"Noto ?Sans ?(SC|TC|HK|JP)|Noto ?Serif ?(SC|TC|HK|JP)", re.I)
INSTALL_HINT = ("install one, e.g. `apt-get install fonts-noto-cjk` (Debian/Ubuntu), "
                "`dnf install google-noto-sans-cjk-fonts` (Fedora), or set "
                f"{ENV_FONT} to a font file")


class CJKFontWarning(UserWarning):
    """No font with Chinese glyphs: labels will show as boxes."""


def has_glyphs(path: str | Path, text: str = SAMPLE_TEXT) -> bool:
    """Whether the font file (first face of a collection) maps every character of ``text``."""
    try:
        font = matplotlib.ft2font.FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(c)) for c in text)


def _known() -> dict[str, str]:
    """Family name -> file for every font matplotlib knows (regular weight preferred)."""
    out: dict[str, tuple[int, str]] = {}
    for f in font_manager.fontManager.ttflist:
        weight = f.weight if isinstance(f.weight, int) else 400
        rank = abs(weight - 400) + (0 if f.style == "normal" else 1000)
        if f.name not in out or rank < out[f.name][0]:
            out[f.name] = (rank, f.fname)
    return {name: path for name, (_, path) in out.items()}


def _add(path: str) -> str | None:
    """Add a font file to matplotlib's list (unless there already); the family it gives,
    preferring :data:`CJK_FAMILIES` among the faces of a collection (.ttc)."""
    def faces() -> set[str]:
        real = os.path.realpath(path)
        return {f.name for f in font_manager.fontManager.ttflist
                if os.path.realpath(f.fname) == real}

    if not faces():
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            return None
    names = faces()
    return next((n for n in CJK_FAMILIES if n in names), min(names, default=None))


def find_cjk_font() -> str | None:
    """The family name of a font with CJK glyphs, or None (see the module doc for the
    order of the search)."""
    wanted = os.environ.get(ENV_FONT, "").strip()
    known = _known()
    if wanted:
        if Path(wanted).is_file():
            name = _add(wanted)
            if name and has_glyphs(wanted):
                return name
        elif wanted in known and has_glyphs(known[wanted]):
            return wanted
        warnings.warn(f"{ENV_FONT}={wanted!r}: no such font with CJK glyphs; searching others",
                      CJKFontWarning, stacklevel=2)
    for name in CJK_FAMILIES:
        if name in known and has_glyphs(known[name]):
            return name
    for name in sorted(known):
        if CJK_NAME_HINT.search(name) and has_glyphs(known[name]):
            return name
    files = set(known.values())
    for path in sorted(font_manager.findSystemFonts()):
        if path not in files and CJK_NAME_HINT.search(Path(path).name) and has_glyphs(path):
            name = _add(path)
            if name:
                return name
    return None


def use_cjk_font(*, warn: bool = True) -> str | None:
    """Make a CJK font matplotlib's default sans-serif (and draw minus signs as hyphens,
    which CJK fonts may lack); returns its family name, or None after a
    :class:`CJKFontWarning` when there is none."""
    name = find_cjk_font()
    if name is None:
        if warn:
            warnings.warn("no font with Chinese glyphs found: Chinese labels will show as "
                          f"boxes; {INSTALL_HINT}", CJKFontWarning, stacklevel=2)
        return None
    rc = matplotlib.rcParams
    rc["font.family"] = "sans-serif"
    rc["font.sans-serif"] = [name] + [f for f in rc["font.sans-serif"] if f != name]
    rc["axes.unicode_minus"] = False
    return name


# -- charts shared by the notebooks

def heatmap(ax: Any, frame: Any, *, vmin: float = 0, vmax: float = 100, cmap: str = "RdYlGn",
            label: str = "score %", missing: str = "#d9d9d9") -> Any:
    """A DataFrame as a heat map (rows × columns, labelled), nulls in grey; returns the
    image (for a colour bar)."""
    import numpy as np

    cm = matplotlib.colormaps[cmap].with_extremes(bad=missing)
    data = np.ma.masked_invalid(frame.to_numpy(dtype=float))
    im = ax.imshow(data, aspect="auto", cmap=cm, vmin=vmin, vmax=vmax, interpolation="nearest")
    ax.set_yticks(range(frame.shape[0]), [str(i) for i in frame.index])
    ax.set_xticks(range(frame.shape[1]), [str(c) for c in frame.columns], rotation=90)
    ax.figure.colorbar(im, ax=ax, label=label, shrink=0.6)
    return im


def radar(ax: Any, labels: Sequence[str], values: Sequence[float], *, top: float = 1.0,
          color: str = "tab:blue", label: str | None = None, fill: bool = True,
          title: str | None = None) -> None:
    """A radar (spider) chart on a polar axes: one spoke per label, values from 0 to ``top``;
    call again on the same axes to overlay another series."""
    n = len(labels)
    if n < 3:
        raise ValueError(f"a radar chart needs at least 3 spokes, got {n}")
    angles = [2 * math.pi * i / n for i in range(n)]
    closed = list(values) + [values[0]]
    ax.plot(angles + angles[:1], closed, color=color, linewidth=1.5, label=label,
            linestyle="-" if fill else "--")
    if fill:
        ax.fill(angles + angles[:1], closed, color=color, alpha=0.25)
    ax.set_xticks(angles, list(labels))
    ax.set_ylim(0, top)
    ax.set_rlabel_position(180 / n)  # radial labels between the first two spokes
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    if title:
        ax.set_title(title, pad=18)


def subsection_shares(rows: Any, by: Sequence[str] = ()) -> Any:
    """Computed score / maximum per subsection of ``clauses`` rows (a DataFrame), for a radar
    chart: subsections worth 0 points and those whose clauses are all not applicable are
    left out (drawn at 0 they would read as points lost). ``by`` adds grouping columns in
    front (e.g. ``["report_id"]`` for one series per report)."""
    keys = list(by) + ["subsection_no"]
    g = rows.assign(_applicable=~rows["not_applicable"].fillna(False).astype(bool)).groupby(
        keys).agg(score=("computed_score", "sum"), top=("weight", "sum"),
                  applicable=("_applicable", "any"))
    g = g[(g["top"] > 0) & g["applicable"]]
    share = g["score"] / g["top"]
    if by:
        return share
    return share.sort_index(key=lambda s: s.map(
        lambda n: tuple(int(p) for p in str(n).split(".") if p.isdigit())))
