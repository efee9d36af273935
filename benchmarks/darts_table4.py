"""SR-NAS Table 4 on this CPU: aging evolution in the DARTS space with a metric computed live, then
the found network trained, against the same search with other metrics, random architectures and HNAS.

There is no CIFAR-10 here. The stand-ins are the project's own datasets: ``make-dataset mnist``
(5,000 real MNIST digits at 16x16, 1 channel, 10 classes: 1,000 to train, 2,000 to validate, 2,000 to test) and ``make-dataset ecg`` (synthetic ECG
rhythms, 1 channel x 1,000 samples, 4 classes, ``--n 600``: 360 to train). For each dataset and seed 0..4:

* (a) ``builtin``: aging evolution with the built-in synthesized metric (``runs/default/result.json``,
  made by the README's main job when missing);
* (b) ``suite``: the same with the metric synthesized on the suite's NB101/201/301-CF10 tables (the
  README's paper job, ``--select train``, ``runs/paper/result.json``);
* (c) ``proxy``: the same with the better of ``params`` and ``synflow`` on the development problems
  (mean Kendall tau over ``benchmarks/dev_problems.py``'s problems, computed here; never the seeds
  reported);
* (d) ``random``: one uniformly random DARTS architecture per seed (what the budget buys without a metric);
* ``hnas``: ``search --algo hnas`` with its pool drawn from the DARTS space and its trainings through
  ``zc-synth train`` jobs (``--hnas-queries`` of them at most, ``--hnas-epochs`` each).

Every search uses the same ``--budget`` evaluations, population and tournament, at one network size
(``--width``, ``--cells``); every result is then trained the same way
(``--epochs``, the same width and cells, seed = the run's seed). Printed per dataset: search wall
time, evaluations, params, test accuracy mean +- std over the seeds, trainings, and the training time
the search saved: training every evaluated candidate the way the final network was trained would
have cost ``evaluations x`` its training time.

How it was sized (on seed 10, never on the reported seeds): a random DARTS network of this size
trained 4 epochs reaches 93.0 % on MNIST but stays at chance (25 %) on ECG, whose validation
accuracy only starts to rise after epoch 6; 10 epochs give 95.1 % and 45 % (ECG at ``--n 300``).
So final trainings take 10 epochs and HNAS's trainings 5. The searches' budget (40 evaluations,
population 10, tournament 3: Real et al.'s S/P of 1/4 scaled down) keeps each search to
about a minute here.

Every step is a resumable zc-synth job folder under ``--out`` (a search resumes from its evaluation
log, a training from its last epoch, a finished one is read back), so a stopped run loses at most one
network's metric or one epoch: rerun the same command.

    python benchmarks/darts_table4.py                   # both datasets, seeds 0-4 (see the README for its time)
    python benchmarks/darts_table4.py --seeds 10,11 --out runs/table4-dev   # settings were chosen here
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synth.cli import main as zc  # noqa: E402

DATASETS = {"mnist": ["mnist"], "ecg": ["ecg", "--n", "600"]}
METHODS = ("builtin", "suite", "proxy", "random", "hnas")
LABELS = {"builtin": "(a) built-in metric", "suite": "(b) suite metric", "proxy": "(c) best single proxy",
          "random": "(d) random architecture", "hnas": "HNAS"}
PAPER_JOB = ["evolve", "--data", "../shared/benchmarks/suite-zero-prerelease/zc_nasbench101.json",
             "--data", "../shared/benchmarks/suite-zero/zc_nasbench201.json",
             "--data", "../shared/benchmarks/suite-zero-prerelease/zc_nasbench301.json",
             "--problems", "NB101-CF10,NB201-CF10,NB301-CF10", "--select", "train", "--worst-weight", "0",
             "--out", "runs/paper"]


def run(*args: str) -> None:
    """One zc-synth command in this process (its errors end the benchmark)."""
    code = zc([str(a) for a in args])
    if code:
        raise SystemExit(f"zc-synth {' '.join(map(str, args))} exited {code}")


def metric_file(folder: str, job: list[str]) -> str:
    """``folder/result.json``, made by ``job`` when missing."""
    path = os.path.join(ROOT, folder, "result.json")
    if not os.path.exists(path):
        os.chdir(ROOT)
        run(*job)
    return path


def best_single_proxy() -> tuple[str, dict[str, float]]:
    """params or synflow, whichever has the higher mean Kendall tau on the development problems."""
    from scipy.stats import kendalltau

    from dev_problems import PROBLEMS, data_args
    from synth.inputs import load_training_problems

    data = [a for a in data_args() if a != "--data"]
    taus: dict[str, float] = {}
    for proxy in ("params", "synflow"):
        values = []
        for problem in load_training_problems(data, PROBLEMS):
            if proxy in problem.features:
                frame = problem.features[[proxy]].assign(y=problem.target).dropna()
                values.append(kendalltau(frame[proxy], frame["y"])[0])
        taus[proxy] = float(np.nanmean(values))
    return max(taus, key=taus.get), taus


def step_search(method: str, metric: str, data: str, seed: int, folder: str, a: argparse.Namespace) -> dict:
    """The search of one method and seed (resumed or read back); its search.json."""
    done = os.path.join(folder, "search.json")
    if not os.path.exists(done):
        common = ["--space", "darts", "--dataset", data, "--seed", seed, "--width", a.width, "--cells", a.cells,
                  "--quiet", "--out", folder]
        if method == "hnas":
            run("search", "--algo", "hnas", "--pool", a.hnas_pool, "--budget", a.hnas_queries,
                "--train-epochs", a.hnas_epochs, *common)
        else:
            run("search", "--algo", "aging", "--metric", metric, "--budget", a.budget, "--population", a.population,
                "--tournament", a.tournament, *common)
    return json.loads(Path(done).read_text())


def step_train(key: str, data: str, seed: int, folder: str, a: argparse.Namespace) -> dict:
    run("train", "--space", "darts", "--arch", key, "--dataset", data, "--epochs", a.epochs, "--width", a.width,
        "--cells", a.cells, "--seed", seed, "--quiet", "--json", "--out", folder)
    return json.loads(Path(folder, "train.json").read_text())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--datasets", default="mnist,ecg")
    p.add_argument("--seeds", default="0,1,2,3,4")
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--budget", type=int, default=40, help="evaluations per aging search (default 40)")
    p.add_argument("--population", type=int, default=10)
    p.add_argument("--tournament", type=int, default=3)
    p.add_argument("--width", type=int, default=8, help="channels C of every network, searched and trained (default 8)")
    p.add_argument("--cells", type=int, default=3, help="cells (normal, reduction, reduction; default 3)")
    p.add_argument("--epochs", type=int, default=10, help="epochs of each final training (default 10)")
    p.add_argument("--hnas-pool", type=int, default=30)
    p.add_argument("--hnas-queries", type=int, default=4)
    p.add_argument("--hnas-epochs", type=int, default=5, help="epochs of each HNAS training (default 5)")
    p.add_argument("--out", default="runs/table4")
    a = p.parse_args(argv)
    os.chdir(ROOT)
    seeds = [int(s) for s in a.seeds.split(",")]
    methods = a.methods.split(",")
    metrics: dict[str, str] = {}
    if "builtin" in methods:
        metrics["builtin"] = metric_file("runs/default", ["evolve", "--out", "runs/default"])
    if "suite" in methods:
        metrics["suite"] = metric_file("runs/paper", PAPER_JOB)
    if "proxy" in methods:
        metrics["proxy"], taus = best_single_proxy()
        print(f"(c) best single proxy on the development problems: {metrics['proxy']} "
              f"(mean Kendall tau {', '.join(f'{k} {v:.3f}' for k, v in taus.items())})", flush=True)
    from proxies import spaces

    darts = spaces.get("darts")
    for kind in a.datasets.split(","):
        base = os.path.join(a.out, kind)
        data = os.path.join(base, f"{kind}.npz")
        if not os.path.exists(data):
            os.makedirs(base, exist_ok=True)
            run("make-dataset", *DATASETS[kind], "--quiet", "--out", data)
        rows: dict[str, list[dict]] = {m: [] for m in methods}
        for seed in seeds:
            for method in methods:
                folder = os.path.join(base, f"{method}-seed{seed}")
                start = time.perf_counter()
                if method == "random":
                    search = {"seconds": 0.0, "runs": [{"key": darts.key(darts.random(1, seed)[0]), "evaluations": 0}]}
                else:
                    search = step_search(method, metrics.get(method, ""), data, seed, folder, a)
                key = search["runs"][0]["key"]
                trained = step_train(key, data, seed, os.path.join(folder, f"final-{a.epochs}ep"), a)
                trainings = len(os.listdir(os.path.join(folder, "trainings"))) if method == "hnas" else 0
                rows[method].append({"search_s": search["seconds"], "evaluations": search["runs"][0]["evaluations"],
                                     "params": trained["params_m"], "test": trained["test_accuracy"],
                                     "train_s": trained["seconds"], "trainings": trainings})
                print(f"  {kind} seed {seed} {method:8s} test {trained['test_accuracy']:6.2f} %  "
                      f"params {trained['params_m']:.3f} M  ({time.perf_counter() - start:.0f} s)", flush=True)
        print(f"\n{kind}: DARTS space, width {a.width}, {a.cells} cells, {a.epochs} training epochs, "
              f"seeds {a.seeds}")
        print(f"| method | search wall time (s) | evaluations | trainings in the search | params (M) | "
              f"test accuracy (%) | training time saved (s) |")
        print("|---|---|---|---|---|---|---|")
        for method, items in rows.items():
            search_s = np.mean([r["search_s"] for r in items])
            evals = np.mean([r["evaluations"] for r in items])
            saved = np.mean([r["evaluations"] * r["train_s"] - r["search_s"] for r in items])
            test = [r["test"] for r in items]
            print(f"| {LABELS[method]} | {search_s:.0f} | {evals:.0f} | {np.mean([r['trainings'] for r in items]):.0f} "
                  f"| {np.mean([r['params'] for r in items]):.3f} | {np.mean(test):.2f} +- {np.std(test):.2f} "
                  f"| {saved:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
