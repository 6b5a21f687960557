"""The report's variational cross-check: one BayesianGaussianMixture fit with the
largest K tried, its number of weights above 0.01 beside the number chosen."""

import re

import numpy as np
import pytest

pytest.importorskip("matplotlib")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

import gaussmix  # noqa: E402
from gaussmix.mixture import bayesian  # noqa: E402
from gaussmix.report import report  # noqa: E402


def test_model_section_reports_effective_components_next_to_the_choice(monkeypatch):
    X = gaussmix.load_faithful(as_frame=True)
    fits = []
    real_fit = bayesian.BayesianGaussianMixture.fit

    def counting_fit(self, *args, **kwargs):
        fits.append(self.get_params())
        return real_fit(self, *args, **kwargs)

    monkeypatch.setattr(bayesian.BayesianGaussianMixture, "fit", counting_fit)
    page = report(X, n_components=range(1, 5), covariance_types=("full",), random_state=0,
                  n_jobs=1, progress=False, animation=False)
    assert len(fits) == 1                                   # cheap: one fit
    assert fits[0]["n_components"] == 4
    assert fits[0]["weight_concentration_prior_type"] == "dirichlet_process"
    assert fits[0]["random_state"] == 0
    ref = gaussmix.BayesianGaussianMixture(
        n_components=4, weight_concentration_prior_type="dirichlet_process",
        random_state=0).fit(X.to_numpy())
    n_eff = int((ref.weights_ > 0.01).sum())
    m = re.search(r"<p class=\"variational\">(.*?)</p>", page)
    assert m, "no variational line"
    line = m.group(1)
    assert f"<b>{n_eff}</b> component(s) a weight above 0.01" in line
    assert "up to 4 components" in line
    chosen = gaussmix.select(X, range(1, 5), ("full",), random_state=0).best_.n_components
    assert f"BIC chose <b>{chosen}</b>" in line
    # the line sits in the model section, which keeps its place among the sections
    assert page.index("id='model'") < m.start() < page.index("id='density'")
    assert page.count("<h2") == 7


def test_tiny_data_still_renders_the_model_section():
    X = np.array([[0.0, 1.0], [1.0, 0.5], [2.0, 2.5]])
    page = report(X, n_components=[1], covariance_types=("spherical",), random_state=0,
                  n_jobs=1, progress=False, animation=False, n_synthetic=3)
    assert "id='model'" in page
