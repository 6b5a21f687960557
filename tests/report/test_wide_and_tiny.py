"""The report on wide data stays bounded (the density picture draws at most 8 columns,
tables show the first columns with a note), its density columns can be chosen, and
it is written for one row, equal rows and one column."""

import re
import warnings

import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import gaussmix  # noqa: E402
from gaussmix.report import report  # noqa: E402
from gaussmix.report.limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS  # noqa: E402

SECTIONS = ("data", "selection", "model", "density", "sizes", "outliers", "synthetic")


def frame(A):
    import pandas as pd

    return pd.DataFrame(A, columns=[f"c{j}" for j in range(A.shape[1])])


def section(page, anchor):
    """The HTML of one section, up to the next heading."""
    return page.split(f"id='{anchor}'")[1].split("<h2")[0]


def header_cells(html_table):
    return re.findall(r"<th(?: [^>]*)?>(.*?)</th>", html_table.split("</thead>")[0])


def test_the_caps():
    assert (MAX_TABLE_COLUMNS, MAX_TABLE_ROWS) == (20, 50)


def test_a_report_on_5000_columns_is_bounded(rng):
    X = frame(rng.normal(size=(50, 5000)))
    sel = gaussmix.select(X, [1], ("diag",), random_state=0, n_jobs=1, progress=False)
    with pytest.warns(UserWarning, match="the report's density picture draws the first 8 of "
                                         "5000 columns .c0 to c7.; choose others with "
                                         "plot_columns="):
        page = report(X, selection=sel, progress=False)
    assert len(page) < 3_000_000                              # was minutes and gigabytes
    data = section(page, "data")
    assert data.count("<tr class=''>") == 50
    assert "The first 50 of 5000 columns (c0 to c49)." in data
    model = section(page, "model")
    assert header_cells(model) == ["component", "weight"] + [f"c{j}" for j in range(20)]
    assert model.count("The first 20 of 5000 columns (c0 to c19).") == 2  # means, std
    assert "The first 20 of 5000 columns" in section(page, "outliers")
    synthetic = section(page, "synthetic")
    assert "The first 50 of 5000 columns" in synthetic
    assert "The first 20 of 5000 columns" in synthetic
    assert "The picture draws the first 8 of 5000 columns (c0 to c7)" in section(page,
                                                                                 "density")


def test_plot_columns_choose_the_density_picture(rng):
    X = rng.normal(size=(120, 6))
    sel = gaussmix.select(X, [1, 2], ("diag",), random_state=0, n_jobs=1, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        page = report(X, selection=sel, progress=False, plot_columns=["x4", 1])
    density = section(page, "density")
    assert "The picture draws 2 of 6 columns: x4, x1." in density
    assert "Rows coloured by their most likely component" in density   # the 2-D picture


def test_wrong_plot_columns_fail_before_the_selection(rng, monkeypatch):
    from gaussmix.report import build

    def no_selection(*args, **kwargs):
        raise AssertionError("the selection ran")

    monkeypatch.setattr(build, "_select", no_selection)
    with pytest.raises(ValueError, match="column 'nope' is not in the data"):
        report(rng.normal(size=(30, 4)), plot_columns=["x1", "nope"])
    with pytest.raises(ValueError, match="at most 8 columns but 9 are chosen"):
        report(rng.normal(size=(30, 12)), plot_columns=range(9))


@pytest.mark.parametrize("d", [1, 2, 3])
def test_a_report_on_one_row(d):
    X = np.arange(1.0, d + 1.0)[None, :]
    page = report(X, n_components=[1], random_state=0, n_jobs=1, progress=False)
    for anchor in SECTIONS:
        assert f"id='{anchor}'" in page
    assert ("data:image/gif" in page) == (d == 2)             # EM animation: 2-D only


def test_a_report_on_equal_rows():
    page = report(np.tile([1.0, 2.0], (6, 1)), n_components=[1, 2], random_state=0, n_jobs=1,
                  progress=False)
    assert "data:image/gif" in page and "id='synthetic'" in page


def test_no_animation_where_fewer_distinct_rows_than_components():
    X = np.array([[1.0, 2.0]] * 4 + [[3.0, 1.0]] * 4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sel = gaussmix.select(X, [3], ("spherical",), random_state=0, n_jobs=1, progress=False)
    with pytest.warns(UserWarning, match="no EM animation: the data has 2 distinct row"):
        page = report(X, selection=sel, progress=False)
    assert "data:image/gif" not in page
    assert "fewer than the 3 components of the chosen model" in section(page, "density")
    for anchor in SECTIONS:
        assert f"id='{anchor}'" in page
