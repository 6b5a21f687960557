"""gaussmix: density estimation with Gaussian mixture models.

EM on additive sufficient statistics, scikit-learn compatible, better optima by
default, and degenerate data fitted instead of failing.
"""

from .datasets import load_faithful
from .mixture import DegenerateComponentWarning, GaussianMixture, load
from .selection import SelectionResult, select

__all__ = ["GaussianMixture", "DegenerateComponentWarning", "load", "load_faithful",
           "select", "SelectionResult"]
__version__ = "0.1.0"
