"""Every ``zc-synth`` command: one module each, named after the command, with ``add_parser(sub)``
(its options) and ``run(args)`` (the work, through the library). Modules import only argparse-level
code at the top, so ``zc-synth --help`` loads neither torch, pandas nor scikit-learn."""
from __future__ import annotations

COMMANDS: dict[str, str] = {
    "evolve": "evolve",
    "evaluate": "evaluate",
    "validate": "validate",
    "report": "report",
    "baseline": "baseline",
    "compare": "compare",
    "search": "search",
    "train": "train",
    "ensemble": "ensemble",
    "predict": "predict",
    "proxies": "proxies",
    "spaces": "spaces",
    "make-dataset": "make_dataset",
    "build-benchmark": "build_benchmark",
    "suite-proxies": "suite_proxies",
    "ftscorenet": "ftscorenet",
}
"""Command name -> its module in this package, in the order ``zc-synth --help`` lists them."""
