"""Lookup search in every space's suite table: aging evolution against random search.

For NB101-CF10, NB301-CF10 and TransNAS-Bench-101 micro and macro tasks (pre-release tables, the
ones with complete proxies), 10 seeds each with a budget of 10 % of the table's rows: the share of
aging runs whose architecture is in the metric's top 5 % of the table, and the mean (std) accuracy of
aging and of random search with the same evaluations.

Two metrics, both fixed before any of these runs:

- ``--metric synflow`` (default): ``synflow`` where the table has it, else ``grad_norm`` (suite proxies);
- ``--metric heldout``: what zc-synth is for, a formula synthesized without the searched space. For
  each problem, ``zc-synth evolve --fold-by space`` (defaults otherwise) on every *other* space's
  pre-release suite file, so the formula never saw a row of the space it searches; the runs are
  cached under ``--work`` (``heldout-<space>/``) and resume.

The aging settings are scaled to the small budgets (50-73
evaluations) as the algorithm needs, not tuned here: population 10, tournament 5 (the default
population of 100 would exceed every budget and make aging a random search).

    python benchmarks/search_spaces.py                    # about a minute
    python benchmarks/search_spaces.py --metric heldout   # plus four evolve runs, about 3 minutes
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks_data import load_problems  # noqa: E402
from synth.formula import Formula  # noqa: E402
from synth.search.algorithms import get_algorithm  # noqa: E402
from synth.search.lookup import load_lookup  # noqa: E402

PRE = ROOT.parent / "shared" / "benchmarks" / "suite-zero-prerelease"
PROBLEMS = [("zc_nasbench101.json", "NB101-CF10"), ("zc_nasbench301.json", "NB301-CF10"),
            ("zc_transbench101_micro.json", "TNB101-MICRO-SCENE"),
            ("zc_transbench101_micro.json", "TNB101-MICRO-OBJECT"),
            ("zc_transbench101_macro.json", "TNB101-MACRO-SCENE"),
            ("zc_transbench101_macro.json", "TNB101-MACRO-OBJECT")]


def heldout_formula(folder: Path, left_out: str, problem: str, work: Path) -> str:
    """The formula ``zc-synth evolve --fold-by space`` synthesizes on every pre-release suite file of
    ``folder`` but ``left_out``, over the proxies ``problem`` has (cached in ``work/heldout-<problem>/``)."""
    out = work / f"heldout-{problem}"
    result = out / "result.json"
    if not result.exists():
        features = ",".join(load_problems([str(folder / left_out)], [problem])[0].features.columns)
        data = [a for f in sorted(folder.glob("zc_*.json")) if f.name != left_out for a in ("--data", str(f))]
        subprocess.run([sys.executable, "-m", "synth.cli", "evolve", *data, "--features", features,
                        "--fold-by", "space", "--out", str(out), "--quiet"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    return json.loads(result.read_text())["formula"]


def run(path: Path, problem: str, seeds: list[int], share: float, metric: str = "synflow",
        work: Path | None = None) -> dict:
    if metric == "heldout":
        metric = heldout_formula(path.parent, path.name, problem, work or ROOT / "runs" / "search_spaces")
        objective = load_lookup(str(path), problem, Formula(metric))
    else:
        try:
            objective = load_lookup(str(path), problem, Formula(metric))
        except ValueError:
            metric = "grad_norm"
            objective = load_lookup(str(path), problem, Formula(metric))
    rows = objective.evaluable
    budget = math.ceil(share * rows)
    out = {"problem": problem, "metric": metric, "rows": rows, "budget": budget, "space": objective.space.name}
    for algo, settings in (("aging", {"population": 10, "tournament": 5}), ("random", {})):
        accuracies, top = [], 0
        for seed in seeds:
            result = get_algorithm(algo)(seed=seed, budget=budget, **settings).fit(objective).result_
            accuracies.append(objective.accuracy(result.arch))
            top += objective.percentile(result.value) >= 95.0
        out[algo] = {"mean": float(np.mean(accuracies)), "std": float(np.std(accuracies)), "top5": top}
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--share", type=float, default=0.1, help="budget as a share of the table's rows (default 0.1)")
    p.add_argument("--folder", type=Path, default=PRE)
    p.add_argument("--metric", choices=("synflow", "heldout"), default="synflow",
                   help="synflow (else grad_norm), or a formula synthesized without the searched space")
    p.add_argument("--work", type=Path, default=ROOT / "runs" / "search_spaces",
                   help="where --metric heldout keeps its evolve runs")
    args = p.parse_args(argv)
    seeds = list(range(args.seeds))
    print(f"{'problem':20s} {'space':13s} {'metric':9s} {'rows':>5s} {'budget':>6s}  {'aging top-5%':>12s}  "
          f"{'aging acc':>14s}  {'random acc':>14s}  {'random top-5%':>13s}")
    for file, problem in PROBLEMS:
        r = run(args.folder / file, problem, seeds, args.share, args.metric, args.work)
        print(f"{problem:20s} {r['space']:13s} {r['metric']:9s} {r['rows']:5d} {r['budget']:6d}  "
              f"{r['aging']['top5']:>5d} of {len(seeds):<3d}  {r['aging']['mean']:7.2f} +- {r['aging']['std']:4.2f}  "
              f"{r['random']['mean']:7.2f} +- {r['random']['std']:4.2f}  {r['random']['top5']:>6d} of {len(seeds)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
