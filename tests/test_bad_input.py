"""Every bad input, for every subcommand, ends in one stderr line and exit status 2, quickly, with no
traceback, and with no file outside ``--out`` created or changed (checked by checksums of the whole
work folder). Each case names the root cause of issue 15 it covers."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import time

import numpy as np
import pytest

from benchmarks_data.datasets import save_dataset
from benchmarks_data.synthetic import make_ecg
from synth.cli import main

from conftest import toy_records

WS = "{ws}"


def _suite(path: str, extra: str | None = None) -> None:
    tasks = {"cifar10": toy_records(40, 1), "cifar100": toy_records(40, 2)}
    if extra:
        for records in tasks.values():
            for record in records.values():
                record[extra] = {"score": 1.0, "time": 0.0}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(tasks, handle)


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """A work folder holding every bad (and a few good) input file the cases read."""
    root = tmp_path_factory.mktemp("bad")
    d = str(root)
    save_dataset(make_ecg(n=48, seed=3), os.path.join(d, "ecg.npz"))
    np.save(os.path.join(d, "a.npy"), np.zeros((4, 1, 50), np.float32))
    y = np.array([0, 1] * 10)
    for name, shape in (("len0", (20, 1, 0)), ("ch0", (20, 0, 50))):
        z = np.zeros(shape, np.float32)
        np.savez(os.path.join(d, f"{name}.npz"), x=z, y=y, x_train=z, y_train=y, x_val=z, y_val=y, x_test=z, y_test=y)
    z = np.zeros((4, 1, 50), np.float32)
    big = np.array([0, 1, 0, 10**12])
    np.savez(os.path.join(d, "biglabel.npz"), x=z, y=big, x_train=z, y_train=big, x_val=z, y_val=big[:4] % 2,
             x_test=z, y_test=big % 2)
    x_test = np.load(os.path.join(d, "ecg.npz"))["x_test"]
    np.savez(os.path.join(d, "nanlabels.npz"), x=x_test, y=np.where(np.arange(len(x_test)) % 2, np.nan, 1.0))
    np.savez(os.path.join(d, "strlabels.npz"), x=x_test, y=np.array(["a"] * len(x_test)))
    np.save(os.path.join(d, "scalar.npy"), np.float32(3))
    np.savez(os.path.join(d, "scalarx.npz"), x=np.float32(3))
    with open(os.path.join(d, "deep.json"), "w") as handle:
        handle.write("[" * 100_000 + "]" * 100_000)
    with open(os.path.join(d, "deepresult.json"), "w") as handle:
        handle.write('{"formula": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with open(os.path.join(d, "nb201key.txt"), "w") as handle:
        handle.write("(0, 1, 2, 3, 4, 0)\n")
    edges = [(0, j) for j in range(1, 6)] + [(j, 6) for j in range(1, 6)]
    matrix = [int((i, j) in edges) for i in range(7) for j in range(7)]
    with open(os.path.join(d, "nb101bad.txt"), "w") as handle:
        handle.write(str(tuple(matrix + [0, 4, 4, 4, 4, 4, 1])) + "\n")
    with open(os.path.join(d, "darts1.txt"), "w") as handle:
        handle.write("[[(0, 0), (0, 1), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
                     "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]\n")
    with open(os.path.join(d, "notutf8.txt"), "wb") as handle:
        handle.write(b"\xff\xfe\x00(0, 1, 2, 3, 4, 0)\n")
    with open(os.path.join(d, "notutf8.json"), "wb") as handle:
        handle.write(b"\xff\xfe{}")
    with open(os.path.join(d, "longline.txt"), "w") as handle:
        handle.write("(" + "0," * 50_000 + "0)\n")
    with open(os.path.join(d, "list.json"), "w") as handle:
        json.dump([1, 2, 3], handle)
    _suite(os.path.join(d, "zc_toy.json"))
    for space, proxy in (("toylog", "log"), ("toyadd", "add"), ("toykw", "lambda"), ("toysp", "a b"),
                         ("toydu", "__import__")):
        _suite(os.path.join(d, f"zc_{space}.json"), proxy)
    os.makedirs(os.path.join(d, "userdir"))
    with open(os.path.join(d, "userdir", "result.json"), "w") as handle:
        handle.write("precious")
    os.makedirs(os.path.join(d, "evolvejob"))                    # another job's folder (issue 39)
    with open(os.path.join(d, "evolvejob", "job.json"), "w") as handle:
        json.dump({"kind": "evolve", "seed": 0}, handle)
    with open(os.path.join(d, "evolvejob", "result.json"), "w") as handle:
        handle.write("precious")
    with open(os.path.join(d, "made.npz"), "wb") as handle:    # a file no zc-synth job wrote
        handle.write(b"precious")
    # build-benchmark resume files of the wrong shape
    for stem in ("listtable", "listmeta"):
        table = os.path.join(d, f"zc_{stem}.json")
        with open(table, "w") as handle:
            json.dump([] if stem == "listtable" else {}, handle)
        with open(table + ".build.json", "w") as handle:
            json.dump({} if stem == "listtable" else [], handle)
    # a small trained ensemble, then broken copies of its ensemble.json
    from synth.ensemble.model import Ensemble
    from benchmarks_data.datasets import load_dataset

    ens = Ensemble(["(3, 3, 0, 3, 1, 2)", "(2, 3, 1, 0, 3, 3)"], seeds=0, width=4, epochs=1)
    ens.fit(load_dataset(os.path.join(d, "ecg.npz"))).save(os.path.join(d, "ens"))
    doc = json.load(open(os.path.join(d, "ens", "ensemble.json")))
    breaks = {"escape": lambda e: e["members"][0].update(key="../../.."),
              "notobjects": lambda e: e.update(members=[1, 2]),
              "nokey": lambda e: e["members"][0].pop("key"),
              "shape": lambda e: e["settings"].update(input_shape=5)}
    for name, brk in breaks.items():
        shutil.copytree(os.path.join(d, "ens"), os.path.join(d, f"ens_{name}"))
        broken = json.loads(json.dumps(doc))
        brk(broken)
        with open(os.path.join(d, f"ens_{name}", "ensemble.json"), "w") as handle:
            json.dump(broken, handle)
    shutil.copytree(os.path.join(d, "ens"), os.path.join(d, "ens_pickle"))
    key = doc["members"][0]["key"]
    with open(os.path.join(d, "ens_pickle", "models", key, "weights.pt"), "wb") as handle:
        pickle.dump({"a": 1}, handle)
    # FT-ScoreNet models: a good small one, and broken ones
    import torch

    from synth.predictors.ftscorenet import FTScoreNetRanker, ScorerConfig
    from synth.predictors.ftscorenet.model import FORMAT

    cells = [f"({a}, {b}, 2, 3, 4, 0)" for a in range(5) for b in range(5)]
    small = ScorerConfig(dim=1, width=2, input_size=8, samples=4, hidden=4)
    FTScoreNetRanker(config=small, epochs=1, batch_size=8).fit(cells, list(range(25))).save(os.path.join(d, "ft.pt"))
    torch.save({"a": 1}, os.path.join(d, "other.pt"))
    torch.save({"format": FORMAT, "version": 9}, os.path.join(d, "v9.pt"))
    torch.save({"format": FORMAT, "version": 1, "config": {"dim": 7}, "settings": {}, "state_dict": {}},
               os.path.join(d, "damaged.pt"))
    # a DARTS search folder (for train --from-search with another --space)
    from proxies.spaces import get

    darts = get("darts")
    os.makedirs(os.path.join(d, "dsearch"))
    with open(os.path.join(d, "dsearch", "search.json"), "w") as handle:
        json.dump({"space": "darts", "runs": [{"key": darts.key(darts.random(1, 0)[0]), "metric": 1.0}]}, handle)
    return d


TOY = [f"--data={WS}/zc_toy.json"]
CMP = ["--problem", "toy/cifar10", "--train-sizes", "0,10"]
NPZ = f"{WS}/ecg.npz"
CASES = [
    # 2. negative seeds, and other bad numbers caught by argparse types
    ("evolve", ["--seed", "-1", "--out", "o"], "invalid seed -1"),
    ("make-dataset", ["ecg", "--seed", "-3", "--out", "o.npz"], "invalid seed -3"),
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--seed", "-5", "--out", "o.json"], "invalid seed"),
    # search spaces (issue 26): a --space typo, a key of another space, an invalid NB101 graph, a DARTS node
    # reading one input twice
    ("spaces", ["--bogus"], "unrecognized arguments"),
    ("spaces", ["--draw", "[[(0, 0)], [(0, 0)]]", "--out", "g.png"], "DARTS"),
    ("spaces", ["--draw", "(1, 0, 0, 2, 1, 0)", "--space", "nb201", "--out", "g.png"], "no cell drawing"),
    ("spaces", ["--draw", f"{WS}/zc_toy.json", "--out", "g.png"], "not a zc-synth train.json"),
    ("proxies", ["--space", "dart", "--data", "gaussian", "--archs", "random:1", "--out", "o.json"], "did you mean 'darts'"),
    ("proxies", ["--space", "darts", "--data", "gaussian", "--archs", "all", "--out", "o.json"], "too many to list"),
    ("proxies", ["--space", "nb101", "--data", "gaussian", "--archs", f"{WS}/nb201key.txt", "--out", "o.json"], "not a NB101 key"),
    ("proxies", ["--space", "nb101", "--data", "gaussian", "--archs", f"{WS}/nb101bad.txt", "--out", "o.json"], "edges"),
    ("proxies", ["--space", "darts", "--data", "gaussian", "--archs", f"{WS}/darts1.txt", "--out", "o.json"], "input"),
    ("build-benchmark", ["--space", "tnb101_mikro", "--data", NPZ, "--archs", "random:1", "--epochs", "1", "--out", "o.json"], "did you mean"),
    ("search", ["--algo", "aging", "--space", "nb102", "--dataset", NPZ, "--metric", "params"], "did you mean 'nb101'"),
    ("search", ["--algo", "random", "--population", "5", "--dataset", NPZ, "--metric", "params"], "apply to --algo aging"),
    ("search", ["--algo", "aging", "--population", "3", "--dataset", NPZ, "--metric", "params"], "must not exceed population"),
    ("search", ["--algo", "random", "--dataset", NPZ, "--metric", "synflow", "--seed", "1e3"], "invalid seed"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--seed", "-1", "--out", "o"], "invalid seed"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--seed", "-1", "--out", "o.json"],
     "invalid seed"),
    ("validate", [*TOY, "--seed", "-2", "--out", "o"], "invalid seed"),
    ("baseline", ["teacup", *TOY, "--seed", "-2", "--out", "o.json"], "invalid seed"),
    ("make-dataset", ["ekg", "--out", "o.npz"], "invalid choice"),
    ("evolve", ["--population", "3", *TOY, "--out", "o"], "population"),
    ("evolve", ["--runs", "0", *TOY, "--out", "o"], "runs"),
    # 1. a .npy where a dataset .npz is expected
    ("proxies", ["--data", f"{WS}/a.npy", "--archs", "random:1", "--out", "o.json"], "single .npy array"),
    ("build-benchmark", ["--data", f"{WS}/a.npy", "--archs", "random:2", "--epochs", "1", "--out", "o.json"],
     "single .npy array"),
    ("search", ["--algo", "random", "--dataset", f"{WS}/a.npy", "--metric", "synflow"], "single .npy array"),
    ("ensemble", ["--dataset", f"{WS}/a.npy", "--metric", "synflow", "--out", "o"], "single .npy array"),
    ("proxies", ["--data", f"{WS}/missing.npz", "--archs", "random:1", "--out", "o.json"], "no such file"),
    ("ensemble", ["--dataset", f"{WS}/missing.npz", "--metric", "synflow", "--out", "o"], "no such file"),
    # 3. deep nesting: JSON files and formulas
    ("evolve", [f"--data={WS}/deep.json", "--out", "o"], "nested too deeply"),
    ("evaluate", [f"--data={WS}/deep.json", "--formula", "synflow"], "nested too deeply"),
    ("validate", [f"--data={WS}/deep.json", "--out", "o"], "nested too deeply"),
    ("report", [f"--data={WS}/deep.json", "--out", "o"], "nested too deeply"),
    ("baseline", ["teacup", f"--data={WS}/deep.json", "--out", "o.json"], "nested too deeply"),
    ("evaluate", [*TOY, "--formula", f"{WS}/deepresult.json"], "nested too deeply"),
    ("search", ["--algo", "random", "--data", f"{WS}/zc_toy.json", "--problem", "toy/cifar10", "--metric",
                f"{WS}/deepresult.json"], "nested too deeply"),
    ("evaluate", [*TOY, "--formula=" + "-" * 500 + "alpha"], "levels"),
    ("evaluate", [*TOY, "--formula", "+".join(["alpha"] * 10_000)], "longer than"),
    ("evaluate", [*TOY, "--formula", "+".join(["alpha"] * 3_000)], "nested"),
    ("evaluate", [*TOY, "--formula=" + "-" * 5_000], "syntax error"),
    ("evaluate", [*TOY, "--formula", "(" * 300 + "alpha" + ")" * 300], "nested"),
    ("evaluate", [*TOY, "--formula", "alpha +"], "syntax error"),
    ("evaluate", [*TOY, "--formula", ""], "empty formula"),
    ("evaluate", [*TOY, "--formula", "log(alpha, 2)"], "unknown function"),
    ("evaluate", [*TOY, "--formula", "__import__('os')"], "formula"),
    ("evaluate", [f"--data={WS}/notutf8.json", "--formula", "alpha"], "cannot read"),
    ("evaluate", [f"--data={WS}/list.json", "--formula", "alpha"], "list.json"),
    # 4. architecture files: not UTF-8, a huge line
    ("proxies", ["--data", "gaussian", "--archs", f"{WS}/notutf8.txt", "--out", "o.json"], "not a UTF-8"),
    ("proxies", ["--data", "gaussian", "--archs", f"{WS}/longline.txt", "--out", "o.json"],
     "not a NB201 architecture"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--candidates", f"{WS}/notutf8.txt", "--out", "o"],
     "not a UTF-8"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--candidates", f"{WS}/longline.txt", "--out", "o"],
     "not a NB201 architecture"),
    ("build-benchmark", ["--data", NPZ, "--archs", f"{WS}/notutf8.txt", "--epochs", "1", "--out", "o.json"],
     "not a UTF-8"),
    ("proxies", ["--data", "gaussian", "--archs", "random:x", "--out", "o.json"], "random:N"),
    ("proxies", ["--data", "gaussian", "--archs", "random:0", "--out", "o.json"], "random:N"),
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--proxies", "synflw", "--out", "o.json"],
     "did you mean 'synflow'"),
    # 5. proxy names that clash with operators or are not identifiers, refused when the data is read
    ("evolve", [f"--data={WS}/zc_toylog.json", "--out", "o"], "proxy name 'log'"),
    ("evolve", [f"--data={WS}/zc_toyadd.json", "--out", "o"], "proxy name 'add'"),
    ("evolve", [f"--data={WS}/zc_toykw.json", "--out", "o"], "Python keyword"),
    ("evolve", [f"--data={WS}/zc_toysp.json", "--out", "o"], "not an identifier"),
    ("evolve", [f"--data={WS}/zc_toydu.json", "--out", "o"], "starts with '__'"),
    ("validate", [f"--data={WS}/zc_toylog.json", "--out", "o"], "proxy name 'log'"),
    ("baseline", ["teacup", f"--data={WS}/zc_toykw.json", "--out", "o.json"], "Python keyword"),
    # 6. devices, classes, empty axes, huge labels, NaN labels
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--device", "tpu", "--out", "o.json"],
     "unknown device 'tpu'"),
    ("search", ["--algo", "random", "--dataset", NPZ, "--metric", "synflow", "--device", "tpu"], "unknown device"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--device", "gpu", "--out", "o"], "unknown device"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--device", "x", "--out", "o.json"],
     "unknown device"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", NPZ, "--device", "tpu"], "unknown device"),
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--classes", "-1", "--out", "o.json"], ">= 1"),
    ("proxies", ["--data", f"{WS}/len0.npz", "--dim", "1", "--archs", "random:1", "--out", "o.json"],
     "at least one sample, channel and element"),
    ("proxies", ["--data", f"{WS}/ch0.npz", "--dim", "1", "--archs", "random:1", "--out", "o.json"],
     "at least one sample, channel and element"),
    ("ensemble", ["--dataset", f"{WS}/len0.npz", "--metric", "synflow", "--out", "o"], "at least one element"),
    ("search", ["--algo", "random", "--dataset", f"{WS}/ch0.npz", "--metric", "synflow"], "at least one element"),
    ("proxies", ["--data", f"{WS}/biglabel.npz", "--archs", "random:1", "--out", "o.json"], "at most 100000"),
    ("ensemble", ["--dataset", f"{WS}/biglabel.npz", "--metric", "synflow", "--out", "o"], "at most 100000"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", f"{WS}/nanlabels.npz"], "NaN"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", f"{WS}/strlabels.npz"], "array 'y' holds <U1"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", f"{WS}/scalar.npy"], "single number (0-d)"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", f"{WS}/scalarx.npz"], "array 'x' is a single number"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", f"{WS}/a.npy"], "samples of shape (1, 50)"),
    ("predict", ["--ensemble", f"{WS}/ens", "--input", NPZ, "--flag", "1.5"], "--flag"),
    ("predict", ["--ensemble", f"{WS}/missing", "--input", NPZ], "no such ensemble folder"),
    # 7. resume files of the wrong shape
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--out", f"{WS}/zc_listtable.json"],
     "cannot resume"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--out", f"{WS}/zc_listmeta.json"],
     "cannot resume"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:0", "--epochs", "1", "--out", "o.json"], "random:N"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "0", "--out", "o.json"], ">= 1"),
    # 8. malformed ensemble.json, a member key that leaves the folder, a raw-pickle weights file
    ("predict", ["--ensemble", f"{WS}/ens_escape", "--input", NPZ], "refusing to read outside"),
    ("predict", ["--ensemble", f"{WS}/ens_notobjects", "--input", NPZ], "an object with a key"),
    ("predict", ["--ensemble", f"{WS}/ens_nokey", "--input", NPZ], "an object with a key"),
    ("predict", ["--ensemble", f"{WS}/ens_shape", "--input", NPZ], "input_shape"),
    ("predict", ["--ensemble", f"{WS}/ens_pickle", "--input", NPZ], "not a plain tensor file"),
    # 9. what used to hang: huge constant powers, deep trees
    ("evaluate", [*TOY, "--formula", "9**9**9**9"], "too large"),
    ("search", ["--algo", "random", "--data", f"{WS}/zc_toy.json", "--problem", "toy/cifar10", "--metric",
                "alpha * 9**9**9**9"], "too large"),
    ("ensemble", ["--dataset", NPZ, "--metric", "9**9**9**9", "--out", "o"], "too large"),
    ("report", [*TOY, "--metric", "m=9**9**9**9", "--out", "o"], "too large"),
    ("evolve", [*TOY, "--init-depth", "40", "40", "--max-depth", "40", "--out", "o"], "above 17"),
    ("evolve", [*TOY, "--worst-weight", "nan", "--out", "o"], "--worst-weight"),
    ("validate", [*TOY, "--worst-weight", "-1", "--out", "o"], "--worst-weight"),
    ("evolve", [f"--data={WS}/zc_toy.json+{WS}/missing.json", "--out", "o"], "no such file"),
    # suite-proxies: dataset D's tables
    ("suite-proxies", ["--suite", f"{WS}/missing.json", "--out", "o.json"], "no such file"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--out", "o.json"], "no registered space"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--space", "nb201", "--task", "cifar1", "--out", "o.json"],
     "no task 'cifar1'"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--space", "nb201", "--archs", "random:0", "--out", "o.json"],
     "random:N"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--space", "nb201", "--proxies", "synflw", "--out", "o.json"],
     "synflow"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--batch-size", "0", "--out", "o.json"], "--batch-size"),
    ("suite-proxies", ["--suite", f"{WS}/zc_toy.json", "--space", "nb201", "--out", f"{WS}/zc_toy.json"],
     "not a suite-proxies table"),
    # 10. output folders: foreign non-empty folders and empty paths
    ("evolve", [*TOY, "--out", f"{WS}/userdir"], "non-empty folder"),
    ("search", ["--algo", "random", "--dataset", NPZ, "--metric", "synflow", "--budget", "2",
                "--out", f"{WS}/userdir"], "non-empty folder"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--candidates", "random:4", "--k", "2",
                  "--out", f"{WS}/userdir"], "non-empty folder"),
    ("validate", [*TOY, "--out", f"{WS}/userdir"], "non-empty"),
    ("evolve", [*TOY, "--out", ""], "empty path"),
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--out", ""], "empty path"),
    ("make-dataset", ["ecg", "--out", ""], "empty path"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--out", " "], "empty path"),
    ("report", [*TOY, "--out", ""], "empty path"),
    ("baseline", ["teacup", *TOY, "--out", ""], "empty path"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--out", ""], "empty path"),
    # 11. an output that cannot be written: one line, before any progress bar or worker starts
    ("evolve", [*TOY, "--jobs", "2", "--runs", "2", "--generations", "1", "--out", f"{WS}/ecg.npz/sub"],
     "cannot create --out"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:2", "--epochs", "1", "--jobs", "2",
                         "--out", f"{WS}/ecg.npz/sub/zc_x.json"], "cannot create --out"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--candidates", "random:4", "--k", "2", "--jobs", "2",
                  "--out", f"{WS}/ecg.npz/sub"], "ecg.npz/sub"),
    ("validate", [*TOY, "--jobs", "2", "--runs", "1", "--generations", "1", "--out", f"{WS}/ecg.npz/sub"],
     "ecg.npz/sub"),
    # other subcommand checks
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--k", "1", "--out", "o"], "--k must be >= 2"),
    ("ensemble", ["--dataset", NPZ, "--metric", "synflow", "--uncertainty", "foo", "--out", "o"], "invalid choice"),
    ("search", ["--algo", "agin", "--dataset", NPZ, "--metric", "synflow"], "did you mean 'aging'"),
    ("search", ["--algo", "random", "--budget", "0", "--dataset", NPZ, "--metric", "synflow"], "budget"),
    ("baseline", ["ridge", *TOY, "--out", "o.json"], "ridge"),
    ("report", [*TOY, "--metric", "m=nope", "--out", "o"], "nope"),
    # train: another space's architecture, missing data, bad settings, folders without a search result
    ("train", ["--space", "nb101", "--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", NPZ, "--out", "o"], "NB101"),
    ("train", ["--space", "darts", "--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", NPZ, "--out", "o"], "DARTS"),
    ("train", ["--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", f"{WS}/missing.npz", "--out", "o"], "no such file"),
    ("train", ["--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", NPZ, "--epochs", "0", "--out", "o"], ">= 1"),
    ("train", ["--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", NPZ, "--lr", "nan", "--out", "o"], "finite number"),
    ("train", ["--from-search", f"{WS}/userdir", "--dataset", NPZ], "no search.json"),
    ("train", ["--from-search", f"{WS}/nowhere", "--dataset", NPZ], "no search.json"),
    ("train", ["--from-search", f"{WS}/dsearch", "--space", "nb201", "--dataset", NPZ], "is in darts"),
    ("train", ["--arch", "(1, 0, 0, 2, 1, 0)", "--dataset", NPZ, "--epochs", "1", "--out", f"{WS}/userdir"],
     "non-empty folder"),
    ("search", ["--algo", "random", *TOY, "--problem", "toy/cifar10", "--metric", "alpha", "--train-final", "2"],
     "live mode"),
    ("search", ["--algo", "random", "--dataset", NPZ, "--metric", "synflow", "--time-budget", "0"], "finite number"),
    # compare: bad sizes, fractions, problems, methods, metrics and output folders
    ("compare", [*TOY, *CMP, "--train-sizes", "0,x", "--out", "o"], "comma-separated integers"),
    ("compare", [*TOY, *CMP, "--train-sizes", "0,-5", "--out", "o"], "integers >= 0"),
    ("compare", [*TOY, *CMP, "--curve-fraction", "1.5", "--out", "o"], "between 0 and 1"),
    ("compare", [*TOY, *CMP, "--seeds", "0", "--out", "o"], "integer >= 1"),
    ("compare", [*TOY, "--problem", "toy/imagenet", "--out", "o"], "imagenet"),
    ("compare", [*TOY, *CMP, "--train-sizes", "0,100", "--out", "o"], "100"),
    ("compare", [*TOY, *CMP, "--out", ""], "empty path"),
    ("compare", [*TOY, *CMP, "--out", f"{WS}/userdir"], "non-empty folder"),
    ("compare", [*TOY, *CMP, "--metric", "m=9**9**9**9", "--out", "o"], "too large"),
    ("compare", [f"--data={WS}/deep.json", *CMP, "--out", "o"], "nested too deeply"),
    ("compare", [*TOY, *CMP, "--methods", "predictr", "--out", "o"], "predictr"),
    ("compare", [*TOY, *CMP, "--jobs", "0", "--out", "o"], "--jobs"),
    ("compare", [f"--data={WS}/zc_toylog.json", "--problem", "toylog/cifar10", "--train-sizes", "0,10", "--out", "o"], "proxy name 'log'"),
    ("compare", [*TOY, *CMP, "--metric", "alpha", "--out", "o"], "taken"),
    ("compare", [*TOY, *CMP, "--out", f"{WS}/ecg.npz"], "not a folder"),
    # ftscorenet: bad model files, unknown architectures, bad split sizes and outputs
    ("ftscorenet", ["score", "--model", f"{WS}/nofile.pt", "--archs", "random:3", "--out", "s.csv"], "no FT-ScoreNet model"),
    ("ftscorenet", ["score", "--model", f"{WS}/notutf8.json", "--archs", "random:3", "--out", "s.csv"], "not a readable"),
    ("ftscorenet", ["score", "--model", f"{WS}/ens_pickle/ensemble.json", "--archs", "random:3", "--out", "s.csv"], "not a readable"),
    ("ftscorenet", ["score", "--model", f"{WS}/other.pt", "--archs", "random:3", "--out", "s.csv"], "not an FT-ScoreNet model"),
    ("ftscorenet", ["score", "--model", f"{WS}/v9.pt", "--archs", "random:3", "--out", "s.csv"], "format version 9"),
    ("ftscorenet", ["score", "--model", f"{WS}/damaged.pt", "--archs", "random:3", "--out", "s.csv"], "damaged"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--archs", f"{WS}/notutf8.txt", "--out", "s.csv"], "UTF-8"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--archs", f"{WS}/longline.txt", "--out", "s.csv"], "architecture 1"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--archs", "random:0", "--out", "s.csv"], "random:N"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--data", f"{WS}/zc_toy.json", "--out", "t.json"], "not a NB201 cell"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--data", f"{WS}/zc_toy.json", "--out", f"{WS}/zc_toy.json"], "input table"),
    ("ftscorenet", ["score", "--model", f"{WS}/ft.pt", "--out", "s.csv"], "one of the arguments"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/cifar10", "--out", "m.pt"], "NB201 cells only"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/cifar10", "--train", "1.5", "--out", "m.pt"], "integer count"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/cifar10", "--train", "40", "--out", "m.pt"], "leaves 40 training"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/cifar10", "--epochs", "0", "--out", "m.pt"], "--epochs"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/cifar10", "--out", "m.json"], "name a .pt file"),
    ("ftscorenet", ["fit", *TOY, "--problem", "toy/imagenet", "--out", "m.pt"], "imagenet"),
    # issue 39: output folders and files claimed as jobs; --threads; issue 38: --folds
    ("search", ["--algo", "random", "--data", "builtin", "--problem", "NB201-ECG", "--metric", "params", "--budget", "5",
                "--out", f"{WS}/userdir"], "holds no zc-synth job"),
    ("search", ["--algo", "random", "--data", "builtin", "--problem", "NB201-ECG", "--metric", "params", "--budget", "5",
                "--out", f"{WS}/evolvejob"], "holds a zc-synth evolve job"),
    ("report", ["--out", f"{WS}/evolvejob"], "holds a zc-synth evolve job"),
    ("report", ["--out", f"{WS}/userdir"], "holds no zc-synth report job"),
    ("make-dataset", ["ecg", "--n", "40", "--out", f"{WS}/made.npz"], "not a"),
    ("proxies", ["--data", "gaussian", "--archs", "random:1", "--threads", "0", "--out", "o.json"], "--threads"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:1", "--epochs", "1", "--folds", "3", "--out", "o.json"],
     "--keep last"),
    ("build-benchmark", ["--data", NPZ, "--archs", "random:1", "--epochs", "1", "--folds", "0", "--keep", "last",
                         "--out", "o.json"], "--folds"),
]


def _snapshot(root: str) -> dict[str, str]:
    out = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, root)] = hashlib.sha1(handle.read()).hexdigest()
    return out


def test_there_are_enough_cases_over_every_subcommand():
    from synth.cli import build_parser

    commands = {c for c, _, _ in CASES}
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    assert commands == set(sub.choices)
    assert len(CASES) >= 80


@pytest.mark.parametrize("command, args, words", CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)])
def test_bad_input_is_one_line_exit_2_and_touches_nothing(command, args, words, ws, monkeypatch, capsys):
    import torch

    if "cuda" in args and torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    monkeypatch.chdir(ws)
    argv = [command] + [a.replace(WS, ws) for a in args]
    before = _snapshot(ws)
    start = time.monotonic()
    try:
        code = main(argv)
    except SystemExit as exc:                       # argparse's own errors
        code = exc.code
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.startswith("zc-synth: error:") and "\n" not in err and "Traceback" not in err, err
    assert words in err, err
    assert elapsed < 10, f"took {elapsed:.1f} s"
    after = _snapshot(ws)
    assert after == before, sorted(set(after.items()) ^ set(before.items()))[:5]


def _float_options():
    """(command words, option) of every option of every command whose value is a number."""
    import argparse

    from proxies import argtypes
    from synth.cli import build_parser

    numbers = {getattr(argtypes, name) for name in argtypes.FLOAT_TYPES} | {float}
    found = []

    def walk(parser, words):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*words, name])
            elif action.option_strings and action.type in numbers:
                found.append((tuple(words), action.option_strings[-1]))
    walk(build_parser(), [])
    return found


FLOAT_OPTIONS = _float_options()


def test_the_parsers_have_float_options_to_check():
    assert len(FLOAT_OPTIONS) >= 12 and (("build-benchmark",), "--lr") in FLOAT_OPTIONS


@pytest.mark.parametrize("words,option", FLOAT_OPTIONS, ids=[" ".join(w) + " " + o for w, o in FLOAT_OPTIONS])
@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_every_float_option_refuses_nan_and_inf_in_one_line(words, option, value, capsys, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        main([*words, f"{option}={value}", "--out", str(out)])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"argument {option}" in err and value in err
    assert not out.exists()


@pytest.mark.parametrize("words,out", [
    (["proxies", "--data", "gaussian", "--archs", "random:1"], "p.txt"),
    (["proxies", "--data", "gaussian", "--archs", "random:1"], "p"),
    (["make-dataset", "ecg"], "ecg.json"),
    (["build-benchmark", "--data", "x.npz"], "table.csv"),
    (["baseline", "upnas"], "upnas.txt"),
    (["ftscorenet", "fit", "--problem", "toy/cifar10"], "m.json"),
])
def test_an_output_file_of_unknown_format_is_refused_before_any_work(words, out, tmp_path, capsys):
    path = tmp_path / out
    with pytest.raises(SystemExit) as stop:
        main([*words, "--out", str(path)])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "unknown output format" in err
    assert not path.exists()
