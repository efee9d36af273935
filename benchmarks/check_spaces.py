"""Every search space's network builder against NAS-Bench-Suite-Zero's own numbers.

Per space and task, with the networks built as the suite built them (:meth:`Space.suite_network`,
the suite's input shape, classes, width and depth):

* the share of suite architectures whose builder ``params`` equals the suite's to its rounding
  (6 decimals, in millions), and each mismatch;
* the share whose ``flops`` (``proxies.measures.flops.count_flops``) are within 1 % of the suite's;
* the Spearman correlation of ``synflow`` and ``l2_norm`` (and ``zen`` with ``--zen N``) computed by
  the proxies engine with the suite's values, on a seeded sample of architectures.

``params``/``flops``/``l2_norm`` come from the pre-release tables (the only ones with params and
flops for NB101, NB301 and TransNAS-Bench-101); ``synflow`` and ``zen`` from whichever table has them
for the task (TransNAS: the final release). Every computed number goes to a cache file as it is made
(one JSON line each), so a stopped run resumes where it stopped::

    python benchmarks/check_spaces.py                         # every space but nb201, all tasks
    python benchmarks/check_spaces.py --spaces darts --n 50   # one space, a quick look

Prints a table and writes it as JSON (``--out``).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from proxies import spaces  # noqa: E402

SHARED = ROOT.parent / "shared" / "benchmarks"
FILES = {
    "nb201": {"pre": None, "final": "suite-zero/zc_nasbench201.json"},
    "nb101": {"pre": "suite-zero-prerelease/zc_nasbench101.json", "final": None},
    "darts": {"pre": "suite-zero-prerelease/zc_nasbench301.json", "final": None},
    "tnb101_micro": {"pre": "suite-zero-prerelease/zc_transbench101_micro.json",
                     "final": "suite-zero/zc_transbench101_micro.json"},
    "tnb101_macro": {"pre": "suite-zero-prerelease/zc_transbench101_macro.json",
                     "final": "suite-zero/zc_transbench101_macro.json"},
}
SENTINEL = -1e8


def number(value) -> float | None:
    """A suite value as a float (bare or ``{"score": x}``); None when missing or the failure sentinel."""
    if isinstance(value, dict):
        value = value.get("score")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value != SENTINEL:
        return float(value)
    return None


def read_tasks(path: Path) -> dict[str, dict[str, dict]]:
    """``{task: {arch key: record}}`` of a suite file (the nested NB101 layout flattened)."""
    with open(path, encoding="utf-8") as handle:
        raw = json.load(handle)
    if len(raw) == 1 and "nasbench101" in raw:
        raw = raw["nasbench101"]
    return raw


def sample(keys: list[str], n: int, seed: int = 0) -> list[str]:
    """A seeded sample of ``n`` keys (all of them when there are fewer), in a fixed order."""
    keys = sorted(keys)
    if n <= 0 or n >= len(keys):
        return keys
    return [keys[i] for i in sorted(np.random.default_rng(seed).choice(len(keys), n, replace=False))]


class Cache:
    """JSON lines ``{"space", "task", "arch", "what", "value"}``: finished numbers, read back on resume."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.values: dict[tuple[str, str, str, str], float | None] = {}
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue                        # a line cut by a stop
                self.values[(row["space"], row["task"], row["arch"], row["what"])] = row["value"]

    def get(self, key: tuple[str, str, str, str], compute) -> float | None:
        if key not in self.values:
            value = compute()
            self.values[key] = value
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"space": key[0], "task": key[1], "arch": key[2], "what": key[3],
                                         "value": value}) + "\n")
        return self.values[key]


def measure_counts(space, task: str, key: str, flops: bool = True) -> tuple[float, float | None]:
    """(params in millions, MFLOPs or None) of the suite's network of ``key``."""
    import torch

    from proxies.measures.flops import count_flops

    shape = space.suite_config(task).input_shape
    with torch.device("meta"):            # shapes only: the same counts without the arithmetic
        model = space.suite_network(key, task)
        params = sum(p.numel() for p in model.parameters()) / 1e6
        return params, count_flops(model.eval(), torch.zeros(1, *shape)) if flops else None


