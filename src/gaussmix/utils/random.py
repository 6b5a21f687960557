"""One way to turn a user's ``random_state`` into randomness.

Randomness enters every call as ``random_state`` (None, an int, a numpy
``Generator`` or a legacy ``RandomState``) and becomes a ``numpy.random.Generator``
here, or one integer seed where several fits must share it.
"""

from __future__ import annotations

import numbers

import numpy as np

#: Integer seeds drawn from a generator lie in ``[0, SEED_BOUND)``.
SEED_BOUND = 2**32 - 1


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def seed_from(random_state):
    """One integer seed from ``random_state``.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        None draws fresh entropy; an int is returned as it is; a Generator or a
        RandomState gives one draw from ``[0, 2**32 - 1)``.

    Returns
    -------
    seed : int

    Examples
    --------
    >>> seed_from(7)
    7
    >>> seed_from(np.random.default_rng(0)) == seed_from(np.random.default_rng(0))
    True
    """
    if _is_int(random_state):
        return int(random_state)
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(SEED_BOUND))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, SEED_BOUND, dtype=np.uint64))
    raise TypeError(_message(random_state))


def as_generator(random_state):
    """A ``numpy.random.Generator`` from ``random_state``.

    Parameters
    ----------
    random_state : None, int, numpy.random.Generator or numpy.random.RandomState
        A Generator is returned as it is (draws advance it); None gives fresh
        entropy; an int seeds a new generator; a RandomState seeds one from a draw.

    Returns
    -------
    rng : numpy.random.Generator

    Examples
    --------
    >>> bool(as_generator(0).integers(10) == as_generator(0).integers(10))
    True
    """
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or _is_int(random_state):
        return np.random.default_rng(random_state)
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(seed_from(random_state))
    raise TypeError(_message(random_state))


def _message(random_state):
    return ("random_state must be None, an int, a numpy Generator or RandomState, got "
            f"{random_state!r}; pass e.g. random_state=0.")
