"""The report's selection section shows ICL beside BIC and AIC, and a report can
choose its model by ICL."""

import html
import re

import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import gaussmix  # noqa: E402
from gaussmix.report import report  # noqa: E402


def section(page, anchor):
    return page.split(f"id='{anchor}'")[1].split("<h2")[0]


@pytest.fixture(scope="module")
def icl_page():
    sel = gaussmix.select(gaussmix.load_faithful(as_frame=True), range(1, 4), ("full", "tied"),
                          criterion="icl", random_state=0, n_jobs=1, progress=False)
    page = report(gaussmix.load_faithful(as_frame=True), selection=sel, progress=False,
                  animation=False, n_synthetic=50)
    return sel, page


def test_candidates_table_has_an_icl_column(icl_page):
    sel, page = icl_page
    part = section(page, "selection")
    heads = [html.unescape(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", part)]
    assert heads[-5:] == ["BIC", "AIC", "ICL", "converged", "note"]
    best = re.findall(r"<tr class='best'>(.*?)</tr>", part)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", best[0])
    row = sel.table_.iloc[sel.best_index_]
    assert float(html.unescape(cells[6])) == pytest.approx(row["icl"], rel=1e-5)
    assert "ICL use scikit-learn's sign" in part


def test_icl_choice_shows_in_the_pivot_and_the_model_section(icl_page):
    sel, page = icl_page
    part = section(page, "selection")
    assert "<h3>ICL by number of components and covariance type</h3>" in part
    cell = re.search(r"<td class='bestcell'>([^<]+)</td>", part).group(1)
    assert float(html.unescape(cell)) == pytest.approx(sel.table_["icl"].min(), rel=1e-6)
    model = section(page, "model")
    assert f"ICL {sel.table_['icl'].min():.4f}" in model
