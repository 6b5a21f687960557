"""What a model selection found: the table of candidates and the best fitted model."""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure, prior_label

#: Components per line of the clustering table in :meth:`SelectionResult.summary`.
SIZES_PER_LINE = 12


class SelectionResult:
    """What :func:`select` found: the table of candidates and the best fitted model.

    Attributes
    ----------
    best_ : GaussianMixture
        The fitted candidate with the lowest criterion.
    table_ : pandas.DataFrame
        One row per candidate, in the order (covariance type, n_components) they were
        given, with columns ``n_components, covariance_type, log_likelihood,
        n_parameters, bic, aic, icl, converged``. ``log_likelihood`` is the total
        (weighted) log-likelihood of the data; ``bic``, ``aic`` and ``icl`` are
        lower-is-better (mclust's BIC and ICL are their negatives).
    models_ : list of GaussianMixture
        The fitted candidates, aligned with the rows of ``table_``.
    best_index_ : int
        Row position of ``best_`` in ``table_``.
    criterion : {"bic", "aic", "icl"}
        The criterion used to choose.
    n_obs_ : float or None
        The number of rows (with ``sample_weight``, the total weight).
    cluster_sizes_ : list of ndarray or None
        Per candidate, aligned with ``models_``: how many rows (how much weight) each
        component takes by its largest responsibility, mclust's clustering table.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 4), covariance_types=("full",),
    ...                       random_state=0, progress=False)
    >>> res.best_params_
    {'n_components': 2, 'covariance_type': 'full'}
    >>> res.cluster_sizes_[res.best_index_].tolist()
    [175, 97]
    """

    def __init__(self, table, models, best_index, criterion, *, n_obs=None, cluster_sizes=None):
        self.table_ = table
        self.models_ = models
        self.best_index_ = int(best_index)
        self.best_ = models[best_index]
        self.criterion = criterion
        self.n_obs_ = n_obs
        self.cluster_sizes_ = cluster_sizes

    @property
    def best_params_(self):
        """``{"n_components": K, "covariance_type": T}`` of the best candidate."""
        return {"n_components": int(self.best_.n_components),
                "covariance_type": str(self.best_.covariance_type)}

    def summary(self):
        """The chosen model as mclust's ``summary()`` describes it, then every candidate.

        The chosen model: its covariance type with mclust's name and meaning, the
        log-likelihood, n, df (free parameters), BIC and ICL, and the clustering table
        (how many rows each component takes by its largest responsibility). Then the
        table of all candidates, the best row marked with ``<- best``. BIC, AIC and ICL
        have scikit-learn's sign (lower is better); mclust prints BIC and ICL with the
        opposite sign.

        Returns
        -------
        text : str

        Examples
        --------
        >>> import gaussmix
        >>> res = gaussmix.select(gaussmix.load_faithful(), [2, 3], "tied", random_state=0,
        ...                       progress=False)
        >>> text = res.summary().splitlines()
        >>> print(text[4])
        Chosen by BIC: tied = mclust's EEE, 3 components
        >>> print(text[7].split())
        ['log-likelihood', 'n', 'df', 'BIC', 'ICL']
        >>> sum("<- best" in line for line in text)
        1
        """
        lines = self._chosen_lines() + ["", "All candidates:"] + self._table_lines()
        b = self.best_params_
        lines += ["", f"best by {self.criterion.upper()} (lower is better; mclust's BIC and "
                  f"ICL have the opposite sign): {b['n_components']} component(s), "
                  f"covariance_type={b['covariance_type']!r}"]
        return "\n".join(lines)

    def _chosen_lines(self):
        """mclust's summary of the chosen model: name and meaning, fit numbers, sizes."""
        gm, row, crit = self.best_, self.table_.iloc[self.best_index_], self.criterion.upper()
        structure = get_structure(gm.covariance_type)
        name = gm.covariance_type
        if structure.mclust_name and structure.mclust_name != name:
            name += f" = mclust's {structure.mclust_name}"
        rule = "-" * 70
        n = self.n_obs_
        n_text = "?" if n is None else f"{n:g}"
        lines = [rule, f"Gaussian mixture fitted by EM, chosen by {crit} among "
                 f"{len(self.table_)} candidates", rule, "",
                 f"Chosen by {crit}: {name}, {gm.n_components} component"
                 f"{'s' if gm.n_components != 1 else ''}", f"  {structure.description}", "",
                 f"  {'log-likelihood':>14}  {'n':>4}  {'df':>3}  {'BIC':>10}  {'ICL':>10}",
                 f"  {row.log_likelihood:14.4f}  {n_text:>4}  {row.n_parameters:>3}  "
                 f"{row.bic:10.4f}  {row.icl:10.4f}",
                 "BIC and ICL have scikit-learn's sign: lower is better. mclust prints them "
                 "with", f"the opposite sign (BIC {-row.bic:.4f}, ICL {-row.icl:.4f} there)."]
        if gm.prior is not None:
            lines[4:4] = [f"MAP estimate under the {prior_label(gm.prior)} conjugate prior: "
                          "log-likelihood and criteria at the MAP estimate."]
        return lines + self._sizes_lines()

    def _sizes_lines(self):
        """The clustering table of the chosen model, :data:`SIZES_PER_LINE` components
        per line; nothing when the sizes are unknown."""
        if self.cluster_sizes_ is None:
            return []
        sizes = np.asarray(self.cluster_sizes_[self.best_index_])
        lines = ["", "Clustering table (rows by their largest responsibility):"]
        for start in range(0, len(sizes), SIZES_PER_LINE):
            part = range(start, min(start + SIZES_PER_LINE, len(sizes)))
            lines.append(f"  {'component':9}" + "".join(f"  {k:>5}" for k in part))
            lines.append(f"  {'rows':9}" + "".join(f"  {sizes[k]:>5g}" for k in part))
        return lines

    def _table_lines(self):
        """Every candidate, one line each, the best marked with ``<- best``."""
        t = self.table_
        width = max(10, *(len(str(c)) for c in t["covariance_type"]))
        lines = [f"{'K':>3}  {'covariance':{width}}  {'log-lik':>12}  {'params':>6}  "
                 f"{'BIC':>12}  {'AIC':>12}  {'ICL':>12}  {'converged':9}"]
        for i, row in enumerate(t.itertuples(index=False)):
            mark = f"  <- best ({self.criterion.upper()})" if i == self.best_index_ else ""
            lines.append(f"{row.n_components:>3}  {row.covariance_type:{width}}  "
                         f"{row.log_likelihood:12.4f}  {row.n_parameters:>6}  {row.bic:12.4f}  "
                         f"{row.aic:12.4f}  {row.icl:12.4f}  {str(bool(row.converged)):9}"
                         f"{mark}".rstrip())
        return lines

    def plot(self, ax=None, criterion=None):
        """Criterion against K, one line per covariance type; see
        :func:`gaussmix.plot.plot_selection`."""
        from ..plot import plot_selection

        return plot_selection(self, ax=ax, criterion=criterion)

    def __repr__(self):
        b = self.best_params_
        return (f"SelectionResult({len(self.table_)} candidates, best by {self.criterion}: "
                f"n_components={b['n_components']}, covariance_type={b['covariance_type']!r})")
