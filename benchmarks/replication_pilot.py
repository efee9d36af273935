"""Size a benchmark table before building it: does its ground truth replicate under a second seed?

Trains ``--archs`` architectures of a space (no proxies) with two seeds at the given settings and
prints, for each measure, the Spearman correlation of the two seeds over the architectures, the
Spearman of validation against test, the range, and the CPU seconds per network. Every finished
training is kept in ``--out`` (JSON), so a stopped pilot resumes. ``--repeats R`` with 2R seeds
compares the mean of the first R with the mean of the next R: the replication of a table built with
``build-benchmark --repeats R``.

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
    parser.add_argument("--repeats", type=int, default=1,
                        help="compare the mean of the first R seeds with the mean of the next R (as a table built "
                             "with build-benchmark --repeats R would be checked); --seeds lists 2R seeds")
    parser.add_argument("--keep", default="best", choices=("best", "last"))
    parser.add_argument("--folds", type=int, default=1, help="K-fold cross-validation (build-benchmark --folds)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", required=True, help="JSON of finished trainings (resumed)")
    args = parser.parse_args()
    dataset = load_dataset(args.data)
    space = get(args.space)
    width, cells = space.small_size()
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.repeats < 1 or len(seeds) < 2 * args.repeats:
        raise SystemExit(f"--repeats {args.repeats} compares two groups of {args.repeats} seeds: --seeds lists "
                         f"{len(seeds)}")
    archs = parse_archs(args.archs, 0, space)
    specs = {s: BuildSpec(dataset=dataset.name, dim=dataset.dim, in_channels=dataset.in_channels,
                          num_classes=dataset.num_classes, space=space.name, width=args.width or width,
                          cells=args.cells or cells, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                          seed=s, weight_decay=args.weight_decay, keep=args.keep,
                          folds=args.folds) for s in seeds}
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
    report(done, archs, seeds, args.repeats)


def report(done: dict, archs: list[str], seeds: list[int], repeats: int = 1) -> None:
    """Per measure: the Spearman of the first and the second group of ``repeats`` seeds (each group's
    mean, as ``build-benchmark --repeats`` records it) over the architectures both groups finished,
    the first group's validation-vs-test Spearman and its range."""
    groups = [seeds[:repeats], seeds[repeats:2 * repeats]]
    both = [x for x in archs if all(f"{s}|{x}" in done for g in groups for s in g)]
    names = [" + ".join(map(str, g)) for g in groups]
    print(f"\n{len(both)} architectures trained with seeds {names[0]} and {names[1]}"
          + (f" (the mean of each group of {repeats})" if repeats > 1 else ""))

    def value(group: list[int], arch: str, key: str) -> float | None:
        values = [done[f"{s}|{arch}"].get(key) for s in group]
        return None if any(v is None for v in values) else float(np.mean(values))

    for split in ("val", "test"):
        for m in MEASURES:
            key = f"{split}_{m}"
            first = [value(groups[0], x, key) for x in both]
            second = [value(groups[1], x, key) for x in both]
            if any(v is None for v in first + second) or len(both) < 3:
                continue
            vt = spearmanr([value(groups[0], x, f"val_{m}") for x in both],
                           [value(groups[0], x, f"test_{m}") for x in both])[0]
            print(f"{key:18s} seeds Spearman {spearmanr(first, second)[0]:6.3f}   val-vs-test {vt:6.3f}   "
                  f"range {min(first):.3f} .. {max(first):.3f} (median {np.median(first):.3f})")
    secs = [done[k]["train_time"] for k in done]
    print(f"seconds per network: median {np.median(secs):.1f}")


if __name__ == "__main__":
    main()
