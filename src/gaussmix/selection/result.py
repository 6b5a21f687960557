"""What a model selection found: the table of candidates and the best fitted model."""

from __future__ import annotations


class SelectionResult:
    """What :func:`select` found: the table of candidates and the best fitted model.

    Attributes
    ----------
    best_ : GaussianMixture
        The fitted candidate with the lowest criterion.
    table_ : pandas.DataFrame
        One row per candidate, in the order (covariance type, n_components) they were
        given, with columns ``n_components, covariance_type, log_likelihood,
        n_parameters, bic, aic, converged``. ``log_likelihood`` is the total
        (weighted) log-likelihood of the data; ``bic`` and ``aic`` are lower-is-better.
    models_ : list of GaussianMixture
        The fitted candidates, aligned with the rows of ``table_``.
    best_index_ : int
        Row position of ``best_`` in ``table_``.
    criterion : {"bic", "aic"}
        The criterion used to choose.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 4), covariance_types=("full",),
    ...                       random_state=0, progress=False)
    >>> res.best_params_
    {'n_components': 2, 'covariance_type': 'full'}
    """

    def __init__(self, table, models, best_index, criterion):
        self.table_ = table
        self.models_ = models
        self.best_index_ = int(best_index)
        self.best_ = models[best_index]
        self.criterion = criterion

    @property
    def best_params_(self):
        """``{"n_components": K, "covariance_type": T}`` of the best candidate."""
        return {"n_components": int(self.best_.n_components),
                "covariance_type": str(self.best_.covariance_type)}

    def summary(self):
        """The table as text, the best row marked with ``<- best``.

        Returns
        -------
        text : str
        """
        t = self.table_
        head = (f"{'K':>3}  {'covariance':10}  {'log-lik':>12}  {'params':>6}  {'BIC':>12}  "
                f"{'AIC':>12}  {'converged':9}")
        lines = [head]
        for i, row in enumerate(t.itertuples(index=False)):
            mark = f"  <- best ({self.criterion.upper()})" if i == self.best_index_ else ""
            lines.append(f"{row.n_components:>3}  {row.covariance_type:10}  "
                         f"{row.log_likelihood:12.4f}  {row.n_parameters:>6}  {row.bic:12.4f}  "
                         f"{row.aic:12.4f}  {str(bool(row.converged)):9}{mark}".rstrip())
        b = self.best_params_
        lines += ["", f"best by {self.criterion.upper()} (lower is better; mclust's BIC has the "
                  f"opposite sign): {b['n_components']} component(s), covariance_type="
                  f"{b['covariance_type']!r}"]
        return "\n".join(lines)

    def plot(self, ax=None, criterion=None):
        """Criterion against K, one line per covariance type; see
        :func:`gaussmix.plot.plot_selection`."""
        from ..plot import plot_selection

        return plot_selection(self, ax=ax, criterion=criterion)

    def __repr__(self):
        b = self.best_params_
        return (f"SelectionResult({len(self.table_)} candidates, best by {self.criterion}: "
                f"n_components={b['n_components']}, covariance_type={b['covariance_type']!r})")
