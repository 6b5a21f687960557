"""The covariances table of the report, for every covariance type (the ``structure``
fixture): laid out by what the structure can express, under its description."""

import html
import re

import numpy as np
import pytest

from gaussmix import GaussianMixture
from gaussmix.report.sections.covariances import covariances_html


@pytest.fixture
def model(structure, random_params, rng):
    p = random_params(structure, 3, 3, rng)
    return GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)


def test_section_shows_the_description_and_the_simplest_table(model, structure):
    names = ["a", "b", "c"]
    order = np.argsort(-model.weights_)
    page = covariances_html(model, names, order)
    assert html.escape(structure.description, quote=False) in page
    headers = re.findall(r"<thead><tr>(.*?)</tr></thead>", page)
    n_tables = len(headers)
    if structure.isotropic:
        assert n_tables == 1 and ">variance</th>" in headers[0] and ">std</th>" in headers[0]
    elif structure.diagonal:
        assert n_tables == 1 and "Standard deviations" in page and ">c</th>" in headers[0]
    elif structure.shared:
        assert n_tables == 1 and "Component " not in page            # shown once
    else:
        assert n_tables == 3                                          # one matrix each
        shown = [int(k) for k in re.findall(r"Component (\d+): covariance matrix", page)]
        assert shown == list(order)                                   # by decreasing weight


def test_no_more_than_twelve_matrices(rng, random_full_covariances):
    K = 14
    cov = random_full_covariances(rng, K, 2)
    gm = GaussianMixture.from_parameters(np.full(K, 1 / K), rng.normal(size=(K, 2)), cov)
    page = covariances_html(gm, ["a", "b"], np.arange(K))
    assert page.count("covariance matrix (standard deviations") == 12
    assert "... and 2 more components." in page


def test_wide_models_show_the_first_20_columns(structure, random_params, rng):
    d = 30
    p = random_params(structure, 2, d, rng)
    gm = GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)
    names = [f"c{j}" for j in range(d)]
    page = covariances_html(gm, names, np.argsort(-gm.weights_))
    headers = re.findall(r"<thead><tr>(.*?)</tr></thead>", page)
    if structure.isotropic:                  # one variance per component: every column
        assert "The first 20" not in page and ">variance</th>" in headers[0]
        return
    assert "The first 20 of 30 columns (c0 to c19)." in page
    for h in headers:
        assert ">c19</th>" in h and ">c20</th>" not in h
    if not structure.diagonal:                # matrices: 20 x 20, of the model's values
        first = page.split("</thead>")[1].split("</table>")[0]
        assert first.count("<tr") == 20
        k = int(np.argmax(gm.weights_))
        cell = re.search(r"<td class='l'>c0</td><td class=''>([^<]+)</td>", first).group(1)
        expected = structure.to_full(gm.covariances_, 2, d)[k, 0, 0]
        assert float(cell) == pytest.approx(expected, rel=1e-5)
