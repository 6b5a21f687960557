"""Model selection: fit candidates over K and covariance types, choose by BIC, AIC or
ICL; or choose K by bootstrap likelihood-ratio tests."""

from .lrt import bootstrap_lrt
from .lrt_result import LRT_COLUMNS, BootstrapLRTResult
from .result import SelectionResult
from .search import CRITERIA, DEFAULT_COVARIANCE_TYPES, TABLE_COLUMNS, select

__all__ = ["BootstrapLRTResult", "CRITERIA", "DEFAULT_COVARIANCE_TYPES", "LRT_COLUMNS",
           "SelectionResult", "TABLE_COLUMNS", "bootstrap_lrt", "select"]
