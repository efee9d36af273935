"""TEACUP's Figure 1C on real patients: how well each zero-cost metric ranks the architectures of a
built-in clinical table by their test measure, beside the paper's values; and its Figure 1D question:
after how many training samples does a partially trained network rank as well as the composite?

    python benchmarks/teacup_fig1c.py                         # CINC-ECG (test F1) and, when built, ADRENAL (test AUC)
    python benchmarks/teacup_fig1c.py --problems CINC-ECG --partial 30 --dataset /tmp/zc-synth-clinical/cinc.npz

Rows (Spearman rank correlation with the test measure over every architecture of the table):
the four TEACUP proxies (each oriented as the paper's composite uses it: the NTK as the inverse
condition number, length distortion negated), the TEACUP composite -0.5 log Length + log NTK +
log SynFlow + log ZiCo (:data:`COMPOSITE`), the best single proxy of the 23 (chosen in hindsight, on these very
rows: an upper bound no user gets), zc-synth's default formula (synthesized without this task:
``--default``, a result.json, or the README main job rerun on the built-in tables that hold no
clinical table), and a formula synthesized on a 70 % train split of this table (``--synth-runs``
GP runs, the paper's Eq. 1 selection, fitted to the table's declared validation measure, as a user
would), with every metric's Spearman on the 30 % test split beside it.

``--partial N`` (needs ``--dataset``, the table's data) trains N architectures spread over the
table with the table's own recipe and measures the validation measure after 64, 128, ... training
samples: the Spearman of that early measure with the table's test measure over those N
architectures, against the composite's over the same N, and the seconds each costs.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np
from scipy.stats import spearmanr

from benchmarks_data import builtin, load_problems, read_suite
from synth.formula import Formula

PAPER = {"CINC-ECG": {"zico": 0.437, "ntk_cond": 0.362, "composite": 0.471},
         "ADRENAL": {"ntk_cond": 0.487, "zico": 0.063, "composite": 0.442}}
"""TEACUP's Figure 1C values (ECG: PhysioNet 2017 windows, test F1; CT: NoduleMNIST3D, test AUC)."""
TARGET = {"CINC-ECG": "test_macro_f1", "ADRENAL": "test_auc", "BREAST": "test_auc"}
"""Each task's Figure 1C measure: TEACUP's window-level macro F1 for ECG, AUC for the binary tasks."""
ORIENTED = {"length_distortion": "-length_distortion", "ntk_cond": "-log(ntk_cond)", "synflow": "synflow",
            "zico": "zico"}
"""Each TEACUP proxy as the paper's composite uses it. The project's length_distortion, synflow and
zico proxies are already logs (as NAS-Bench-Suite-Zero stores them: log length ratio, log synaptic
flow, sum of log gradient signal-to-noise), ntk_cond is the raw condition number (lower is better),
so the NTK term is the log of its inverse."""
COMPOSITE = "-0.5*length_distortion - log(ntk_cond) + synflow + zico"
"""-0.5 log Length + log NTK + log SynFlow + log ZiCo in the project's proxy units (see ORIENTED)."""


def spearman(values: np.ndarray, target: np.ndarray) -> float:
    ok = np.isfinite(values) & np.isfinite(target)
    rho = spearmanr(values[ok], target[ok])[0] if ok.sum() > 2 else math.nan
    return float(rho) if rho == rho else 0.0


def default_formula(spec: str | None) -> Formula:
    """The formula of ``spec`` (a result.json or text), else the README main job on the simulated-era
    default tables (no clinical table among them), rerun into runs/fig1c-default (resumable)."""
    from synth.inputs import load_formula

    if spec:
        return load_formula(spec)[0]
    out = os.path.join("runs", "fig1c-default")
    result = os.path.join(out, "result.json")
    if not os.path.isfile(result):
        from synth.cli import main

        paths = [os.path.join(builtin.FOLDER, builtin.TABLES[a]) for a in builtin.SIMULATED_DEFAULT]
        argv = ["evolve", "--out", out, "--quiet"] + [x for p in paths for x in ("--data", p)]
        if main(argv) != 0:
            raise SystemExit("the default formula's evolve failed")
    return load_formula(result)[0]


