"""E-step kernels: how the log-densities and moments of a chunk of rows are computed.

There are fewer kernels than covariance structures: every structure evaluates its
densities with one of four kernels, by the shape of its precision.

============  =================================  ===================================
kernel        precision Cholesky factors         second-moment statistic ``s2``
============  =================================  ===================================
full          (K, d, d) upper triangular         (K, d, d) per component
shared        (d, d), one for all components     (d, d) pooled over components
diagonal      (K, d), ``1 / std`` per feature     (K, d) per feature
isotropic     (K,), ``1 / std``                  (K,) summed over features
============  =================================  ===================================
"""

from .base import EXPAND_ERROR, EStepKernel, Plan, choose_mode
from .diagonal import DiagonalKernel, IsotropicKernel
from .full import FullKernel
from .shared import SharedKernel

__all__ = ["EStepKernel", "Plan", "EXPAND_ERROR", "choose_mode", "FullKernel", "SharedKernel",
           "DiagonalKernel", "IsotropicKernel"]