def measure_proxies(space, task: str, key: str, names: list[str], batch: int) -> dict[str, float | None]:
    from proxies.data import ProxyData
    from proxies.engine import compute

    config = space.suite_config(task)
    data = ProxyData.gaussian(config.input_shape, config.num_classes, n=batch, seed=0)
    scores = compute(lambda: space.suite_network(key, task), names, data, "cpu", seed=0, batch_size=batch)
    return {n: (s.score if s.ok else None) for n, s in scores.items()}


def spearman(a: list[float], b: list[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic) if len(a) > 2 else float("nan")


def check_task(space, task: str, pre: dict | None, final: dict | None, args, cache: Cache, log) -> dict:
    """The row of one (space, task)."""
    row: dict = {"space": space.name, "task": task}
    counts = pre if pre is not None else final
    with_params = [k for k, r in counts.items() if number(r.get("params")) is not None]
    keys = sample(with_params, args.params_n)
    mismatches, equal, within, flops_keys = [], 0, 0, set(sample(keys, args.flops_n, seed=1))
    start = time.perf_counter()
    for i, key in enumerate(keys):
        if (space.name, task, key, "params") not in cache.values or (
                key in flops_keys and (space.name, task, key, "flops") not in cache.values):
            counted = measure_counts(space, task, key, key in flops_keys)
            cache.get((space.name, task, key, "params"), lambda: counted[0])
            if key in flops_keys:
                cache.get((space.name, task, key, "flops"), lambda: counted[1])
        ours = cache.values[(space.name, task, key, "params")]
        theirs = number(counts[key]["params"])
        if ours is not None and abs(ours - theirs) < 5e-7 + 1e-9 * theirs:
            equal += 1
        else:
            mismatches.append({"arch": key, "ours": ours, "suite": theirs})
        if key in flops_keys:
            mine = cache.values[(space.name, task, key, "flops")]
            suite = number(counts[key].get("flops"))
            if mine is not None and suite and abs(mine - suite) <= 0.01 * abs(suite):
                within += 1
        if (i + 1) % 50 == 0:
            log(f"  {space.name}/{task}: {i + 1}/{len(keys)} counted ({time.perf_counter() - start:.0f} s)")
    row.update(params_n=len(keys), params_equal=equal / len(keys) if keys else float("nan"),
               flops_n=len(flops_keys), flops_within=within / len(flops_keys) if flops_keys else float("nan"),
               mismatches=mismatches)
    sources = [t for t in (pre, final) if t is not None]
    plan: dict[str, tuple[dict, list[str]]] = {}
    for proxy in ("synflow", "l2_norm", "zen"):
        n = args.zen if proxy == "zen" else args.n
        table = next((t for t in sources if sum(number(r.get(proxy)) is not None for r in t.values()) >= 10), None)
        if table is not None and n > 0:
            plan[proxy] = (table, sample([k for k, r in table.items() if number(r.get(proxy)) is not None], n, seed=2))
        else:
            row[proxy] = None
    todo: dict[str, list[str]] = {}
    for proxy, (_, keys_) in plan.items():
        for key in keys_:
            if (space.name, task, key, proxy) not in cache.values:
                todo.setdefault(key, []).append(proxy)
    for i, (key, names) in enumerate(todo.items()):
        values = measure_proxies(space, task, key, names, args.batch)
        for proxy in names:
            cache.get((space.name, task, key, proxy), lambda: values[proxy])
        if (i + 1) % 25 == 0:
            log(f"  {space.name}/{task}: proxies of {i + 1}/{len(todo)} architectures ({time.perf_counter() - start:.0f} s)")
    for proxy, (table, keys_) in plan.items():
        pairs = [(cache.values[(space.name, task, k, proxy)], number(table[k][proxy])) for k in keys_]
        pairs = [(a, b) for a, b in pairs if a is not None]
        row[proxy] = {"n": len(pairs), "of": len(keys_), "spearman": spearman(*map(list, zip(*pairs))) if pairs
                      else float("nan"), "table": "prerelease" if table is pre else "final"}
        log(f"  {space.name}/{task}: {proxy} spearman {row[proxy]['spearman']:.3f} on {len(pairs)}")
    return row


def fmt(row: dict) -> str:
    def corr(name):
        value = row.get(name)
        return f"{value['spearman']:6.3f} ({value['n']:3d})" if value else f"{'-':>12s}"

    return (f"{row['space']:13s} {row['task']:16s} {100 * row['params_equal']:6.1f} % ({row['params_n']:4d})  "
            f"{100 * row['flops_within']:6.1f} % ({row['flops_n']:4d})  {corr('synflow')}  {corr('l2_norm')}  "
            f"{corr('zen')}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shared", type=Path, default=SHARED, help="the suite files' folder (default ../shared/benchmarks)")
    p.add_argument("--spaces", default="nb101,darts,tnb101_micro,tnb101_macro",
                   help="comma-separated registered spaces (default: every space but nb201, which "
                        "benchmarks/check_nb201_counts.py checks on all 15,625 cells)")
    p.add_argument("--tasks", default=None, help="comma-separated tasks (default: every task of the files)")
    p.add_argument("--params-n", type=int, default=1000, help="architectures per task for params (default 1000: "
                                                              "all of every pre-release table)")
    p.add_argument("--flops-n", type=int, default=200, help="of those, seeded architectures for flops (default 200)")
    p.add_argument("--n", type=int, default=200, help="seeded architectures for synflow and l2_norm (default 200)")
    p.add_argument("--zen", type=int, default=0, help="seeded architectures for zen (default 0: not checked)")
    p.add_argument("--batch", type=int, default=64, help="proxy batch size (zen; default 64)")
    p.add_argument("--cache", type=Path, default=ROOT / "runs" / "check_spaces.jsonl",
                   help="resume file (default runs/check_spaces.jsonl)")
    p.add_argument("--out", type=Path, default=ROOT / "runs" / "check_spaces.json")
    args = p.parse_args(argv)
    import torch

    torch.set_num_threads(max(1, os.cpu_count() or 1))
    args.cache.parent.mkdir(parents=True, exist_ok=True)
    cache = Cache(args.cache)
    rows = []

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    for name in [s.strip() for s in args.spaces.split(",") if s.strip()]:
        space = spaces.get(name)
        files = {kind: read_tasks(args.shared / rel) if rel and (args.shared / rel).exists() else None
                 for kind, rel in FILES[space.name].items()}
        tasks = list(dict.fromkeys([*(files["pre"] or {}), *(files["final"] or {})]))
        if args.tasks:
            tasks = [t for t in tasks if t in args.tasks.split(",")]
        for task in tasks:
            pre = (files["pre"] or {}).get(task)
            final = (files["final"] or {}).get(task)
            try:
                space.suite_config(task)
            except ValueError as exc:
                log(f"{space.name}/{task}: skipped ({exc})")
                continue
            rows.append(check_task(space, task, pre, final, args, cache, log))
            log(fmt(rows[-1]))
    header = (f"{'space':13s} {'task':16s} {'params equal':>15s}  {'flops within 1%':>15s}  {'synflow rho':>12s}  "
              f"{'l2_norm rho':>12s}  {'zen rho':>12s}")
    print(header)
    for row in rows:
        print(fmt(row))
    for row in rows:
        for m in row["mismatches"][:20]:
            print(f"mismatch {row['space']}/{row['task']} {m['arch']}: ours {m['ours']} suite {m['suite']}")
        if len(row["mismatches"]) > 20:
            print(f"... {len(row['mismatches']) - 20} more in {args.out}")
    args.out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
