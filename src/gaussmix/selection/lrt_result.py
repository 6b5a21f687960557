"""What a bootstrap likelihood-ratio test found: one row per test, the chosen number
of components, the fits to the data and the bootstrap statistics."""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure

#: Columns of :attr:`BootstrapLRTResult.table_`.
LRT_COLUMNS = ("n_components", "lrt", "p_value", "significant")


class BootstrapLRTResult:
    """What :func:`bootstrap_lrt` found.

    Attributes
    ----------
    table_ : pandas.DataFrame
        One row per test run, of G components against G + 1: ``n_components`` (G),
        ``lrt`` (the observed statistic ``2 (log L_{G+1} - log L_G)``), ``p_value``
        (bootstrap, mclust's convention) and ``significant`` (``p_value <= level``).
        The tests stop at the first that is not significant unless ``all_tests``,
        and before a G + 1 whose fit is singular (a UserWarning says so).
    n_components_ : int
        The chosen number of components: G of the first test that is not
        significant, or the largest number tested if every test is.
    best_ : GaussianMixture
        The fit to the data with ``n_components_`` components.
    models_ : list of GaussianMixture
        The fits to the data, K = 1 .. ``max_components`` (``models_[K - 1]``; None
        where the fit is singular before ``reg_covar``, an empty cell of
        :func:`select`).
    log_likelihoods_ : ndarray of shape (max_components,)
        Their total log-likelihoods.
    statistics_ : ndarray of shape (n_tests, n_boot)
        The bootstrap statistics of every test run (mclust's ``boot``).
    covariance_type : str
    level : float
    n_boot : int

    Examples
    --------
    >>> import gaussmix
    >>> res = gaussmix.bootstrap_lrt(gaussmix.load_faithful(), "tied", max_components=2,
    ...                              n_boot=9, random_state=0, progress=False)
    >>> res.statistics_.shape
    (1, 9)
    >>> res.best_ is res.models_[res.n_components_ - 1]
    True
    """

    def __init__(self, covariance_type, observed, p_values, statistics, level, models,
                 log_likelihoods):
        import pandas as pd

        self.covariance_type = covariance_type
        self.level = float(level)
        self.statistics_ = np.asarray(statistics, dtype=np.float64)
        self.n_boot = int(self.statistics_.shape[1])
        self.models_ = list(models)
        self.log_likelihoods_ = np.asarray(log_likelihoods, dtype=np.float64)
        p = np.asarray(p_values, dtype=np.float64)
        self.table_ = pd.DataFrame({"n_components": np.arange(1, len(p) + 1),
                                    "lrt": np.asarray(observed, dtype=np.float64),
                                    "p_value": p, "significant": p <= self.level},
                                   columns=list(LRT_COLUMNS))
        failed = np.flatnonzero(p > self.level)
        self.n_components_ = int(failed[0] + 1) if failed.size else len(p) + 1
        self.best_ = self.models_[self.n_components_ - 1]

    def summary(self):
        """The tests as mclust prints them, and the chosen number of components.

        Returns
        -------
        text : str
        """
        rule = "-" * 62
        lines = [rule, "Bootstrap sequential LRT for the number of mixture components",
                 rule, f"Model        = {self._model_name()}",
                 f"Replications = {self.n_boot}",
                 f"{'':8} {'LRTS':>14} {'bootstrap p-value':>18}"]
        for row in self.table_.itertuples(index=False):
            g = int(row.n_components)
            test = f"{g} vs {g + 1}"
            lines.append(f"{test:8} {row.lrt:14.6f} {row.p_value:18.6g}")
        g = self.n_components_
        if self.table_["significant"].all() and g < len(self.models_):
            lines += ["", f"{g} component(s): the fit with {g + 1} is singular before "
                      "reg_covar, so it was not tested"]
        elif self.table_["significant"].all():
            lines += ["", f"every test is significant at level {self.level:g}: {g} components, "
                      "the most fitted;", "a larger max_components may choose more"]
        else:
            lines += ["", f"chosen at level {self.level:g}: {g} component(s) ({g} vs {g + 1} is "
                      "the first test that is not significant)"]
        return "\n".join(lines)

    def _model_name(self):
        """The covariance type, with mclust's name for it where that differs."""
        name = self.covariance_type
        mclust = get_structure(name).mclust_name
        return f"{name} (mclust's {mclust})" if mclust and mclust != name else name

    def __repr__(self):
        return (f"BootstrapLRTResult({self.covariance_type!r}, {len(self.table_)} test(s), "
                f"n_boot={self.n_boot}, n_components_={self.n_components_})")