def figure_1c(alias: str, default: Formula, synth_runs: int) -> dict:
    from synth import ProxySynthesizer
    from synth.gp import GPConfig

    path = builtin.tables().get(alias) or os.path.join(builtin.FOLDER, builtin.TABLES[alias])
    target = TARGET[alias]
    (problem,) = load_problems([path], [alias], per_problem=True, target=target, min_rows=10)
    train, test = problem.split(0.3, seed=0)
    y = problem.target
    rows: dict[str, np.ndarray] = {}
    for proxy, text in ORIENTED.items():
        rows[f"{proxy} ({text})"] = Formula(text).score(problem.features, problem.archs)
    rows["TEACUP composite"] = Formula(COMPOSITE).score(problem.features, problem.archs)
    singles = {p: spearman(problem.features[p].to_numpy(float), y) for p in problem.features.columns}
    best = max(singles, key=lambda p: abs(singles[p]))
    rows[f"best single proxy in hindsight ({best})"] = np.sign(singles[best]) * problem.features[best].to_numpy(float)
    rows[f"zc-synth default: {default}"] = default.score(problem.features, problem.archs)
    (train_problem,) = load_problems([path], [alias], per_problem=True, min_rows=10)     # its declared (val) measure
    assert list(train_problem.archs) == list(problem.archs)
    model = ProxySynthesizer(runs=synth_runs, config=GPConfig(generations=50), select="train", jobs=1)
    model.fit([train_problem])
    own = model.formula_
    rows[f"zc-synth on this table's train split: {own}"] = own.score(problem.features, problem.archs)
    out = {"problem": alias, "target": target, "n": len(problem), "n_test": len(test), "rows": {}}
    for name, values in rows.items():
        values = np.asarray(values, float)
        out["rows"][name] = {"all": spearman(values, y), "test": spearman(values[test], y[test])}
    return out


def print_table(result: dict) -> None:
    paper = PAPER.get(result["problem"], {})
    print(f"\n{result['problem']}: Spearman with {result['target']} over {result['n']} architectures "
          f"(test split: {result['n_test']})")
    print(f"{'metric':72s} {'all':>7s} {'test':>7s} {'TEACUP':>7s}")
    for name, value in result["rows"].items():
        key = next((k for k in ("composite", "zico", "ntk_cond") if k in name.lower().replace("teacup ", "")), None)
        ref = f"{paper[key]:7.3f}" if key in paper and not name.startswith(("zc-synth", "best")) else "      -"
        print(f"{name[:72]:72s} {value['all']:7.3f} {value['test']:7.3f} {ref}")


def figure_1d(alias: str, dataset_path: str, n_archs: int, max_epochs: int | None = None) -> dict:
    """Partially trained networks: Spearman of the validation measure after n samples with the test measure."""
    import torch

    from benchmarks_data.builder import BuildSpec, proxy_data
    from benchmarks_data.datasets import load_dataset
    from benchmarks_data.training import TrainConfig, classification_metrics, predict_proba, train_network
    from proxies.batch import NetworkSpec

    torch.set_num_threads(1)
    path = os.path.join(builtin.FOLDER, builtin.TABLES[alias])
    with open(f"{path}.build.json", encoding="utf-8") as handle:
        spec = BuildSpec(**{**json.load(handle)["spec"], "proxies": ()})
    suite = read_suite(path)
    task = next(iter(suite.raw))
    records = suite.raw[task]
    target = TARGET[alias]
    measure = "challenge_f1" if alias.startswith("CINC") else "auc"
    archs = sorted(records, key=lambda a: records[a][target] if records[a].get(target) is not None else -1)
    picks = [archs[i] for i in np.linspace(0, len(archs) - 1, n_archs).round().astype(int)]
    data = load_dataset(dataset_path)
    _, norm = proxy_data(data)
    per_epoch = len(data.x_train) - (1 if len(data.x_train) % spec.batch_size == 1 else 0)   # 1-sample batches skipped
    epochs = min(spec.epochs, max_epochs or spec.epochs)
    checkpoints = sorted({64 * 2 ** k for k in range(20) if 64 * 2 ** k < per_epoch * epochs} |
                         {per_epoch * e for e in range(1, epochs + 1)})
    cache = os.path.join("runs", "fig1c-partial", f"{alias}-{n_archs}-{epochs}.json")
    done: dict[str, dict] = {}
    if os.path.isfile(cache):
        with open(cache, encoding="utf-8") as handle:
            saved = json.load(handle)
        if saved.get("checkpoints") == checkpoints and saved.get("spec") == spec.to_json():
            done = saved["archs"]
    network = NetworkSpec(dim=spec.dim, in_channels=spec.in_channels, num_classes=spec.num_classes,
                          width=spec.width, cells_per_stage=spec.cells, space=spec.space)
    config = TrainConfig(epochs=spec.epochs, batch_size=spec.batch_size, lr=spec.lr, seed=spec.seed,
                         weight_decay=spec.weight_decay, keep=spec.keep)
    for number, arch in enumerate(picks, 1):
        if arch in done:
            continue
        torch.manual_seed(spec.seed)
        model = network.build(arch)
        pending = list(checkpoints)
        early: list[float] = []
        seconds: list[float] = []
        clock = {"spent": 0.0, "since": time.perf_counter()}

        def measure_at(seen: int, trained: torch.nn.Module) -> bool:
            """Score the partly trained network at each checkpoint passed; the evaluation is not training time."""
            clock["spent"] += time.perf_counter() - clock["since"]
            while pending and pending[0] <= seen:
                metrics = classification_metrics(data.y_val, predict_proba(trained, data.x_val, norm, "cpu"),
                                                  data.class_names)
                early.append(metrics.get(measure) or 0.0)
                seconds.append(clock["spent"])
                pending.pop(0)
            clock["since"] = time.perf_counter()
            return not pending

        train_network(model, data, config, device="cpu", normalization=norm, on_step=measure_at)
        done[arch] = {"measure": early, "seconds": seconds}
        os.makedirs(os.path.dirname(cache), exist_ok=True)
        with open(cache, "w", encoding="utf-8") as handle:           # a stopped run resumes from here
            json.dump({"checkpoints": checkpoints, "spec": spec.to_json(), "archs": done}, handle)
        print(f"  partial training {number}/{len(picks)}: {arch}", file=sys.stderr, flush=True)
    truth = np.array([records[a][target] for a in picks], float)
    frame = suite.table(task, target).loc[picks]
    comp = Formula(COMPOSITE).score(frame.reset_index(drop=True), np.array(picks))
    proxy_seconds = float(np.mean([sum(records[a][p]["time"] for p in ORIENTED) for a in picks]))
    out = {"problem": alias, "n": len(picks), "composite_spearman": spearman(np.asarray(comp, float), truth),
           "composite_seconds": proxy_seconds, "train_samples": per_epoch, "points": []}
    for i, n in enumerate(checkpoints):
        out["points"].append({"samples": n, "spearman": spearman(np.array([done[a]["measure"][i] for a in picks]), truth),
                              "seconds": float(np.mean([done[a]["seconds"][i] for a in picks]))})
    return out


