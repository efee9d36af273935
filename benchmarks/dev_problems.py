"""The development problems of the transfer benchmarks: 17 problems of 8 tables (``cli_args()``), or
all of them (``cli_args(full=True)``, issue 28).

Every real table of ../shared/benchmarks that carries ground truth and near-complete proxies (both
NB201 releases, named apart), plus the three built-in clinical tables:
NB101-CF10; NB201-CF10 and NB201-IMGNT (final release); CIFAR-10/100 and ImageNet16-120 of the NB201
pre-release (space ``nasbench201@pre``: ``--group space`` holds both releases out together); NB301-CF10; the seven TransNAS-Bench-101-Micro tasks of the pre-release
(``tnbpre``: its final release has proxies for one task only); NB201-ECG, NB201-MNIST, NB201-NODULE.

The full set adds dataset D (ZiCo, MeCo, SWAP joined onto NB101-CF10 and NB301-CF10, and NB201-CF10
restricted to D's 1,000 cells: validate trains on at most 1,000 rows per problem anyway), the seven
TransNAS-Bench-101-Macro tasks of the pre-release and every finished built-in table of
the other spaces (NB101/DARTS/TNB-micro/TNB-macro x ECG/MNIST): five search spaces for ``--group space``.
"""
from __future__ import annotations

import json
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


D = ROOT / "benchmarks_data" / "builtin"


def nb201_d_subset(folder: Path, bench: Path = BENCH) -> Path:
    """The final NB201 suite file restricted to dataset D's cells (task cifar10), rewritten when D's
    cells change."""
    out = folder / "zc_nasbench201.json"
    keys = list(json.loads((D / "d_nasbench201.json").read_text())["cifar10"])
    if not out.exists() or list(json.loads(out.read_text())["cifar10"]) != keys:
        folder.mkdir(parents=True, exist_ok=True)
        suite = json.loads((bench / "suite-zero" / "zc_nasbench201.json").read_text())["cifar10"]
        out.write_text(json.dumps({"cifar10": {k: suite[k] for k in keys}}))
    return out


def full_cli_args(bench: Path = BENCH, work: Path = ROOT / "runs" / "dev_problems",
                  tables: list[str] | None = None) -> list[str]:
    """``--data ... --problems ...`` for the full development set: dataset D and the built-in
    ``tables`` (aliases; default every finished one, so a study comparing settings names them to keep
    one problem set while builds finish)."""
    from benchmarks_data import builtin

    found = builtin.tables()
    missing = sorted(set(tables or ()) - set(found))
    if missing:
        raise SystemExit(f"built-in tables not finished here: {', '.join(missing)}")
    chosen = {alias: found[alias] for alias in (tables or found)}
    pre = bench / "suite-zero-prerelease"
    data = [arg for path in chosen.values() for arg in ("--data", path)]
    data += ["--data", f"nasbench101={pre / 'zc_nasbench101.json'}+{D / 'd_nasbench101.json'}",
             "--data", f"nasbench201={nb201_d_subset(work, bench)}+{D / 'd_nasbench201.json'}",
             "--data", f"nasbench201@final={bench / 'suite-zero' / 'zc_nasbench201.json'}",
             "--data", f"nasbench201@pre={pre / 'zc_nasbench201.json'}",
             "--data", f"nasbench301={pre / 'zc_nasbench301.json'}+{D / 'd_nasbench301.json'}",
             "--data", str(pre / "zc_transbench101_micro.json"),
             "--data", str(pre / "zc_transbench101_macro.json")]
    problems = ["NB101-CF10", "NB201-CF10", "nasbench201@final/ImageNet16-120", "nasbench201@pre/cifar10",
                "nasbench201@pre/cifar100", "nasbench201@pre/ImageNet16-120", "NB301-CF10",
                *(f"transbench101_micro/{t}" for t in TNB_TASKS), *(f"transbench101_macro/{t}" for t in TNB_TASKS),
                *chosen]
    return [*data, "--problems", ",".join(problems)]
