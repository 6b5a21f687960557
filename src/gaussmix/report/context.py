"""What every section of the report reads: the data, the selection and the chosen
model's view of the rows, computed once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..utils.columns import call_with_feature_names, default_names


def as_matrix(X):
    """(float64 array of shape (n, d), column names) of non-empty 2-D data; names
    from a DataFrame's columns, else x0, x1, ..."""
    names = [str(c) for c in X.columns] if hasattr(X, "columns") else None
    A = np.asarray(X.to_numpy(dtype=np.float64) if hasattr(X, "columns") else X, dtype=np.float64)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] == 0 or A.shape[1] == 0:
        raise ValueError(f"X must be a non-empty 2-D array of shape (n_samples, n_features), got "
                         f"shape {A.shape}.")
    if not np.isfinite(A).all():  # its pictures draw the rows themselves
        raise ValueError("the report needs complete, finite rows, and X has missing or "
                         "infinite values; drop those rows, or fill the gaps first "
                         "(GaussianMixture(missing=\"em\").fit(X).impute(X)).")
    return A, names or default_names(A.shape[1])


def density_columns(plot_columns, names):
    """The columns of the density picture: ``plot_columns`` checked (by name or 0-based
    position, at most :data:`~gaussmix.plot.columns.MAX_PAIR_COLUMNS`); by default
    every column, or the first 8 of wider data with a :class:`UserWarning`.

    Returns
    -------
    choice : ColumnChoice
        The positions and, where only the first columns are drawn, a note saying so.
    """
    from ..plot.columns import ColumnChoice, pair_columns

    if plot_columns is None and len(names) <= 2:
        return ColumnChoice(list(range(len(names))), None)
    return pair_columns(plot_columns, names, option="plot_columns=",
                        what="the report's density picture")


@dataclass(frozen=True)
class ReportContext:
    """The inputs of the sections.

    Attributes
    ----------
    X : array-like or DataFrame
        The data as given (the plots take it, with its column names).
    A : ndarray of shape (n, d)
        The data as float64.
    names : list of str
    selection : SelectionResult
    logdens : ndarray of shape (n,)
        Log-density of every row under the chosen model.
    labels : ndarray of shape (n,)
        Most likely component of every row.
    title : str
    random_state : int or None
    n_outliers : int
        Least likely rows to list (at most n).
    n_synthetic : int
        Synthetic rows to draw.
    animation : bool
        Whether to embed the EM animation (2-D data only).
    plot_columns : ColumnChoice
        The columns of the density picture (:func:`density_columns`).
    """

    X: object
    A: np.ndarray
    names: list
    selection: object
    logdens: np.ndarray
    labels: np.ndarray
    title: str
    random_state: object
    n_outliers: int
    n_synthetic: int
    animation: bool
    plot_columns: object

    @classmethod
    def build(cls, X, A, names, selection, *, title, random_state, n_outliers, n_synthetic,
              animation, plot_columns):
        """Score every row under the selection's best model; settle the defaults."""
        gm = selection.best_
        n, d = A.shape
        if animation is None:
            animation = d == 2 and n <= 5000
        return cls(X, A, names, selection,
                   logdens=np.asarray(call_with_feature_names(gm, "score_samples", A)),
                   labels=np.asarray(call_with_feature_names(gm, "predict", A)),
                   title=title or "gaussmix report", random_state=random_state,
                   n_outliers=int(min(max(n_outliers, 0), n)),
                   n_synthetic=n if n_synthetic is None else int(n_synthetic),
                   animation=bool(animation) and d == 2, plot_columns=plot_columns)

    @property
    def gm(self):
        """The chosen model."""
        return self.selection.best_

    @property
    def n(self):
        return self.A.shape[0]

    @property
    def d(self):
        return self.A.shape[1]

    @property
    def criterion(self):
        return self.selection.criterion

    @property
    def loglik(self):
        """Log-likelihood of the data under the chosen model."""
        return float(self.logdens.sum())

    def best_value(self, column):
        """A column of the selection table (``"bic"``, ``"aic"``, ``"icl"``) at the chosen
        model."""
        return float(self.selection.table_.iloc[self.selection.best_index_][column])

    @property
    def order(self):
        """Components by decreasing weight: the order of every per-component table."""
        return np.argsort(-self.gm.weights_)
