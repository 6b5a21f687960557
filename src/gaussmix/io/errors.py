"""The errors a user's files and data raise (one-sentence messages)."""


class DataError(ValueError):
    """The data or a file given by the user cannot be used (one-sentence message)."""


class MissingFolderError(DataError, FileNotFoundError):
    """An output's folder does not exist (a :class:`DataError` and a
    ``FileNotFoundError``: one error for one cause, whatever writes the file)."""
