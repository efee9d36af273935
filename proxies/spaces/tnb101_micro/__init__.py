"""The TransNAS-Bench-101-Micro search space: cell encodings, the task table, the network builder and
the registry's ``SPACE``.

The encodings are plain Python; :class:`TNB101MicroNetwork` (torch) loads on first use, so code that
only reads or writes keys does not import torch.
"""
from ..base import ArchError
from .encoding import EDGES, OPS, cell_string, parse_key, tnb_string
from .space import SPACE, TNB101MicroSpace
from ..tnb101_tasks import TASKS, Task

__all__ = ["EDGES", "OPS", "SPACE", "TASKS", "ArchError", "TNB101MicroNetwork", "TNB101MicroSpace", "Task",
           "cell_string", "parse_key", "tnb_string"]


def __getattr__(name: str):
    if name == "TNB101MicroNetwork":
        from .network import TNB101MicroNetwork

        return TNB101MicroNetwork
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
