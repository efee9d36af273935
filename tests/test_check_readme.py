"""benchmarks/check_readme.py compares a doc's shown output with what its command prints today."""
from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import pytest

SPEC = importlib.util.spec_from_file_location("check_readme", Path(__file__).parent.parent / "benchmarks" / "check_readme.py")
check = importlib.util.module_from_spec(SPEC)
sys.modules["check_readme"] = check                  # dataclasses look their module up while the file runs
SPEC.loader.exec_module(check)

PAGE = """# A page

```bash
echo "search wall time 12.3 s (953 evaluations in 1 run)"
echo "best cell |skip_connect~0|, accuracy 90.93 %"
```

```
best cell |skip_connect~0|, accuracy 90.93 %
```

Prose between.

```bash
echo hello
```

Not adjacent, so this one shows nothing for the block above:

```
hello
```
"""


def _blocks(tmp_path: Path, text: str = PAGE):
    page = tmp_path / "page.md"
    page.write_text(text)
    return check.split_page(page)[0]


def test_an_output_fence_right_after_a_block_is_its_shown_output(tmp_path):
    first, second = _blocks(tmp_path)
    assert first.shown == ["best cell |skip_connect~0|, accuracy 90.93 %"]
    assert second.shown is None


@pytest.mark.parametrize("shown, printed, same", [
    ("search wall time 12.3 s (953 evaluations)", "search wall time 9.0 s (953 evaluations)", True),   # timing
    ("search wall time 12.3 s (953 evaluations)", "search wall time 12.3 s (954 evaluations)", False),
    ("accuracy 90.36 %", "accuracy 90.93 %", False),
    ("best |nor_conv_3x3~0|+|...|", "best |nor_conv_3x3~0|+|skip_connect~0|nor_conv_3x3~1|", True),
    ("built 3 nets at 2.5 it/s, 1,204 s in all", "built 3 nets at 7.1 it/s, 95 s in all", True),
    ("metric 2.67e-06", "metric -492.51", False),
])
def test_timings_and_ellipses_are_free_every_other_character_counts(shown, printed, same):
    assert (check.compare_output([shown], printed) is None) == same


def test_shown_lines_must_appear_in_order_with_others_between():
    printed = "a\rprogress 50%\rprogress 100%\nfirst\nnoise\nsecond\n"
    assert check.compare_output(["first", "", "second"], printed) is None
    assert check.compare_output(["progress 100%", "second"], printed) is None
    missing = check.compare_output(["second", "first"], printed)
    assert missing and "'first'" in missing


def test_a_block_whose_output_changed_fails_with_the_closest_line(tmp_path):
    first, _ = _blocks(tmp_path)
    args = argparse.Namespace(timeout=30, install=False)
    status, _, tail = check.run_block(first, tmp_path, args)
    assert status == 0
    first.shown = ["best cell |nor_conv_3x3~0|, accuracy 90.36 %"]
    status, _, tail = check.run_block(first, tmp_path, args)
    assert status == 3 and "90.36" in tail and "closest printed" in tail and "90.93" in tail
