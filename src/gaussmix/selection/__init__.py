"""Model selection: fit candidates over K and covariance types, choose by BIC or AIC."""

from .result import SelectionResult
from .search import DEFAULT_COVARIANCE_TYPES, TABLE_COLUMNS, select

__all__ = ["DEFAULT_COVARIANCE_TYPES", "SelectionResult", "TABLE_COLUMNS", "select"]
