"""Report on the built-in benchmark tables: learnability, spread, params/flops baselines, stability.

For each built-in problem: accuracy range against chance, Kendall tau of params and flops (and the
best single proxy) with val_accuracy; for a table that declares a measure (the clinical tables),
that measure's range, median and best, the Spearman of its validation and test values over every
architecture, and the build's CPU time. Then it retrains ``--retrain`` architectures spread over the
range with another seed (same settings as the table, from its .build.json; ``--jobs`` at once, one
thread each) and prints the rank correlation of the two seeds on the table's measure.

    python benchmarks/check_builtin.py --datasets /tmp/zc-synth-builtin [--retrain 10] [--seed 1]
    python benchmarks/check_builtin.py --datasets /tmp/zc-synth-clinical --problems CINC-ECG --retrain 20 --jobs 2

``--datasets`` is the scratch folder of ``benchmarks_data/builtin/regenerate*.sh`` (ecg.npz, cinc.npz, ...).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import torch
from scipy.stats import kendalltau, spearmanr
from tqdm import tqdm

from benchmarks_data import builtin
from benchmarks_data.builder import BuildSpec, evaluate_architecture
from benchmarks_data.datasets import load_dataset
from benchmarks_data.measures import sign
from benchmarks_data.suite import declared_measure
from proxies.parallel import parallel_map


def _retrain(arch: str, spec: BuildSpec, path: str) -> tuple[str, dict]:
    return arch, evaluate_architecture(arch, spec, load_dataset(path), "cpu")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "zc-synth-builtin"))
    parser.add_argument("--retrain", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None,
                        help="the second training seed (default: the first seed the table did not use)")
    parser.add_argument("--only", help="check only this task (ecg, mnist or nodule3d)")
    parser.add_argument("--jobs", type=int, default=1, help="retrainings at once (one torch thread each)")
    parser.add_argument("--problems", help="check only these built-in problems (comma-separated aliases, e.g. "
                                           "NB101-ECG,DARTS-MNIST; default: every finished table)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    wanted = set(args.problems.split(",")) if args.problems else None
    for alias, path in builtin.tables().items():
        if wanted is not None and alias not in wanted:
            continue
        with open(f"{path}.build.json", encoding="utf-8") as handle:
            spec = json.load(handle)["spec"]
        with open(path, encoding="utf-8") as handle:
            (task, rows), = json.load(handle).items()
        if args.only and task != args.only:
            continue
        archs = list(rows)
        measure = declared_measure(path)
        key = f"val_{measure}" if measure else "val_accuracy"
        oriented = sign(key)                     # log-loss negated: "best" is the highest of every measure
        acc = oriented * np.array([rows[a][key] if rows[a].get(key) is not None else np.nan for a in archs], float)
        chance = 100.0 / spec["num_classes"]
        print(f"\n== {alias} ({os.path.basename(path)} / {task}, {spec.get('space', 'nb201')}): {len(archs)} architectures, {spec['dim']}D, "
              f"C={spec['width']} N={spec['cells']}, {spec['epochs']} epochs")
        if measure:
            test = oriented * np.array([rows[a].get(f"test_{measure}") for a in archs], float)
            cpu = sum(r.get("train_time", 0) + sum(v["time"] for v in r.values() if isinstance(v, dict)
                                                   and "time" in v) for r in rows.values())
            print(f"{key}{' (negated)' if oriented < 0 else ''}: min {np.nanmin(acc):.3f}  median {np.nanmedian(acc):.3f}  best {np.nanmax(acc):.3f}; "
                  f"test_{measure}: min {np.nanmin(test):.3f}  median {np.nanmedian(test):.3f}  best "
                  f"{np.nanmax(test):.3f}; Spearman(val, test) over {len(archs)} architectures "
                  f"{spearmanr(acc, test, nan_policy='omit')[0]:.3f}; build CPU time {cpu / 3600:.2f} h")
        else:
            print(f"val accuracy: min {acc.min():.1f}  median {np.median(acc):.1f}  max {acc.max():.1f}  "
                  f"std {acc.std():.1f}  (chance {chance:.1f}); share above chance + 10 points: "
                  f"{np.mean(acc > chance + 10):.2f}")
        taus = {}
        for proxy in spec["proxies"]:
            vals = np.array([rows[a][proxy]["score"] if rows[a][proxy]["score"] is not None else np.nan for a in archs])
            ok = np.isfinite(vals)
            if ok.sum() > 2:
                ok &= np.isfinite(acc)
                taus[proxy] = kendalltau(vals[ok], acc[ok])[0]
        best = max(taus, key=lambda p: abs(taus[p]))
        print(f"Kendall tau with {key}: params {taus.get('params', float('nan')):.3f}, flops "
              f"{taus.get('flops', float('nan')):.3f}; best single proxy {best} {taus[best]:.3f}")
        data_path = os.path.join(args.datasets, f"{task}.npz")
        if not os.path.isfile(data_path):
            print(f"(no {data_path}: skipping the retraining check)")
            continue
        order = np.argsort(acc)
        picks = [archs[order[i]] for i in np.linspace(0, len(archs) - 1, args.retrain).round().astype(int)]
        seed = spec["seed"] + spec.get("repeats", 1) if args.seed is None else args.seed
        retrain = BuildSpec(**{**spec, "seed": seed, "proxies": ()})       # the table's training, other seed(s)
        tasks = [(_retrain, (arch, retrain, data_path)) for arch in picks]
        again = dict(tqdm(parallel_map(tasks, args.jobs, None, torch_jobs=True), total=len(picks),
                          desc=f"retrain {task} with seed {seed}"))
        first = [oriented * rows[arch][key] for arch in picks]
        second = [oriented * again[arch][key] for arch in picks]
        rho, tau = spearmanr(first, second)[0], kendalltau(first, second)[0]
        digits = 3 if measure else 1
        repeats = spec.get("repeats", 1)

        def seeds(start: int) -> str:
            return f"seed {start}" if repeats == 1 else f"mean of seeds {start}..{start + repeats - 1}"

        print(f"{len(picks)} architectures, {key}, {seeds(spec['seed'])} vs {seeds(seed)}: Spearman {rho:.3f}, "
              f"Kendall {tau:.3f}; mean |difference| {np.mean(np.abs(np.subtract(first, second))):.{digits}f}")
        print(f"  {seeds(spec['seed'])}: " + " ".join(f"{v:.{digits}f}" for v in first))
        print(f"  {seeds(seed)}: " + " ".join(f"{v:.{digits}f}" for v in second))


if __name__ == "__main__":
    main()
