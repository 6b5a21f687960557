"""What a two-sample test found: the statistic, its permutation p-value and the
mixtures fitted to the pooled data and to each data set."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class TwoSampleResult:
    """What :func:`~gaussmix.two_sample_test` found.

    Attributes
    ----------
    statistic : float
        ``2 (log L_X + log L_Y - log L_pooled)``: how much the log-likelihood rises
        when ``X`` and ``Y`` get a mixture each instead of sharing the pooled one.
    pvalue : float
        ``(1 + #{permutations >= statistic}) / (n_permutations + 1)``.
    null_statistics : ndarray of shape (n_permutations,)
        The statistic of every permutation of the pooled rows.
    model_pooled : GaussianMixture
        The mixture chosen and fitted on the pooled rows.
    model_x, model_y : GaussianMixture
        The mixtures fitted to ``X`` and to ``Y`` (EM from ``model_pooled``).
    log_likelihoods : dict
        Total log-likelihoods: ``"x_pooled"``, ``"y_pooled"`` (each data set under
        the pooled mixture), ``"x"``, ``"y"`` (under its own).
    n_samples : tuple of int
        Rows of ``X`` and of ``Y``.
    n_candidates : int
        Models (numbers of components x covariance types) BIC chose among.
    """

    statistic: float
    pvalue: float
    null_statistics: np.ndarray = field(repr=False)
    model_pooled: object = field(repr=False)
    model_x: object = field(repr=False)
    model_y: object = field(repr=False)
    log_likelihoods: dict = field(repr=False)
    n_samples: tuple
    n_candidates: int = 1

    @property
    def n_permutations(self):
        """Number of permutations the p-value was computed from."""
        return int(self.null_statistics.shape[0])

    @property
    def n_components(self):
        """Components of the mixture fitted to each data set (and to the pooled rows)."""
        return int(self.model_pooled.n_components)

    @property
    def covariance_type(self):
        """Covariance type of the mixtures."""
        return self.model_pooled.covariance_type

    def summary(self):
        """The test in a few lines: model, log-likelihoods, statistic, p-value.

        Returns
        -------
        text : str
        """
        ll = self.log_likelihoods
        low, mid, high = np.percentile(self.null_statistics, [2.5, 50, 97.5])
        nx, ny = self.n_samples
        return "\n".join([
            "Two-sample test: likelihood ratio of separate vs pooled Gaussian mixtures",
            f"model            {self.n_components} component(s), covariance_type="
            f"{self.covariance_type!r}" + (f" (chosen by BIC among {self.n_candidates} on the "
                                           "pooled rows)" if self.n_candidates > 1 else ""),
            f"rows             X: {nx}, Y: {ny}",
            f"log-likelihood   X: {ll['x_pooled']:.6g} pooled -> {ll['x']:.6g} own;  "
            f"Y: {ll['y_pooled']:.6g} pooled -> {ll['y']:.6g} own",
            f"statistic        {self.statistic:.6g}  (2 x the rise in log-likelihood)",
            f"permutations     {self.n_permutations}: median {mid:.4g}, 95% within "
            f"[{low:.4g}, {high:.4g}]",
            f"p-value          {self.pvalue:.4g}  (small: X and Y come from different "
            "distributions)"])

    def __repr__(self):
        return (f"TwoSampleResult(statistic={self.statistic:.6g}, pvalue={self.pvalue:.4g}, "
                f"n_permutations={self.n_permutations}, n_samples={self.n_samples}, "
                f"model={self.n_components} x {self.covariance_type!r})")
