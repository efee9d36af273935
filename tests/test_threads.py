"""The thread policy: the cores left free by the load, an explicit --threads or OMP_NUM_THREADS wins,
and --verbose says what was chosen (speed itself is measured in benchmarks/bench_threads.py)."""
from __future__ import annotations

import pytest
import torch

from proxies.threads import choose_threads, set_threads
from synth.cli import main


@pytest.mark.parametrize("cores, load, threads", [(8, 0.0, 8), (8, 2.4, 6), (8, 2.6, 5), (2, 2.0, 1),
                                                   (2, 7.5, 1), (4, 0.4, 4), (1, 0.0, 1)])
def test_the_policy_leaves_the_busy_cores_alone(cores, load, threads):
    assert choose_threads(cores, load) == threads


def test_an_explicit_choice_wins(monkeypatch):
    before = torch.get_num_threads()
    try:
        monkeypatch.setenv("OMP_NUM_THREADS", "3")
        assert set_threads() == (3, "OMP_NUM_THREADS") and torch.get_num_threads() == 3
        assert set_threads(2) == (2, "--threads") and torch.get_num_threads() == 2
        monkeypatch.delenv("OMP_NUM_THREADS")
        threads, why = set_threads()
        assert threads >= 1 and "load average" in why
    finally:
        torch.set_num_threads(before)


def test_verbose_prints_the_choice(tmp_path, capsys, monkeypatch):
    before = torch.get_num_threads()
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    try:
        assert main(["proxies", "--archs", "random:1", "--data", "gaussian", "--proxies", "params", "--jobs", "1",
                     "--quiet", "--threads", "1", "--verbose", "--out", str(tmp_path / "p.json")]) == 0
    finally:
        torch.set_num_threads(before)
    assert "torch threads: 1 (--threads)" in capsys.readouterr().err
