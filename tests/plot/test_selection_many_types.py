"""The selection picture with mclust's 14 models: every curve has its own colour,
marker and line style, the legend leaves the axes for columns below them, and the
four scikit-learn types keep working. mclust's own BIC table of iris (sign flipped)
is the data, so the picture is mclust's BIC plot drawn by gaussmix."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from gaussmix import plot  # noqa: E402

MCLUST = Path(__file__).resolve().parents[1] / "data" / "mclust"


@pytest.fixture(scope="module")
def mclust_table():
    """mclust's BIC of iris as a selection table (gaussmix's sign; NA cells dropped)."""
    wide = pd.read_csv(MCLUST / "iris_bic.csv")
    long = wide.melt(id_vars="G", var_name="covariance_type", value_name="bic").dropna()
    long = long.rename(columns={"G": "n_components"})
    long["bic"] = -long["bic"]
    return long.reset_index(drop=True)


def curves(ax):
    return ax.lines[:-1]


def test_fourteen_curves_differ_in_colour_marker_and_line_style(mclust_table):
    ax = plot.plot_selection(mclust_table, Figure().add_subplot())
    lines = curves(ax)
    assert len(lines) == 14
    assert len({ln.get_marker() for ln in lines}) == 14
    assert len({ln.get_color() for ln in lines}) == 14
    styles = [ln.get_linestyle() for ln in lines]
    assert len(set(styles)) == 4
    assert all(a != b for a, b in zip(styles, styles[1:]))  # neighbours never share one
    hollow = [ln.get_markerfacecolor() == "white" for ln in lines]
    assert any(hollow) and not all(hollow)


def test_the_legend_goes_below_the_axes_in_columns(mclust_table):
    fig = Figure(figsize=(7, 5), layout="constrained")
    ax = plot.plot_selection(mclust_table, fig.add_subplot())
    legend = ax.get_legend()
    assert legend._ncols > 1
    assert len(legend.get_texts()) == 15  # 14 models and the best
    fig.canvas.draw()
    box = legend.get_window_extent()
    axes_box = ax.get_window_extent()
    assert box.y1 <= axes_box.y0  # entirely below the axes: no curve is hidden
    assert axes_box.height > 0.4 * fig.bbox.height  # and the axes keep their room


def test_the_star_is_mclusts_best(mclust_table):
    """mclust's best BIC for iris is VEV with 2 components (best.txt)."""
    ax = plot.plot_selection(mclust_table, Figure().add_subplot())
    star = ax.lines[-1]
    assert (star.get_xdata()[0], star.get_label()) == (2, "best: K=2, VEV")
    assert star.get_ydata()[0] == pytest.approx(561.7285, abs=1e-3)


def test_four_types_keep_the_legend_inside(mclust_table):
    four = mclust_table[mclust_table["covariance_type"].isin(["VII", "VVI", "EEE", "VVV"])]
    fig = Figure(layout="constrained")
    ax = plot.plot_selection(four, fig.add_subplot())
    assert len(curves(ax)) == 4 and ax.get_legend()._ncols == 1
    fig.canvas.draw()
    assert ax.get_legend().get_window_extent().y0 >= ax.get_window_extent().y0


def test_icl_and_unknown_criteria(mclust_table):
    table = mclust_table.assign(icl=mclust_table["bic"] + 1.0)
    ax = plot.plot_selection(table, Figure().add_subplot(), criterion="icl")
    assert ax.get_ylabel() == "ICL (lower is better)"
    np.testing.assert_allclose(ax.lines[-1].get_ydata(), table["icl"].min())
    with pytest.raises(ValueError, match="criterion"):
        plot.plot_selection(table, Figure().add_subplot(), criterion="hqc")
    with pytest.raises(ValueError, match="no 'icl' column"):
        plot.plot_selection(mclust_table, Figure().add_subplot(), criterion="icl")
