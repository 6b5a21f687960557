"""The marginal of a fitted mixture in the model's own covariance structure.

:func:`~gaussmix.density.marginal` gives the marginal with full matrices (what the
plots draw). A marginal that is itself a model keeps the model's structure where
every sub-block still has it (a diagonal model's marginal is diagonal, a shared
covariance stays shared) and says which structure it has otherwise (the
covariance structure's ``marginal_type``: e.g. EVE's sub-blocks share neither
orientation nor volume, so its marginal is VVV).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..covariance import get_structure
from .columns import column_positions, mixture_names
from .parameters import full_block, refuse_noise


class MarginalParameters(NamedTuple):
    """A marginal mixture's parameters in the form a model stores them.

    Attributes
    ----------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, m)
    covariances : ndarray
        In the shape of ``covariance_type`` over m columns (e.g. (K, m) for diag).
    covariance_type : str
    columns : ndarray of int, shape (m,)
        The kept columns' positions in the model, in the order given.
    names : list of str or None
        Their names, where the model has names.
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    covariance_type: str
    columns: np.ndarray
    names: list


def marginal_parameters(mixture, columns):
    """The marginal over some columns, with covariances in the model's structure.

    Parameters
    ----------
    mixture : fitted mixture
        Read duck-typed: ``weights_``, ``means_``, ``covariances_``,
        ``covariance_type`` and, if present, ``feature_names_in_``.
    columns : int, str or sequence of int or str
        The columns to keep, in the order given: 0-based positions, or names for a
        model fitted on a DataFrame.

    Returns
    -------
    params : MarginalParameters
        Same weights; the means' columns; each covariance's sub-block. The type is
        the model's where the sub-blocks keep its structure (scikit-learn's four
        types, EII, VII, EEI, VEI, VVI, EEE, VEE, VVV, E, V); EVI becomes VVI and
        the other stacked models VVV. Kept structures are cut from the stored
        covariances, so the numbers are the model's own, bit for bit.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import marginal_parameters
    >>> gm = gaussmix.GaussianMixture.from_parameters(
    ...     [.5, .5], [[0., 1., 2.], [3., 4., 5.]], [[1., 2., 3.], [4., 5., 6.]], "diag")
    >>> p = marginal_parameters(gm, [2, 0])
    >>> p.covariance_type, p.covariances.tolist()
    ('diag', [[3.0, 1.0], [6.0, 4.0]])
    """
    if not hasattr(mixture, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    refuse_noise(mixture, "the marginal model")
    names = mixture_names(mixture)
    d = np.shape(mixture.means_)[1]
    cols = column_positions(columns, names, d)
    structure = get_structure(mixture.covariance_type)
    target = structure.marginal_type(mixture.covariance_type)
    if target == mixture.covariance_type:
        cov = cut_covariances(structure, np.asarray(mixture.covariances_, np.float64), cols)
    else:
        # a structure the sub-blocks leave: theirs, from the full sub-blocks (with unit
        # weights the conversion only copies the entries the target stores)
        cov = get_structure(target).from_full(full_block(mixture, cols).covariances)
    means = np.array(np.asarray(mixture.means_)[:, cols], dtype=np.float64)
    return MarginalParameters(np.array(mixture.weights_, dtype=np.float64), means, cov,
                              target, cols,
                              None if names is None else [names[c] for c in cols])


def cut_covariances(structure, cov, columns):
    """A structure's stored covariances cut to some columns, in its own layout.

    Parameters
    ----------
    structure : CovarianceStructure
    cov : ndarray
        Covariances as the structure stores them.
    columns : ndarray of int, shape (m,)

    Returns
    -------
    cov : ndarray
        (K,) variances of an isotropic structure stored as variances unchanged;
        variances per column (K, d) cut on their last axis; matrices ((d, d) shared
        or (K, d, d)) cut on their last two.
    """
    if structure.stores_variances and structure.isotropic:
        return cov.copy()
    if structure.stores_variances:
        return cov[..., columns].copy()
    return cov[..., columns, :][..., columns].copy()
