"""How far the current engine's and an earlier engine's float32 proxy values are from the same proxies
computed in float64: the yardstick for "equal to the old engine within 1e-4".

The proxies that read the shared forward/backward pass sum many signed float32 terms through train-mode
batch norm, so a different but equally valid convolution kernel (the current engine runs channels-last
oneDNN kernels) moves them by float32 rounding, amplified by cancellation. This script measures that
amplification: for each proxy, the largest relative difference to a float64 computation (network,
batches and every operation in float64, contiguous layout) of the old engine (a temporary ``git
worktree`` of ``--old``) and of the current one. A new engine no farther from float64 than the old
one is as exact as float32 allows, whatever its difference to the old engine.

    python benchmarks/check_proxies_float64.py [--old 0744fe0] [--archs random:10]
"""
from __future__ import annotations

import argparse
import json
import tempfile

from worktree import ROOT, checkout, python_in
PROXIES = "grad_norm,snip,plain,fisher,jacov,epe_nas,zico,grasp,ntk_cond,ntk_trace"

SCORER = r"""
import json, sys
import torch
torch.set_num_threads(1)
import proxies.context as context
if sys.argv[3] == "float64":
    if hasattr(context, "channels_last_format"):
        context.channels_last_format = lambda ndim: None
    new_model = context.Context.new_model
    context.Context.new_model = lambda self, dtype=torch.float32: new_model(self, torch.float64)
    batch = context.Context.batch
    context.Context.batch = lambda self, i=0: tuple(t.double() if t.is_floating_point() else t for t in batch(self, i))
from proxies.batch import NetworkSpec, parse_archs
from proxies.data import DEFAULT_SHAPES, ProxyData
from proxies.engine import compute
data = ProxyData.load("gaussian", shape=DEFAULT_SHAPES[2], num_classes=10, seed=0)
spec = NetworkSpec()
out = {}
for arch in parse_archs(sys.argv[1], 0):
    out[arch] = {k: s.score for k, s in compute(lambda: spec.build(arch), sys.argv[2].split(","), data, "cpu").items()}
print(json.dumps(out))
"""


def values(source: str, archs: str, proxies: str, precision: str) -> dict:
    """{arch: {proxy: value}} from the engine in ``source``, in float32 or float64."""
    done = python_in(source, ["-c", SCORER, archs, proxies, precision])
    return json.loads(done.stdout.strip().splitlines()[-1])


def worst(a: dict, b: dict, proxy: str) -> float:
    """Largest relative difference of ``a`` to ``b`` over the networks."""
    return max(abs(a[arch][proxy] - b[arch][proxy]) / max(abs(b[arch][proxy]), 1e-12) for arch in b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="0744fe0")
    parser.add_argument("--archs", default="random:10")
    parser.add_argument("--proxies", default=PROXIES)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, checkout(args.old, tmp) as tree:
        old = values(tree, args.archs, args.proxies, "float32")
    new = values(ROOT, args.archs, args.proxies, "float32")
    exact = values(ROOT, args.archs, args.proxies, "float64")
    print(f"largest relative difference over {len(exact)} networks ({args.archs}, C=16, N=5, 3x32x32, batch 64)")
    print(f"{'proxy':12s} {'new vs old':>11s} {'old vs f64':>11s} {'new vs f64':>11s}")
    for proxy in args.proxies.split(","):
        print(f"{proxy:12s} {worst(new, old, proxy):11.2g} {worst(old, exact, proxy):11.2g} "
              f"{worst(new, exact, proxy):11.2g}")


if __name__ == "__main__":
    main()
