"""The check of ``GaussianMixture(fixed=...)``: which parameters EM holds, and that
each has the initial value it is held at."""

from __future__ import annotations

from ..engine import FIXABLE

#: The constructor parameter that gives each fixable parameter its value.
INIT_OF = {"weights": "weights_init", "means": "means_init",
           "covariances": "precisions_init"}


def fixed_names(fixed):
    """``fixed`` as a tuple of names from :data:`~gaussmix.engine.FIXABLE` (empty for
    None), each once; a ValueError for anything else.

    Examples
    --------
    >>> fixed_names(["means", "weights", "means"])
    ('means', 'weights')
    >>> fixed_names(None)
    ()
    """
    if fixed is None:
        return ()
    names = (fixed,) if isinstance(fixed, str) else fixed
    try:
        names = tuple(dict.fromkeys(names))
    except TypeError:
        raise ValueError(f"fixed must be None or a list of parameter names from "
                         f"{FIXABLE}, got {fixed!r}.") from None
    unknown = [n for n in names if n not in FIXABLE]
    if unknown:
        raise ValueError(f"fixed names unknown parameter(s) {unknown}; the parameters that "
                         f"can be fixed are {', '.join(repr(n) for n in FIXABLE)}.")
    return names


def check_fixed(model):
    """Check ``model.fixed``: known names, each with its ``*_init``, and no prior."""
    names = fixed_names(model.fixed)
    missing = [INIT_OF[n] for n in names if getattr(model, INIT_OF[n]) is None]
    if missing:
        raise ValueError(f"fixed={names} holds parameters at their initial values, but "
                         f"{', '.join(missing)} is None; pass "
                         f"{' and '.join(missing)} (the values to hold).")
    if names and model.prior is not None:
        raise ValueError("fixed parameters are supported for maximum likelihood only; pass "
                         "prior=None or fixed=None.")
    if names and getattr(model, "noise", False):
        # the noise weight is fitted beside the Gaussians' and would move fixed weights
        raise ValueError("fixed parameters cannot be combined with noise=True yet; pass "
                         "noise=False or fixed=None.")
    return names
