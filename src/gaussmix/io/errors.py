"""The errors a user's files and data raise (one-sentence messages)."""


class DataError(ValueError):
    """The data or a file given by the user cannot be used (one-sentence message)."""


class MissingFolderError(DataError, FileNotFoundError):
    """An output's folder does not exist (a :class:`DataError` and a
    ``FileNotFoundError``: one error for one cause, whatever writes the file)."""


class MissingFileError(DataError, FileNotFoundError):
    """An input file does not exist (a :class:`DataError` and a ``FileNotFoundError``)."""


class OutputPermissionError(DataError, PermissionError):
    """An output cannot be written: its folder is not writable, or the file is
    read-only and replacing it was not forced (a :class:`DataError` and a
    ``PermissionError``, whose message names the output, never a temporary file)."""
