"""Which covariance types :func:`~gaussmix.select` tries: defaults and keywords.

mclust's ``Mclust(X)`` tries its fourteen models on multivariate data and ``E``, ``V``
on one-dimensional data; ``select(X)`` does the same. The keywords ``"mclust"`` and
``"sklearn"`` name the two families; a list names types one by one.
"""

from __future__ import annotations

from ..covariance import (
    COVARIANCE_TYPES,
    MCLUST_MODELS,
    SKLEARN_TYPES,
    UNIVARIATE_TYPES,
    check_covariance_type,
    get_structure,
)

#: What ``covariance_types=None`` (the default) means: mclust's fourteen models, or
#: on one-dimensional data mclust's two (``E``, ``V``), as ``Mclust(X)``.
DEFAULT_COVARIANCE_TYPES = None
#: Keywords ``covariance_types`` takes for a whole family of models.
KEYWORDS = ("mclust", "sklearn")
#: The default on data with no more rows than columns: mclust's spherical and diagonal
#: models (EII, VII, EEI, VEI, EVI, VVI), the only ones whose covariances such data can
#: make regular (its ``mclustBIC``: ``if (n <= d)`` keeps these six of its defaults).
FEW_ROWS_TYPES = tuple(name for name in MCLUST_MODELS if get_structure(name).diagonal)


def default_covariance_types(n_features, n_rows=None):
    """The covariance types :func:`~gaussmix.select` tries by default on data with
    ``n_features`` columns (and ``n_rows`` rows, if known): mclust's fourteen models,
    ``E`` and ``V`` in 1-D, and the six spherical and diagonal ones when there are no
    more rows than columns (:data:`FEW_ROWS_TYPES`), as mclust's default.

    Why the last rule: with ``n <= d`` every model with a full covariance matrix is
    singular, and EM spends its ``max_iter`` iterations on it (20 rows of 200 columns:
    minutes per candidate) before the cell is emptied.

    Examples
    --------
    >>> default_covariance_types(2)[:3], len(default_covariance_types(2))
    (('EII', 'VII', 'EEI'), 14)
    >>> default_covariance_types(1)
    ('E', 'V')
    >>> default_covariance_types(200, n_rows=40)
    ('EII', 'VII', 'EEI', 'VEI', 'EVI', 'VVI')
    """
    if n_features == 1:
        return UNIVARIATE_TYPES
    if n_rows is not None and n_rows <= n_features:
        return FEW_ROWS_TYPES
    return MCLUST_MODELS


def resolve_covariance_types(covariance_types, n_features, n_rows=None):
    """The list of covariance types to try, checked.

    Parameters
    ----------
    covariance_types : None, "mclust", "sklearn", str or iterable of str
        None: :func:`default_covariance_types` (given ``n_rows``); ``"mclust"``:
        mclust's fourteen models (``E``, ``V`` in 1-D) whatever the rows;
        ``"sklearn"``: scikit-learn's four; otherwise type names (a name given twice
        is tried once).
    n_features : int
    n_rows : int, optional
        Rows of the data (of positive weight), for the default.

    Returns
    -------
    types : list of str

    Raises
    ------
    ValueError
        An unknown name, an empty list, two names of one model (``"full"`` and
        ``"VVV"``), or a one-dimensional model (``E``, ``V``) on wider data.

    Examples
    --------
    >>> resolve_covariance_types("sklearn", 2)
    ['full', 'diag', 'spherical', 'tied']
    >>> resolve_covariance_types(["VVV", "EEE", "VVV"], 3)
    ['VVV', 'EEE']
    """
    if covariance_types is None:
        names = default_covariance_types(n_features, n_rows)
    elif covariance_types == "mclust":
        names = default_covariance_types(n_features)
    elif covariance_types == "sklearn":
        names = SKLEARN_TYPES
    elif isinstance(covariance_types, str):
        names = (covariance_types,)
    else:
        names = tuple(covariance_types)
    out = []
    for name in names:
        _check_name(name)
        if name not in out:
            _check_not_same_model(name, out)
            get_structure(name).check_n_features(n_features)
            out.append(name)
    if not out:
        raise ValueError("covariance_types is empty; pass at least one of "
                         f"{', '.join(repr(c) for c in COVARIANCE_TYPES)}, or None for "
                         "mclust's models.")
    return out


def _check_name(name):
    if name in KEYWORDS:
        raise ValueError(f"{name!r} names a family of models and goes alone: pass "
                         f"covariance_types={name!r}, not inside a list.")
    try:
        check_covariance_type(name)
    except ValueError as err:
        raise ValueError(f"covariance_types: {err} Or pass None (mclust's models), "
                         "'mclust' or 'sklearn'.") from None


def _check_not_same_model(name, chosen):
    structure = get_structure(name)
    for other in chosen:
        if get_structure(other) is structure:
            raise ValueError(f"covariance_types names one model twice: {other!r} and "
                             f"{name!r} are the same model (scikit-learn's and mclust's "
                             "names of it); keep one of them.")
