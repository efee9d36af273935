"""Torch's thread count on an idle and on a busy CPU, for one live DARTS search, in one invocation.

Runs the DARTS command of docs/search.md (aging evolution scoring 40 networks with the main job's
formula on MNIST, then ``--train-final 10``) as whole processes under three settings, alternating:

  policy     zc-synth's default (proxies/threads.py): the cores left free by the load average;
  all cores  ``OMP_NUM_THREADS=<cores>`` (torch's own default: one thread per core);
  1          ``OMP_NUM_THREADS=1``;

first on the idle machine, then beside ``--busy`` processes that each keep a core busy (another job on a
shared workstation, or the test suite), started ``--warmup`` seconds before so the load average sees
them as a long-running neighbour would be seen, and prints each setting's wall time and the policy's
ratio to the best fixed setting (the target: within 1.10 in both rounds).

``--commands all`` (or a comma list of :data:`DOC_COMMANDS`) times instead the torch commands a new
user meets first, as their doc pages give them, with the policy only, idle and beside the busy
processes, and prints each one's busy/idle ratio (the target: at most 2.5).

    python benchmarks/bench_threads.py [--busy 2] [--repeats 1] [--budget 40] [--warmup 60]
    python benchmarks/bench_threads.py --commands all
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMULA = "(jacov + snip + 2*synflow - (zico/flops) + sqrt(snip))/synflow"
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
SETTINGS = {"policy": {}, "all cores": {"OMP_NUM_THREADS": str(CORES)}, "1": {"OMP_NUM_THREADS": "1"}}


DATASETS = {"mnist.npz": ["mnist"], "ecg300.npz": ["ecg", "--n", "300"], "ecg.npz": ["ecg"],
            "ct.npz": ["nodule3d", "--n", "600"]}
"""The demo datasets the commands read (``make-dataset`` arguments)."""
DOC_COMMANDS = {
    "search-prune-live": ["search", "--algo", "prune", "--dataset", "{ecg300.npz}", "--metric", "nwot + log(params)",
                          "--out", "{out}"],                                                  # docs/search.md
    "build-benchmark": ["build-benchmark", "--dim", "1", "--data", "{ecg.npz}", "--archs", "random:4", "--epochs", "2",
                        "--width", "4", "--cells", "1", "--proxies", "synflow,params,nwot", "--jobs", "2", "--quiet",
                        "--out", "{out}/zc_nb201-ecg.json"],                                 # docs/new-task.md
    "ensemble": ["ensemble", "--dataset", "{ct.npz}", "--dim", "3", "--metric", FORMULA, "--candidates", "random:100",
                 "--k", "5", "--out", "{out}"],                                              # docs/ensemble.md
    "ftscorenet-fit": ["ftscorenet", "fit", "--problem", "NB201-ECG", "--train", "200", "--epochs", "2", "--width", "4",
                       "--input-size", "8", "--quiet", "--out", "{out}/model.pt"],           # docs/ftscorenet.md
    "search-darts": ["search", "--space", "darts", "--algo", "aging", "--dataset", "{mnist.npz}", "--metric", FORMULA,
                     "--budget", "40", "--population", "10", "--tournament", "3", "--cells", "3", "--train-final",
                     "10", "--quiet", "--out", "{out}"],                                     # docs/search.md
}
"""The torch commands of the docs a new user runs first, with the main job's formula as the metric."""


def command_seconds(arguments: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one ``zc-synth`` process with ``env`` added to this one's environment (minus its
    OMP_NUM_THREADS, so the policy decides unless ``env`` sets it)."""
    start = time.perf_counter()
    base = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    subprocess.run([sys.executable, "-m", "synth", *arguments], check=True, capture_output=True, cwd=ROOT,
                   env={**base, **env})
    return time.perf_counter() - start


def doc_command(name: str, work: Path, out: Path) -> list[str]:
    """``DOC_COMMANDS[name]`` with its datasets (under ``work``) and output folder filled in."""
    fill = {f"{{{data}}}": str(work / data) for data in DATASETS} | {"{out}": str(out)}
    arguments = []
    for part in DOC_COMMANDS[name]:
        for key, value in fill.items():
            part = part.replace(key, value)
        arguments.append(part)
    return arguments


def search_seconds(dataset: Path, out: Path, budget: int, env: dict[str, str]) -> float:
    """Wall seconds of docs/search.md's DARTS search (``search-darts``) on the MNIST ``dataset``, scoring
    ``budget`` networks, with ``env`` added to this process's environment."""
    command = doc_command("search-darts", dataset.parent, out)
    command[command.index("--budget") + 1] = str(budget)
    return command_seconds(command, env)


def measure(dataset: Path, work: Path, budget: int, repeats: int) -> dict[str, float]:
    """Median wall seconds per setting, the settings taking turns within each repeat; outputs under ``work``."""
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    for repeat in range(repeats):
        for name, env in SETTINGS.items():
            times[name].append(search_seconds(dataset, work / f"{name}-{repeat}", budget, env))
    return {name: statistics.median(values) for name, values in times.items()}


def report(label: str, medians: dict[str, float]) -> None:
    best = min(seconds for name, seconds in medians.items() if name != "policy")
    cells = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in medians.items())
    print(f"{label}: {cells}; policy / best fixed setting {medians['policy'] / best:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=2,
                        help="processes that each keep a core busy in the second round (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each setting per round (median quoted)")
    parser.add_argument("--budget", type=int, default=40, help="networks the search scores (default 40)")
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="seconds the busy processes run before the busy round (default 60)")
    parser.add_argument("--commands", metavar="all|NAME,...",
                        help=f"time these doc commands idle and busy instead ({', '.join(DOC_COMMANDS)})")
    args = parser.parse_args()
    names = list(DOC_COMMANDS) if args.commands == "all" else [n for n in (args.commands or "").split(",") if n]
    unknown = sorted(set(names) - set(DOC_COMMANDS))
    if unknown:
        parser.error(f"unknown command(s) {', '.join(unknown)}; choose from {', '.join(DOC_COMMANDS)}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for data, how in DATASETS.items():
            if data == "mnist.npz" or any(f"{{{data}}}" in part for n in names for part in DOC_COMMANDS[n]):
                command_seconds(["make-dataset", *how, "--quiet", "--out", str(work / data)], {})
        idle = measure_commands(names, work, "idle", args.repeats) if names else None
        if idle is None:
            report("idle", measure(work / "mnist.npz", work / "idle", args.budget, args.repeats))
        spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
        try:
            time.sleep(args.warmup)
            if idle is None:
                report(f"beside {args.busy} busy processes",
                       measure(work / "mnist.npz", work / "busy", args.budget, args.repeats))
            else:
                busy = measure_commands(names, work, "busy", args.repeats)
                for name in names:
                    print(f"{name:18s} idle {idle[name]:7.1f} s  beside {args.busy} busy processes {busy[name]:7.1f} s"
                          f"  ratio {busy[name] / idle[name]:.2f}", flush=True)
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.wait()


def measure_commands(names: list[str], work: Path, label: str, repeats: int) -> dict[str, float]:
    """Median wall seconds of each doc command under the policy; outputs under ``work/label``."""
    times: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(repeats):
        for name in names:
            times[name].append(command_seconds(doc_command(name, work, work / label / f"{name}-{repeat}"), {}))
    return {name: statistics.median(values) for name, values in times.items()}


if __name__ == "__main__":
    main()
