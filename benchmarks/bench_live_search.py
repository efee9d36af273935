"""Live aging evolution: evaluations per minute in each space, as a ratio to NB201 in the same run.

Each measurement is one whole ``zc-synth search --algo aging`` process on the stand-in dataset, with
the metric computing only the proxies it reads (default: the built-in metric, ``grad_norm + meco``)
at each space's search size (its small size), ``--budget`` evaluations, repeated ``--repeats`` times
with the spaces alternating (this machine is shared and noisy: a ratio in one run is what compares).
The rate is evaluations over the search's own wall time (``search.json``'s ``seconds``: start-up and
imports excluded, every proxy computation and the algorithm included); the median over repeats.

    python benchmarks/bench_live_search.py                      # ECG and MNIST, nb201 vs darts, ~10 min
    python benchmarks/bench_live_search.py --spaces nb201,darts,nb101 --budget 30 --repeats 3
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def zc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "synth", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def rate(space: str, dataset: str, metric: str, budget: int, out: Path) -> float:
    """Evaluations per minute of one fresh search process."""
    zc("search", "--algo", "aging", "--space", space, "--dataset", dataset, "--metric", metric,
       "--budget", str(budget), "--population", str(max(2, budget // 2)), "--tournament", "2",
       "--quiet", "--out", str(out))
    doc = json.loads((out / "search.json").read_text())
    return 60.0 * doc["runs"][0]["evaluations"] / doc["seconds"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--spaces", default="nb201,darts", help="comma-separated spaces; the first is the reference")
    p.add_argument("--metric", default="grad_norm + meco", help="the metric (default the built-in one)")
    p.add_argument("--datasets", default="ecg,mnist", help="make-dataset kinds (default ecg,mnist)")
    p.add_argument("--n", type=int, default=600, help="samples per dataset (default 600)")
    p.add_argument("--budget", type=int, default=20, help="evaluations per search (default 20)")
    p.add_argument("--repeats", type=int, default=2)
    args = p.parse_args(argv)
    spaces = args.spaces.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"metric {args.metric}, budget {args.budget}, {args.repeats} alternating repeats, "
              f"evaluations per minute (median) and ratio to {spaces[0]}")
        print(f"{'dataset':8s} " + " ".join(f"{s:>22s}" for s in spaces))
        for kind in args.datasets.split(","):
            data = str(Path(tmp) / f"{kind}.npz")
            zc("make-dataset", kind, "--n", str(args.n), "--quiet", "--out", data)
            rates: dict[str, list[float]] = {s: [] for s in spaces}
            for repeat in range(args.repeats):
                for space in spaces:
                    rates[space].append(rate(space, data, args.metric, args.budget,
                                             Path(tmp) / f"{kind}-{space}-{repeat}"))
            medians = {s: float(np.median(r)) for s, r in rates.items()}
            ref = medians[spaces[0]]
            print(f"{kind:8s} " + " ".join(f"{medians[s]:9.1f} /min ({medians[s] / ref:4.2f}x)" for s in spaces),
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
