"""The formula error type, in a module of its own so that the command line can catch it without
loading sympy."""
from __future__ import annotations

from zc_core.errors import ZcError


class FormulaError(ZcError):
    """A formula that cannot be parsed or evaluated; the message is one line."""
