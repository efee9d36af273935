"""The development problems of the transfer benchmarks: 17 problems of 8 tables, 6 search spaces.

Every real table of ../shared/benchmarks that carries ground truth and near-complete proxies (both
NB201 releases, named apart), plus the three built-in clinical tables:
NB101-CF10; NB201-CF10 and NB201-IMGNT (final release); CIFAR-10/100 and ImageNet16-120 of the NB201
pre-release (space ``nasbench201@pre``: ``--group space`` holds both releases out together); NB301-CF10; the seven TransNAS-Bench-101-Micro tasks of the pre-release
(``tnbpre``: its final release has proxies for one task only); NB201-ECG, NB201-MNIST, NB201-NODULE.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "benchmarks"
TNB_TASKS = ("class_scene", "class_object", "jigsaw", "autoencoder", "normal", "room_layout", "segmentsemantic")
PROBLEMS = ["NB101-CF10", "NB201-CF10", "NB201-IMGNT", "nasbench201@pre/cifar10", "nasbench201@pre/cifar100",
            "nasbench201@pre/ImageNet16-120", "NB301-CF10", *(f"tnbpre/{t}" for t in TNB_TASKS),
            "NB201-ECG", "NB201-MNIST", "NB201-NODULE"]


def data_args(bench: Path = BENCH) -> list[str]:
    """``--data`` arguments for every development table."""
    files = {"nasbench101": "suite-zero-prerelease/zc_nasbench101.json",
             "nasbench201": "suite-zero/zc_nasbench201.json",
             "nasbench201@pre": "suite-zero-prerelease/zc_nasbench201.json",
             "nasbench301": "suite-zero-prerelease/zc_nasbench301.json",
             "tnbpre": "suite-zero-prerelease/zc_transbench101_micro.json"}
    args = ["--data", "builtin"]
    for name, relative in files.items():
        args += ["--data", f"{name}={bench / relative}"]
    return args


def cli_args(bench: Path = BENCH) -> list[str]:
    """``--data ... --problems ...`` for all development problems."""
    return [*data_args(bench), "--problems", ",".join(PROBLEMS)]
