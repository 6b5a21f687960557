"""Marginals and conditionals of a fitted ``GaussianMixture``, as models and arrays.

The closed forms live in :mod:`gaussmix.density`; this mixin turns their results into
new fitted mixtures (through ``from_parameters``) and keeps column names: a model
fitted on a DataFrame takes columns by name, its marginals and conditionals carry
the kept columns' names, and DataFrame values give DataFrame means.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..density import (
    condition as condition_full,
    conditional_covariance as conditional_covariance_array,
    conditional_mean as conditional_mean_array,
    marginal_parameters,
    sample_conditional as sample_conditional_array,
)
from ..density.columns import column_positions, mixture_names


class ConditioningMixin:
    """``marginal``, ``condition``, ``conditional_mean``, ``conditional_covariance``
    and ``sample_conditional`` for a mixture class with ``from_parameters``."""

    def marginal(self, columns):
        """The mixture of some of the columns, as a fitted model.

        Parameters
        ----------
        columns : int, str or sequence of int or str
            The columns to keep, in the order given: 0-based positions, or names
            when the model was fitted on a DataFrame.

        Returns
        -------
        marginal : GaussianMixture
            The same weights, the means' columns, the covariances' sub-blocks. It
            keeps the model's ``covariance_type`` where every sub-block keeps its
            structure (scikit-learn's four types, EII, VII, EEI, VEI, VVI, EEE, VEE,
            VVV, E, V; their numbers are the model's, bit for bit); EVI becomes VVI
            and mclust's other ellipsoidal models VVV, whose sub-blocks share
            neither orientation nor volume. ``feature_names_in_`` holds the kept
            columns' names where the model has names.

        Examples
        --------
        >>> import gaussmix
        >>> X = gaussmix.load_faithful(as_frame=True)
        >>> gm = gaussmix.GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
        >>> m = gm.marginal("waiting")
        >>> m.covariance_type, m.feature_names_in_.tolist(), m.covariances_.shape
        ('diag', ['waiting'], (2, 1))
        """
        check_is_fitted(self, "means_")
        p = marginal_parameters(self, columns)
        return self._derived(p.weights, p.means, p.covariances, p.covariance_type, p.names)

    def condition(self, columns, values):
        """The conditional mixture of the other columns given one row of values.

        Parameters
        ----------
        columns : int, str or sequence of int or str
            The observed columns: 0-based positions, or names when the model was
            fitted on a DataFrame. At least one column must be left over.
        values : array-like of shape (m,)
            Their values, in the order of ``columns`` (a pandas Series indexed by
            the columns' names is put in that order).

        Returns
        -------
        conditional : GaussianMixture
            ``covariance_type="full"`` over the other columns (in the model's
            order): each component's conditional mean and covariance, weights
            re-weighted by each component's density at the values (in log space:
            far from every component, one weight is 1 and the others 0).

        Examples
        --------
        >>> import gaussmix
        >>> X = gaussmix.load_faithful(as_frame=True)
        >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
        >>> c = gm.condition("eruptions", [4.5])     # waiting times after a 4.5 min eruption
        >>> c.feature_names_in_.tolist(), c.weights_.round(3).tolist()
        (['waiting'], [1.0, 0.0])
        """
        check_is_fitted(self, "means_")
        values = self._ordered_values(columns, values, row=True)
        p = condition_full(self, columns, values)
        names = mixture_names(self)
        rest = np.setdiff1d(np.arange(self.means_.shape[1]),
                            column_positions(columns, names, self.means_.shape[1]))
        return self._derived(p.weights, p.means, p.covariances, "full",
                             None if names is None else [names[j] for j in rest])

    def conditional_mean(self, columns, values):
        """``E[other columns | columns = values]`` for many rows: mixture regression.

        Parameters
        ----------
        columns : int, str or sequence of int or str
            The observed columns, as :meth:`condition`.
        values : array-like of shape (n_rows, m)
            Observed values, one row per case; for one column a 1-D array holds
            n_rows values. A DataFrame must have the observed columns' names (any
            order: they are put in the order of ``columns``).

        Returns
        -------
        mean : ndarray or DataFrame of shape (n_rows, d - m)
            Over the other columns, in the model's order; a DataFrame (the values'
            index, the columns' names) when ``values`` is one.

        Examples
        --------
        >>> import gaussmix
        >>> X = gaussmix.load_faithful(as_frame=True)
        >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
        >>> gm.conditional_mean("eruptions", X[["eruptions"]].head(2)).round(1)
           waiting
        0     76.2
        1     53.0
        """
        check_is_fitted(self, "means_")
        mean = conditional_mean_array(self, columns, self._ordered_values(columns, values))
        return self._rest_frame(mean, columns, values)

    def conditional_covariance(self, columns, values):
        """``Cov[other columns | columns = values]`` for many rows.

        Parameters
        ----------
        columns : int, str or sequence of int or str
            The observed columns, as :meth:`condition`.
        values : array-like of shape (n_rows, m)
            As :meth:`conditional_mean`.

        Returns
        -------
        cov : ndarray of shape (n_rows, d - m, d - m)
            The conditional mixture's covariance (law of total covariance: the
            components' conditional covariances plus the spread of their
            conditional means).

        Examples
        --------
        >>> import numpy as np, gaussmix
        >>> X = gaussmix.load_faithful()
        >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
        >>> gm.condition(0, [2.9]).weights_.round(2)      # between the two clusters
        array([0.46, 0.54])
        >>> np.sqrt(gm.conditional_covariance(0, [2., 2.9, 4.5])[:, 0, 0]).round(1)
        array([5.6, 8.3, 5.6])
        """
        check_is_fitted(self, "means_")
        return conditional_covariance_array(self, columns, self._ordered_values(columns, values))

    def sample_conditional(self, columns, values, n_samples=1, random_state=None):
        """Draws of the other columns given observed values, for each row of values.

        Parameters
        ----------
        columns : int, str or sequence of int or str
            The observed columns, as :meth:`condition`.
        values : array-like of shape (n_rows, m)
            As :meth:`conditional_mean`.
        n_samples : int, default=1
            Draws per row of values.
        random_state : int, numpy Generator or None, default=None
            Randomness for this call only.

        Returns
        -------
        draws : ndarray of shape (n_rows, n_samples, d - m)
            Over the other columns, in the model's order. For one row,
            ``condition(columns, values).sample(n_samples)`` also gives the
            component of each draw.

        Examples
        --------
        >>> import gaussmix
        >>> X = gaussmix.load_faithful()
        >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
        >>> gm.sample_conditional(0, [[2.], [4.5]], n_samples=5, random_state=0).shape
        (2, 5, 1)
        """
        check_is_fitted(self, "means_")
        return sample_conditional_array(self, columns, self._ordered_values(columns, values),
                                        n_samples, random_state)

    # ------------------------------------------------------------------ helpers
    def _derived(self, weights, means, covariances, covariance_type, names):
        """A fitted mixture of this class from parameters, with column names."""
        gm = type(self).from_parameters(weights, means, covariances, covariance_type)
        if names is not None:
            gm.feature_names_in_ = np.asarray(names, dtype=object)
        return gm

    def _ordered_values(self, columns, values, row=False):
        """``values`` as given, or a DataFrame's columns (with ``row``, a Series'
        entries) put in the order of ``columns`` after checking that they are the
        observed columns."""
        labels = _labels(values, row)
        if labels is None:
            return values
        names = mixture_names(self)
        d = self.means_.shape[1]
        wanted = column_positions(columns, names, d)
        have = column_positions([_as_column(v) for v in labels], names, d) \
            if _names_known(labels, names) else None
        if have is None or sorted(have.tolist()) != sorted(wanted.tolist()):
            given = [names[c] if names is not None else c for c in wanted]
            raise ValueError(f"values has columns {list(labels)} but the observed columns "
                             f"are {given}; pass values with exactly those columns.")
        order = [have.tolist().index(c) for c in wanted]
        if hasattr(values, "columns"):
            return values.iloc[:, order].to_numpy(dtype=np.float64)
        return values.iloc[order].to_numpy(dtype=np.float64)

    def _rest_frame(self, array, columns, values):
        """``array`` (n, r) as a DataFrame with the values' index and the other
        columns' names, when ``values`` is a DataFrame; else ``array``."""
        if not hasattr(values, "columns"):
            return array
        import pandas as pd

        names = mixture_names(self) or [f"x{j}" for j in range(self.means_.shape[1])]
        d = len(names)
        rest = np.setdiff1d(np.arange(d), column_positions(columns, mixture_names(self), d))
        return pd.DataFrame(array, index=values.index, columns=[names[j] for j in rest])


def _labels(values, row):
    """The column labels of a DataFrame, with ``row`` the index of a Series (one row),
    else None (a Series of many rows is one column's values)."""
    if hasattr(values, "columns"):
        return list(values.columns)
    if row and hasattr(values, "index") and hasattr(values, "iloc") \
            and getattr(values, "ndim", 0) == 1:
        return list(values.index)
    return None


def _names_known(labels, names):
    """Whether the labels can name the model's columns: names of a named model, or
    0-based positions of an unnamed one (a DataFrame made from an array)."""
    if names is not None:
        return all(str(v) in names for v in labels)
    return all(isinstance(v, (int, np.integer)) for v in labels)


def _as_column(label):
    return label if isinstance(label, (int, np.integer)) else str(label)
