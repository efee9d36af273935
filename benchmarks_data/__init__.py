"""Benchmark tables (NAS-Bench-Suite-Zero files and the project's own) turned into problems."""
from .errors import DataError
from .problems import ALIASES, MIN_ROWS, Problem, load_problems, resolve_name
from .suite import SENTINEL, SuiteFile, mask_missing, read_suite

__all__ = ["ALIASES", "MIN_ROWS", "DataError", "Problem", "SENTINEL", "SuiteFile", "load_problems",
           "mask_missing", "read_suite", "resolve_name"]
