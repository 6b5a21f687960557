"""gaussmix: density estimation with Gaussian mixture models.

EM on additive sufficient statistics, scikit-learn compatible, better optima by
default, and degenerate data fitted instead of failing.
"""

import importlib
from typing import TYPE_CHECKING

#: Public name -> the module that defines it, imported on first use (PEP 562): the
#: ``gaussmix`` command installs its signal handling before scikit-learn (about a
#: second) is imported, so an early Ctrl-C or SIGTERM gets its one-line message.
_LAZY = {"load_faithful": ".datasets", "DegenerateComponentWarning": ".mixture",
         "GaussianMixture": ".mixture", "BayesianGaussianMixture": ".mixture",
         "GibbsGaussianMixture": ".mixture", "MixtureOutlierDetector": ".mixture",
         "load": ".mixture", "select": ".selection",
         "SelectionResult": ".selection", "bootstrap_lrt": ".selection",
         "BootstrapLRTResult": ".selection", "ConjugatePrior": ".covariance",
         "MixtureRegressor": ".mixture",
         "two_sample_test": ".compare", "TwoSampleResult": ".compare",
         "GoodnessOfFitResult": ".mixture", "kl_divergence": ".density",
         "js_divergence": ".density",
         "FileSource": ".io.file_source",
         "MixtureClassifier": ".classify"}

__all__ = ["GaussianMixture", "BayesianGaussianMixture", "GibbsGaussianMixture",
           "MixtureOutlierDetector", "DegenerateComponentWarning", "load", "load_faithful",
           "select", "SelectionResult", "bootstrap_lrt", "BootstrapLRTResult",
           "ConjugatePrior", "MixtureRegressor", "two_sample_test", "TwoSampleResult",
           "GoodnessOfFitResult", "kl_divergence", "js_divergence", "FileSource",
           "MixtureClassifier"]
__version__ = "0.1.0"

if TYPE_CHECKING:  # what static tools see
    from .compare import TwoSampleResult, two_sample_test
    from .classify import MixtureClassifier
    from .covariance import ConjugatePrior
    from .datasets import load_faithful
    from .density import js_divergence, kl_divergence
    from .io.file_source import FileSource
    from .mixture import (BayesianGaussianMixture, DegenerateComponentWarning,
                          GaussianMixture, GibbsGaussianMixture, GoodnessOfFitResult,
                          MixtureOutlierDetector, MixtureRegressor, load)
    from .selection import BootstrapLRTResult, SelectionResult, bootstrap_lrt, select


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
