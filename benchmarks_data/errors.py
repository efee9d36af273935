"""The one exception type for bad input (files, problem names, features), and the input limits it enforces."""


class DataError(ValueError):
    """Bad input data: the message is one line that says what is wrong and how to fix it."""


MAX_CLASSES = 100_000
"""Largest class count a label array may imply: a label is a class index, and a huge one is a mistake
that would otherwise allocate an output layer of that size."""
