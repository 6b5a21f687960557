"""Model selection: fit candidates over K and covariance types, choose by BIC, AIC or
ICL."""

from .result import SelectionResult
from .search import CRITERIA, DEFAULT_COVARIANCE_TYPES, TABLE_COLUMNS, select

__all__ = ["CRITERIA", "DEFAULT_COVARIANCE_TYPES", "SelectionResult", "TABLE_COLUMNS",
           "select"]
