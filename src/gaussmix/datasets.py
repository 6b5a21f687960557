"""Data sets shipped with gaussmix."""

from __future__ import annotations

from importlib import resources

import numpy as np


def load_faithful(as_frame=False):
    """Old Faithful geyser eruptions: 272 rows, columns ``eruptions`` and ``waiting``.

    Parameters
    ----------
    as_frame : bool, default=False
        Return a pandas DataFrame (needs pandas) instead of a numpy array.

    Returns
    -------
    X : ndarray of shape (272, 2) or DataFrame
    """
    with resources.files("gaussmix").joinpath("data/faithful.csv").open("r") as fh:
        header = fh.readline().strip().replace('"', "").split(",")
        X = np.loadtxt(fh, delimiter=",")
    if as_frame:
        import pandas as pd

        return pd.DataFrame(X, columns=header)
    return X
