"""certreport.plotting: a CJK font found at run time (or a clear warning), and the shared
heat map and radar charts."""
from __future__ import annotations

import warnings

import pytest

matplotlib = pytest.importorskip("matplotlib", reason="matplotlib is in the test extra")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from certreport import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_rc():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def _draw_chinese() -> list[str]:
    """Draw Chinese text; the messages of the warnings matplotlib gave."""
    fig, ax = plt.subplots()
    ax.set_title("审查报告 各单项得分率 −5")
    ax.bar(["售后服务体系", "商品服务"], [1, 2])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    return [str(w.message) for w in caught]


@pytest.mark.skipif(plotting.find_cjk_font() is None,
                    reason="no CJK font on this machine (apt-get install fonts-noto-cjk)")
def test_found_font_draws_chinese_without_missing_glyphs():
    name = plotting.use_cjk_font()
    assert name and matplotlib.rcParams["font.sans-serif"][0] == name
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    path = font_manager.findfont(font_manager.FontProperties(family=name))
    assert plotting.has_glyphs(path)
    assert not [m for m in _draw_chinese() if "missing from font" in m]


def test_without_cjk_font_it_warns_and_says_what_to_install(monkeypatch):
    monkeypatch.delenv(plotting.ENV_FONT, raising=False)
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    before = list(matplotlib.rcParams["font.sans-serif"])
    with pytest.warns(plotting.CJKFontWarning, match=r"apt-get install fonts-noto-cjk"):
        assert plotting.use_cjk_font() is None
    assert list(matplotlib.rcParams["font.sans-serif"]) == before  # left as it was
    with warnings.catch_warnings():
        warnings.simplefilter("error", plotting.CJKFontWarning)
        assert plotting.use_cjk_font(warn=False) is None


def test_font_file_named_by_the_environment(monkeypatch):
    name = plotting.find_cjk_font()
    if name is None:
        pytest.skip("no CJK font on this machine")
    path = font_manager.findfont(font_manager.FontProperties(family=name))
    monkeypatch.setenv(plotting.ENV_FONT, path)
    assert plotting.find_cjk_font() == name  # of a collection (.ttc), the preferred face
    monkeypatch.setenv(plotting.ENV_FONT, "No Such Font 42")
    with pytest.warns(plotting.CJKFontWarning, match="No Such Font 42"):
        assert plotting.find_cjk_font() == name  # falls back to the search


def test_a_latin_only_font_is_not_taken_for_cjk():
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    assert not plotting.has_glyphs(dejavu)
    assert plotting.has_glyphs(dejavu, "score")
    assert not plotting.has_glyphs("/nonexistent/font.ttf")


def test_heatmap_and_radar_draw():
    frame = pd.DataFrame({"r1": [100.0, float("nan"), 70.0], "r2": [50.0, 80.0, 0.0]},
                         index=["A1", "A2", "A3"])
    fig, ax = plt.subplots()
    im = plotting.heatmap(ax, frame)
    assert im.get_array().mask.sum() == 1  # the not-applicable cell, shown grey
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A1", "A2", "A3"]
    fig = plt.figure()
    ax = fig.add_subplot(projection="polar")
    plotting.radar(ax, ["a", "b", "c", "d"], [0.5, 1.0, 0.25, 0.75], label="x")
    (line,) = ax.get_lines()
    assert list(line.get_ydata()) == [0.5, 1.0, 0.25, 0.75, 0.5]  # closed polygon
    with pytest.raises(ValueError, match="at least 3"):
        plotting.radar(ax, ["a", "b"], [1, 2])


def test_fonts_installed_after_matplotlib_cached_its_list(monkeypatch):
    """matplotlib's cached font list may predate `apt-get install fonts-noto-cjk`: the
    font files on the system are searched too."""
    if plotting.find_cjk_font() is None:
        pytest.skip("no CJK font on this machine")
    monkeypatch.delenv(plotting.ENV_FONT, raising=False)
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist
                         if not plotting.CJK_NAME_HINT.search(f.name)])
    name = plotting.find_cjk_font()
    assert name and plotting.CJK_NAME_HINT.search(name)
    assert name in {f.name for f in font_manager.fontManager.ttflist}  # added to the list


def test_radar_shares_leave_out_subsections_all_not_applicable():
    """A subsection whose clauses are all 不涉及 is not a spoke at 0 (it lost no points)."""
    import pandas as pd
    from certreport.plotting import subsection_shares
    rows = pd.DataFrame([
        {"report_id": "r", "subsection_no": "5.2.10", "weight": 2, "computed_score": 1.0,
         "not_applicable": False},
        {"report_id": "r", "subsection_no": "5.2.9", "weight": 3, "computed_score": 0.0,
         "not_applicable": True},
        {"report_id": "r", "subsection_no": "5.2.9", "weight": 2, "computed_score": 0.0,
         "not_applicable": True},
        {"report_id": "r", "subsection_no": "5.2.2", "weight": 4, "computed_score": 1.0,
         "not_applicable": True},
        {"report_id": "r", "subsection_no": "5.2.2", "weight": 4, "computed_score": 3.0,
         "not_applicable": False},
        {"report_id": "r", "subsection_no": "5.1.1", "weight": 0, "computed_score": 0.0,
         "not_applicable": False},
    ])
    shares = subsection_shares(rows)
    assert shares.to_dict() == {"5.2.2": 0.5, "5.2.10": 0.5}
    assert list(shares.index) == ["5.2.2", "5.2.10"]  # numeric order
    per = subsection_shares(rows, by=["report_id"])
    assert per.to_dict() == {("r", "5.2.10"): 0.5, ("r", "5.2.2"): 0.5}
