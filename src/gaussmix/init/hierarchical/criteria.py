"""The agglomeration criteria of mclust's ``hc``, by mclust's names for them.

mclust names its merge criteria after the Gaussian models whose classification
likelihood they maximise (``hc(modelName = "VVV")``), but a criterion is not a
covariance structure of the fitted mixture: every mixture model starts from the
same agglomeration (``"VVV"`` in mclust's ``Mclust``). A small enum keeps the two
vocabularies apart.
"""

from __future__ import annotations

from enum import Enum


class Criterion(str, Enum):
    """An agglomeration criterion; its value is mclust's ``hc`` model name."""

    #: Fraley's classification likelihood of unconstrained ellipsoidal clusters
    #: (mclust ``hcVVV``), regularised by ``alpha`` and ``beta``.
    ELLIPSOIDAL = "VVV"
    #: Ward's sum of squares (mclust ``hcEII``; ``hcE`` in one dimension).
    WARD = "EII"
    #: One-dimensional clusters of varying variance (mclust ``hcV``).
    UNIVARIATE_VARYING = "V"
    #: One-dimensional clusters of equal variance (mclust ``hcE``, Ward's).
    UNIVARIATE_EQUAL = "E"

    @classmethod
    def named(cls, name):
        """The criterion of an mclust ``hc`` model name, or a clear ValueError."""
        try:
            return cls(name)
        except ValueError:
            names = ", ".join(repr(c.value) for c in cls)
            raise ValueError(f"model must be one of {names}, got {name!r}") from None
