"""``parallel_map``: torch jobs of a spread run use one torch thread wherever they run, so a run
whose last task runs in this process gives the workers' numbers."""
from __future__ import annotations

import torch

from proxies.parallel import parallel_map


def _threads() -> int:
    return torch.get_num_threads()


def test_a_spread_run_left_with_one_task_runs_it_here_with_one_thread_and_restores_torch():
    before = torch.get_num_threads()
    assert list(parallel_map([(_threads, ())], jobs=2, torch_jobs=True)) == [1]
    assert torch.get_num_threads() == before


def test_one_job_keeps_torch_threads_and_plain_jobs_are_untouched():
    before = torch.get_num_threads()
    assert list(parallel_map([(_threads, ())], jobs=1, torch_jobs=True)) == [before]
    assert list(parallel_map([(_threads, ())], jobs=2)) == [before]