def print_1d(result: dict) -> None:
    print(f"\n{result['problem']} (Fig. 1D): {result['n']} architectures spread over the table; the composite's "
          f"Spearman {result['composite_spearman']:.3f} for {result['composite_seconds']:.2f} s of proxies per network")
    print(f"{'samples':>8s} {'epochs':>7s} {'Spearman':>9s} {'train s':>8s}")
    reached = None
    for p in result["points"]:
        print(f"{p['samples']:8d} {p['samples'] / result['train_samples']:7.2f} {p['spearman']:9.3f} {p['seconds']:8.2f}")
        if reached is None and p["spearman"] >= result["composite_spearman"]:
            reached = p
    if reached:
        print(f"a partially trained network reaches the composite's Spearman after {reached['samples']} samples "
              f"({reached['seconds']:.1f} s of training per network against {result['composite_seconds']:.2f} s)")
    else:
        print("no partial training point reaches the composite's Spearman")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", default="CINC-ECG,ADRENAL")
    parser.add_argument("--default", help="zc-synth's default formula: a result.json or text (default: rerun "
                                          "the main job on the built-in tables without clinical ones)")
    parser.add_argument("--synth-runs", type=int, default=8)
    parser.add_argument("--partial", type=int, default=0, help="architectures for the Fig. 1D question (0: skip)")
    parser.add_argument("--dataset", help="the table's dataset .npz, for --partial")
    parser.add_argument("--partial-epochs", type=int, default=2,
                        help="train the --partial networks this many epochs of the table's schedule (default 2)")
    parser.add_argument("--json", help="write every number to this file")
    args = parser.parse_args()
    default = default_formula(args.default)
    results = []
    for alias in args.problems.split(","):
        path = os.path.join(builtin.FOLDER, builtin.TABLES.get(alias, ""))
        if alias not in builtin.TABLES or not os.path.isfile(path):
            print(f"\n{alias}: no built-in table yet (regenerate_clinical.sh builds it)")
            continue
        result = figure_1c(alias, default, args.synth_runs)
        print_table(result)
        if args.partial and args.dataset:
            result["fig1d"] = figure_1d(alias, args.dataset, args.partial, args.partial_epochs)
            print_1d(result["fig1d"])
        results.append(result)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=1)


if __name__ == "__main__":
    main()
