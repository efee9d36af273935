"""The SR-NAS paper's Table 5 on zc-synth's own dataset D: the paper job without and with ZiCo, MeCo, SWAP.

D- is the 13 suite proxies, D adds ``benchmarks_data/builtin/d_nasbench{101,201,301}.json`` (zc-synth
suite-proxies on the suite's own networks, MNIST stand-in images), joined with ``--data SUITE+D``. Both
rows use the same architectures: NB101-CF10 (500 pre-release keys), NB301-CF10 (725) and the 1,000
NB201-CF10 cells of dataset D (a seeded subset of the 9,444 with every suite proxy), so the only
difference is the three proxies. Each is ``zc-synth evolve --select train`` (the paper's rule), 31 runs,
seed 0, a 70/30 split per problem; printed: the test tau of the chosen formula, and the mean and best
over the 31 runs' winners, beside the paper's numbers (its D- and D rows as issue 28 quotes them).

    python benchmarks/table5.py [--work runs/table5]     # two evolve jobs, about a minute each
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_problems import ROOT, nb201_d_subset  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks"
BUILTIN = ROOT / "benchmarks_data" / "builtin"
PROBLEMS = ("NB101-CF10", "NB201-CF10", "NB301-CF10")
PAPER = {"D-": (0.54, 0.72, 0.39), "D": (0.61, 0.76, 0.40)}


def evolve(files: list[str], out: Path) -> dict:
    if not (out / "result.json").exists():
        data = [a for f in files for a in ("--data", f)]
        subprocess.run([sys.executable, "-m", "synth.cli", "evolve", *data, "--problems", ",".join(PROBLEMS),
                        "--select", "train", "--worst-weight", "0", "--out", str(out), "--quiet"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    return json.loads((out / "result.json").read_text())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--work", type=Path, default=ROOT / "runs" / "table5")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    plain = [str(SHARED / "suite-zero-prerelease" / "zc_nasbench101.json"), str(nb201_d_subset(args.work / "nb201")),
             str(SHARED / "suite-zero-prerelease" / "zc_nasbench301.json")]
    extras = [BUILTIN / f"d_{name}.json" for name in ("nasbench101", "nasbench201", "nasbench301")]
    rows = {"D-": evolve(plain, args.work / "d_minus"),
            "D": evolve([f"{f}+{e}" for f, e in zip(plain, extras)], args.work / "d")}
    names = list(PROBLEMS)
    print(f"{'':22s}" + "".join(f"{p:>12s}" for p in PROBLEMS))
    for label, result in rows.items():
        chosen = [result["problems"][n]["test_tau"] for n in names]
        runs = [[run["test_tau"][n] for run in result["runs"]] for n in names]
        print(f"{label + ' chosen formula':22s}" + "".join(f"{v:12.3f}" for v in chosen))
        print(f"{label + ' mean of 31 runs':22s}" + "".join(f"{sum(r) / len(r):12.3f}" for r in runs))
        print(f"{label + ' best of 31 runs':22s}" + "".join(f"{max(r):12.3f}" for r in runs))
        print(f"{label + ' paper':22s}" + "".join(f"{v:12.2f}" for v in PAPER[label]))
        print(f"{label + ' rows (train/test)':22s}" + "".join(
            f"{result['problems'][n]['n_train']:>7d}/{result['problems'][n]['n_test']:<4d}" for n in names))
        print(f"  {label} formula: {result['formula']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
