"""The one exception type for bad benchmark input (files, problem names, features)."""


class DataError(ValueError):
    """Bad input data: the message is one line that says what is wrong and how to fix it."""
