"""Files: one atomic writer, model documents (JSON), data tables (CSV, Parquet, .npy).

Nothing here knows the estimators: :mod:`gaussmix.mixture.persistence` turns a
fitted mixture into a document and back.
"""

from .atomic import atomic_path, check_folder, write_text
from .errors import DataError, MissingFolderError

__all__ = ["DataError", "MissingFolderError", "atomic_path", "check_folder", "write_text"]
