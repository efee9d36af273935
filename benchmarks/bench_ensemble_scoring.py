"""``ensemble`` candidate scoring with the current engine and with an earlier commit's, side by side in
one run (issue 18's second yardstick: ``--candidates random:100`` on ``make-dataset nodule3d``).

Each side is a whole process that scores the candidates exactly as ``zc-synth ensemble`` does (a
:class:`~synth.search.live.LiveObjective` at the command's defaults, ``score_candidates``, one job), from
a temporary ``git worktree`` of ``--old`` or from this checkout. Two metrics: the formula the main job
gives at each commit (what a README user runs; ``--builtin-old`` / ``--builtin-new``), and the old
commit's formula on both engines, which isolates the engine. Reported: wall time of the scoring alone,
the ratio new/old, and the largest difference between the two sides' values.

    python benchmarks/bench_ensemble_scoring.py [--old 0744fe0] [--candidates random:100]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from worktree import ROOT, checkout, python_in

OLD_BUILTIN = ("az_trainability + fisher + meco + (flops/ntk_cond) - ((az_trainability + flops + l2_norm + meco + "
               "((meco*(l2_norm + ntk_trace))/ntk_cond) + ((meco*log(fisher))/ntk_cond) + ((-jacov + params)/"
               "sqrt(linear_regions)) + (log(fisher)/log(synflow)) - log(epe_nas) + log(fisher))/"
               "(fisher + flops*synflow)) + log(epe_nas) + 2*log(fisher)")
"""The main job's formula at 0744fe0 (its README, 'formula:')."""
NEW_BUILTIN = "grad_norm + meco"
"""The main job's formula now (README, 'formula:')."""

SCORER = r"""
import json, sys, time
from benchmarks_data.datasets import load_dataset
from synth.ensemble.candidates import score_candidates
from synth.formula import Formula
from synth.search.live import LiveObjective
dataset = load_dataset(sys.argv[1])
objective = LiveObjective(Formula(sys.argv[2]), dataset)
start = time.perf_counter()
scores = score_candidates(sys.argv[3], objective, seed=0)
print(json.dumps({"seconds": time.perf_counter() - start, "scores": scores}))
"""


def score(source: str, data: str, formula: str, candidates: str) -> dict:
    """Seconds and values of one side's candidate scoring (a fresh process with ``source`` first on the path)."""
    return json.loads(python_in(source, ["-c", SCORER, data, formula, candidates]).stdout.strip().splitlines()[-1])


def largest_difference(a: dict, b: dict) -> float:
    """Largest relative difference between two candidates -> value maps (inf where only one is finite)."""
    worst = 0.0
    for arch, x in a["scores"].items():
        y = b["scores"][arch]
        if x == y:
            continue
        finite = abs(x) != float("inf") and abs(y) != float("inf")
        worst = max(worst, abs(x - y) / max(abs(x), 1e-12) if finite else float("inf"))
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="0744fe0")
    parser.add_argument("--candidates", default="random:100")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "nodule3d.npz")
        subprocess.run([sys.executable, "-m", "synth", "make-dataset", "nodule3d", "--out", data, "--quiet"],
                       cwd=ROOT, check=True, capture_output=True)
        with checkout(args.old, tmp) as tree:
            rows = [("each commit's built-in formula", OLD_BUILTIN, NEW_BUILTIN),
                    ("the old built-in formula on both engines", OLD_BUILTIN, OLD_BUILTIN)]
            for label, old_formula, new_formula in rows:
                old = score(tree, data, old_formula, args.candidates)
                new = score(ROOT, data, new_formula, args.candidates)
                line = (f"{label}: old {old['seconds']:.1f} s, new {new['seconds']:.1f} s, "
                        f"ratio new/old {new['seconds'] / old['seconds']:.2f}")
                if old_formula == new_formula:
                    line += f"; largest relative difference of the values {largest_difference(old, new):.2g}"
                print(line, flush=True)


if __name__ == "__main__":
    main()
