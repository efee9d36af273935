"""Choose dataset D's stand-in images (no CIFAR-10 here) on a development split of NB201-CF10.

Draws ``--n`` NB201-CF10 cells with all 13 suite proxies that are *not* among dataset D's 1,000
(``random:1000``, seed 0), computes ZiCo, MeCo and SWAP on the suite's networks with each stand-in
(``mnist``: the real digits, padded to 32x32, 3 channels; ``gaussian``: noise), and prints each
proxy's Kendall tau with the cells' CIFAR-10 validation accuracy. The stand-in with the higher mean
tau builds dataset D; the cells of D itself (and NB101/NB301) are never used for the choice.

    python benchmarks/choose_stand_in.py [--n 100] [--work DIR]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks_data.suite import read_suite  # noqa: E402
from benchmarks_data.suite_proxies import STAND_INS, choose_keys, score_suite, suite_keys  # noqa: E402

NB201 = ROOT.parent / "shared" / "benchmarks" / "suite-zero" / "zc_nasbench201.json"
PROXIES = ("zico", "meco", "swap")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--jobs", type=int, default=1)
    p.add_argument("--work", type=Path, default=ROOT / "runs" / "choose_stand_in")
    args = p.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    d_keys = set(choose_keys(str(NB201), "cifar10", "random:1000", 0))
    rest = [k for k in suite_keys(str(NB201), "cifar10", complete=True) if k not in d_keys]
    rng = np.random.default_rng(12345)
    dev = [rest[i] for i in np.sort(rng.choice(len(rest), size=args.n, replace=False))]
    keys_file = args.work / "dev_keys.txt"
    keys_file.write_text("\n".join(dev) + "\n")
    accuracy = read_suite(str(NB201)).table("cifar10")["val_accuracy"]
    print(f"{len(dev)} development cells of NB201-CF10 (none in dataset D); Kendall tau with val accuracy")
    print(f"{'stand-in':10s} " + " ".join(f"{p:>7s}" for p in PROXIES) + "     mean")
    means = {}
    for stand_in in STAND_INS:
        table = score_suite(str(NB201), "cifar10", PROXIES, str(args.work / f"dev_{stand_in}.json"),
                            data=stand_in, archs=str(keys_file), jobs=args.jobs)["cifar10"]
        taus = []
        for proxy in PROXIES:
            values = np.array([table[k][proxy]["score"] if table[k][proxy]["score"] is not None else np.nan
                               for k in dev], dtype=float)
            ok = np.isfinite(values)
            taus.append(kendalltau(values[ok], accuracy.loc[dev].to_numpy()[ok])[0])
        means[stand_in] = float(np.mean(taus))
        print(f"{stand_in:10s} " + " ".join(f"{t:7.3f}" for t in taus) + f"  {means[stand_in]:7.3f}")
    print(f"chosen: {max(means, key=means.get)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
