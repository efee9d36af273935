"""``zc-synth suite-proxies``: extra proxies on a NAS-Bench-Suite-Zero file's own architectures, each
network built as the suite built it (dataset D; resumable)."""
from __future__ import annotations

import argparse
import sys

from proxies.argtypes import device as device_type
from proxies.argtypes import out_file
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from benchmarks_data.suite_proxies import STAND_INS

    s = sub.add_parser("suite-proxies", help="extra proxies on a suite file's own architectures (dataset D)",
                       description="Compute proxies on the architectures of one task of a NAS-Bench-Suite-Zero "
                                   "file, each network built as the suite built it, on stand-in images; write a "
                                   "suite-layout table that --data SUITE+TABLE joins on (resumable: rerun the "
                                   "same command to continue).")
    s.add_argument("--suite", required=True, metavar="FILE", help="a suite file, e.g. zc_nasbench101.json")
    s.add_argument("--task", default="cifar10", help="its task (default cifar10)")
    s.add_argument("--space", default=None, metavar="SPACE",
                   help="the space building its networks (default: the one serving the file's space name)")
    s.add_argument("--proxies", default="zico,meco,swap", help="comma-separated proxy names or 'all' "
                                                               "(default zico,meco,swap)")
    s.add_argument("--data", choices=STAND_INS, default="mnist",
                   help="stand-in images: mnist (default: real digits, padded, 3 channels) or gaussian")
    s.add_argument("--archs", default="all", metavar="all|random:N|FILE",
                   help="every key of the task, N seeded ones among those with all the file's proxies, or a "
                        "file of keys (default all)")
    s.add_argument("--batch-size", type=int, default=32, help="samples per batch (default 32, as the suite)")
    s.add_argument("--jobs", type=int, default=1, help="parallel CPU workers (default 1)")
    s.add_argument("--seed", type=seed_type, default=0, help="seeds weights, batches and random:N")
    s.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    s.add_argument("--out", type=out_file("json"), required=True, metavar="FILE.json")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    add_threads_argument(s)
    return s


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from proxies.registry import ProxyError

    from benchmarks_data.suite_proxies import finite_share, score_suite

    if args.batch_size < 1 or args.jobs < 1:
        raise DataError("--batch-size and --jobs must be >= 1")
    names = [n.strip() for n in args.proxies.split(",") if n.strip()]
    bars: list = []

    def progress(done: int, total: int) -> None:      # the bar opens once the inputs are checked
        if not bars:
            bars.append(tqdm(total=total, unit="arch", desc=f"suite proxies {args.task}", disable=args.quiet,
                             file=sys.stderr, dynamic_ncols=True))
        bars[0].n = done
        bars[0].refresh()
    try:
        table = score_suite(args.suite, args.task, names, args.out, space=args.space, data=args.data,
                            archs=args.archs, seed=args.seed, batch_size=args.batch_size, jobs=args.jobs,
                            device=args.device, progress=progress)
    except ProxyError as exc:
        raise DataError(str(exc)) from None
    finally:
        for bar in bars:
            bar.close()
    shares = finite_share(table, args.task)
    print(f"wrote {len(table[args.task])} architectures to {args.out}; finite: "
          + ", ".join(f"{n} {100 * v:.0f} %" for n, v in shares.items()))
    return 0
