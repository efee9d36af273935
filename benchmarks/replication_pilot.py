"""Size a benchmark table before building it: does its ground truth replicate under a second seed?

Trains ``--archs`` architectures of a space (no proxies) with two seeds at the given settings and
prints, for each measure, the Spearman correlation of the two seeds over the architectures, the
Spearman of validation against test, the range, and the CPU seconds per network. Every finished
training is kept in ``--out`` (JSON), so a stopped pilot resumes.

    python benchmarks/replication_pilot.py --data cinc.npz --space nb201 --archs random:8 \
        --epochs 6 --lr 0.01 --weight-decay 1e-7 --out /tmp/pilot-cinc.json --jobs 2
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
from scipy.stats import spearmanr

from benchmarks_data.builder import BuildSpec, evaluate_architecture
from benchmarks_data.datasets import load_dataset
from proxies.batch import parse_archs
from proxies.parallel import parallel_map
from proxies.spaces import get

MEASURES = ("accuracy", "macro_f1", "challenge_f1", "auc", "log_loss")


def _train(arch: str, spec: BuildSpec, path: str) -> tuple[str, int, dict]:
    import torch

    torch.set_num_threads(1)
    record = evaluate_architecture(arch, spec, load_dataset(path), "cpu")
    return arch, spec.seed, record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True)
    parser.add_argument("--space", default="nb201")
    parser.add_argument("--archs", default="random:8")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--width", type=int, default=None)
    parser.add_argument("--cells", type=int, default=None)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--weight-decay", type=float, default=5e-4)
    parser.add_argument("--seeds", default="0,1")
    parser.add_argument("--keep", default="best", choices=("best", "last"))
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", required=True, help="JSON of finished trainings (resumed)")
    args = parser.parse_args()
    dataset = load_dataset(args.data)
    space = get(args.space)
    width, cells = space.small_size()
    seeds = [int(s) for s in args.seeds.split(",")]
    archs = parse_archs(args.archs, 0, space)
    specs = {s: BuildSpec(dataset=dataset.name, dim=dataset.dim, in_channels=dataset.in_channels,
                          num_classes=dataset.num_classes, space=space.name, width=args.width or width,
                          cells=args.cells or cells, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                          seed=s, weight_decay=args.weight_decay, keep=args.keep) for s in seeds}
    done: dict = {}
    if os.path.exists(args.out):
        with open(args.out, encoding="utf-8") as handle:
            saved = json.load(handle)
        if saved["spec"] != specs[seeds[0]].to_json():
            raise SystemExit(f"{args.out} holds a pilot of other settings")
        done = saved["runs"]
    tasks = [(_train, (a, specs[s], args.data)) for s in seeds for a in archs if f"{s}|{a}" not in done]
    for arch, seed, record in parallel_map(tasks, args.jobs, None, torch_jobs=True):
        done[f"{seed}|{arch}"] = {k: v for k, v in record.items() if k != "val_curve"}
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump({"spec": specs[seeds[0]].to_json(), "runs": done}, handle)
        print(f"seed {seed} {arch}: val acc {record['val_accuracy']:.1f}, test F1 {record['test_macro_f1']:.3f}, "
              f"{record['train_time']:.0f} s", flush=True)
    report(done, archs, seeds)


def report(done: dict, archs: list[str], seeds: list[int]) -> None:
    a, b = seeds[:2]
    both = [x for x in archs if f"{a}|{x}" in done and f"{b}|{x}" in done]
    print(f"\n{len(both)} architectures trained with seeds {a} and {b}")
    for split in ("val", "test"):
        for m in MEASURES:
            key = f"{split}_{m}"
            first = [done[f"{a}|{x}"].get(key) for x in both]
            second = [done[f"{b}|{x}"].get(key) for x in both]
            if any(v is None for v in first + second) or len(both) < 3:
                continue
            vt = spearmanr([done[f"{a}|{x}"][f"val_{m}"] for x in both],
                           [done[f"{a}|{x}"][f"test_{m}"] for x in both])[0]
            print(f"{key:18s} seeds Spearman {spearmanr(first, second)[0]:6.3f}   val-vs-test {vt:6.3f}   "
                  f"range {min(first):.3f} .. {max(first):.3f} (median {np.median(first):.3f})")
    secs = [done[k]["train_time"] for k in done]
    print(f"seconds per network: median {np.median(secs):.1f}")


if __name__ == "__main__":
    main()
