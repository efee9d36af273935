"""``zc-synth proxies``: score architectures of any search space on a dataset or Gaussian noise, write a
suite table."""
from __future__ import annotations

import argparse
import sys

from zc_core.errors import DataError

from proxies.argtypes import device as device_type
from proxies.argtypes import out_file, positive_int
from proxies.argtypes import seed as seed_type
from proxies.registry import ProxyError

from .arguments import add_size_arguments, job_signature, add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from proxies.spaces import names

    p = sub.add_parser("proxies", help="compute zero-cost proxies for search-space architectures",
                       description="Compute zero-cost proxies for networks of a search space and write a "
                                   "suite-layout table.")
    p.add_argument("--space", default="nb201", metavar="SPACE",
                   help=f"search space: {', '.join(names())} (or a suite name such as nasbench301; default nb201)")
    p.add_argument("--task", default=None, metavar="TASK",
                   help="task head in spaces that have them (TransNAS-Bench-101: class_scene, jigsaw, ...; "
                        "default: a classifier of the data's classes)")
    p.add_argument("--dim", type=int, default=None, choices=[1, 2, 3],
                   help="1D, 2D or 3D networks (default: from the data, 2 for gaussian)")
    p.add_argument("--archs", required=True, metavar="FILE|all|random:N",
                   help="a file with one architecture key per line, every architecture of the space (enumerable "
                        "spaces), or N random ones")
    p.add_argument("--data", required=True, metavar="SOURCE", help="a .npz with x/y arrays, or 'gaussian'")
    p.add_argument("--proxies", default="all", help="comma-separated proxy names, or 'all' (default)")
    p.add_argument("--out", type=out_file("json", "csv"), required=True, metavar="FILE", help="output table: .json (suite layout) or .csv")
    add_size_arguments(p, default="space")
    p.add_argument("--classes", type=positive_int, default=None, help="output classes (default: from the labels; 10 for gaussian)")
    p.add_argument("--batch-size", type=int, default=64, help="samples per batch (default 64)")
    p.add_argument("--seed", type=seed_type, default=0, help="seeds the weights, the batches and random:N")
    p.add_argument("--jobs", type=int, default=2, help="parallel CPU workers (default 2; a GPU runs one at a time)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address (e.g. tcp://10.0.0.5:8786): one task per architecture on its "
                        "workers; this process writes the table (needs pip install 'zc-synth[dask]')")
    p.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--verbose", action="store_true",
                   help="also print each proxy's mean time and the peak resident memory of the largest process")
    add_threads_argument(p, verbose=False)
    return p


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from proxies.batch import NetworkSpec, parse_archs, score_architectures, write_table
    from proxies.data import DEFAULT_SHAPES, ProxyData
    from proxies.registry import select
    from proxies.spaces import get
    from zc_core.jobs import claim_file

    try:
        chosen = [p.name for p in select([n.strip() for n in args.proxies.split(",") if n.strip()])]
    except ProxyError as exc:
        raise DataError(str(exc)) from None
    space = get(args.space)
    width = space.default_width if args.width is None else args.width
    cells = space.default_cells if args.cells is None else args.cells
    if args.batch_size < 1:
        raise DataError("--batch-size must be >= 1")
    if args.task is not None and args.task not in space.tasks:
        raise DataError(f"--task {args.task!r}: {space.name} has "
                        + (f"the tasks {', '.join(space.tasks)}" if space.tasks else "no task heads"))
    archs = parse_archs(args.archs, args.seed, space)
    claim_file(args.out, job_signature(args, "proxies", drop=("scheduler", "device")), "zc-synth proxies table", write=False)
    head_classes = space.suite_config(args.task).num_classes if args.task else None
    data = ProxyData.load(args.data, shape=DEFAULT_SHAPES[args.dim or 2],
                          num_classes=args.classes or head_classes or 10, seed=args.seed)
    if head_classes and (args.classes or data.num_classes) > head_classes:
        raise DataError(f"--task {args.task} has {head_classes} outputs, but {args.data} has "
                        f"{args.classes or data.num_classes} classes")
    if args.dim is not None and data.dim != args.dim:
        raise DataError(f"--dim {args.dim} does not fit {args.data}: its samples have {data.dim} spatial "
                        f"dimension(s), shape {tuple(data.x.shape[1:])}")
    spec = NetworkSpec(dim=data.dim, in_channels=data.x.shape[1], num_classes=args.classes or data.num_classes,
                       width=width, cells_per_stage=cells, space=space.name, task=args.task)
    results: dict = {}
    peaks: list[int] = []
    try:
        _collect(results, peaks, archs, spec, chosen, data, args, tqdm, score_architectures)
    except MemoryError:
        raise DataError("out of memory: lower --batch-size or --jobs") from None
    except Exception as exc:
        if type(exc).__name__ != "TerminatedWorkerError":
            raise
        raise DataError("a worker process died (most likely out of memory): lower --batch-size or --jobs") from None
    ordered = {arch: results[arch] for arch in archs}
    claim_file(args.out, job_signature(args, "proxies", drop=("scheduler", "device")), "zc-synth proxies table")
    write_table(args.out, data.name, ordered)
    if args.verbose:
        print(_timing_summary(ordered, max(peaks, default=0)), file=sys.stderr)
    failed = sum(not s.ok for scores in ordered.values() for s in scores.values())
    print(f"wrote {len(ordered)} architectures x {len(chosen)} proxies to {args.out}"
          + (f" ({failed} values missing: see their 'error')" if failed else ""))
    return 0


def _timing_summary(results: dict, worker_peak: int) -> str:
    """Mean seconds per network of each proxy, slowest first, and the peak resident memory."""
    from proxies.heap import peak_rss

    own = peak_rss()
    names = list(next(iter(results.values()), {}))
    means = {n: sum(scores[n].time for scores in results.values()) / len(results) for n in names}
    lines = [f"mean time per network ({len(results)} networks):"]
    lines += [f"  {n:18s} {t:8.3f} s" for n, t in sorted(means.items(), key=lambda item: -item[1])]
    lines.append(f"  {'total':18s} {sum(means.values()):8.3f} s")
    lines.append(f"peak resident memory: {max(worker_peak, own) / 1e9:.2f} GB (largest process; "
                 f"workers {worker_peak / 1e9:.2f} GB, this process {own / 1e9:.2f} GB)")
    return "\n".join(lines)


def _collect(results, peaks, archs, spec, chosen, data, args, tqdm, score_architectures) -> None:
    with tqdm(total=len(archs), unit="arch", desc=f"proxies on {data.name}", disable=args.quiet,
              file=sys.stderr, dynamic_ncols=True) as bar:
        for arch, scores in score_architectures(archs, spec, chosen, data, device=args.device, jobs=args.jobs,
                                                seed=args.seed, batch_size=args.batch_size, progress=bar.update,
                                                scheduler=args.scheduler, peak=peaks.append):
            results[arch] = scores
