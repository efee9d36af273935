"""How ``zc-synth evolve`` should choose its formula: held-out Kendall tau of each setting by ``validate``.

Runs ``zc-synth validate`` (leave one problem out, or one space out with ``--group space``) on the 17
development problems (benchmarks/dev_problems.py) once per setting and prints, per setting, the synthesized metric's mean
held-out tau and mean rank and the best other metric (proxy or baseline). Each setting writes its own
folder under ``--work``, so a stopped run resumes and a finished one is only summarized.

    python benchmarks/choose_selection.py [--work runs/choose_selection] [--settings transfer train ...]
        [--seeds 0 1] [--group space]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_problems import BENCH, ROOT, cli_args, full_cli_args  # noqa: E402

SETTINGS = {
    "transfer": [],
    "train": ["--select", "train"],
    "parsimony-0": ["--parsimony", "0"],
    "parsimony-0.03": ["--parsimony", "0.03"],
    "folds-5": ["--folds", "5"],
    "fold-by-space": ["--fold-by", "space"],
    "worst-0.5": ["--worst-weight", "0.5"],
    "worst-1": ["--worst-weight", "1"],
    "worst-2": ["--worst-weight", "2"],
    "balance-space": ["--balance", "space"],
    "balance-space-worst-0.5": ["--balance", "space", "--worst-weight", "0.5"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "runs" / "choose_selection")
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0], help="validate --seed values (GP and splits)")
    parser.add_argument("--group", default="problem", choices=("problem", "space"), help="validate --group")
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--full", action="store_true",
                        help="the full development set (dataset D, TNB-macro, every built-in table; issue 28)")
    parser.add_argument("--tables", help="with --full: these built-in tables (comma-separated aliases; default every "
                                         "finished one)")
    args = parser.parse_args()
    for seed in args.seeds:
        for name in args.settings:
            summarize(name, seed, args)


def summarize(name: str, seed: int, args: argparse.Namespace) -> None:
    """Run (or resume) one setting's validate and print its line."""
    folder = (name if args.group == "problem" else f"{name}-by-space") + ("-full" if args.full else "")
    out = args.work / (folder if seed == 0 else f"{folder}-seed{seed}")
    tables = args.tables.split(",") if args.tables else None
    data = full_cli_args(args.bench, tables=tables) if args.full else cli_args(args.bench)
    subprocess.run([sys.executable, "-m", "synth", "validate", *data, *SETTINGS[name],
                    "--group", args.group, "--seed", str(seed), "--jobs", "2", "--quiet", "--out", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    result = json.loads((out / "validation.json").read_text())
    tau, rank = result["mean_tau"], result["mean_rank"]
    rival = max((m for m in tau if m != "FORMULA"), key=lambda m: tau[m])
    ranked = min((m for m in rank if m != "FORMULA"), key=lambda m: rank[m])
    print(f"{name:15s} {args.group} seed {seed}: FORMULA mean tau {tau['FORMULA']:.4f} rank {rank['FORMULA']:.2f} | best other: "
          f"{rival} {tau[rival]:.4f}, by rank {ranked} {rank[ranked]:.2f}", flush=True)


if __name__ == "__main__":
    main()
