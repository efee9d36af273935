"""DARTS cell drawings: a PNG of both cells from a choice tuple, a Genotype string or a suite key;
bad architectures are rejected before any file is written."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from proxies.spaces import get
from proxies.spaces.base import ArchError
from proxies.spaces.darts.draw import draw_genotype


@pytest.fixture(scope="module")
def arch() -> tuple[int, ...]:
    return get("darts").sample(np.random.default_rng(0))


def _check_png(path: str) -> None:
    import matplotlib.image

    assert Path(path).stat().st_size > 10_000
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[2] in (3, 4) and image.shape[0] > 200 and image.shape[1] > 500
    assert image[..., :3].std() > 0.05


@pytest.mark.parametrize("form", ["choices", "genotype", "key"])
def test_draws_a_png(tmp_path, arch, form):
    space = get("darts")
    given = {"choices": arch, "genotype": space.describe(arch), "key": space.key(arch)}[form]
    path = tmp_path / "nested" / f"{form}.png"
    out = draw_genotype(given, str(path), title=form if form == "key" else None)
    assert out == str(path)
    _check_png(out)


def test_bad_architecture_raises_before_writing(tmp_path, arch):
    cells = [list(cell) for cell in get("darts").cells(arch)]
    cells[0][1] = (cells[0][0][0], 3)
    path = tmp_path / "out" / "bad.png"
    for bad in (cells, str(cells), "not an architecture", arch[:-1]):
        with pytest.raises(ArchError):
            draw_genotype(bad, str(path))
    assert not path.parent.exists()


def test_the_registry_draws_darts_cells_and_refuses_other_spaces(tmp_path):
    from proxies.spaces import names
    from proxies.spaces.base import ArchError

    darts = get("darts")
    path = darts.draw(darts.key(darts.random(1, 2)[0]), str(tmp_path / "g.png"))
    assert os.path.getsize(path) > 10_000
    for name in names():
        space = get(name)
        if "draw" not in space.supports:
            with pytest.raises(ArchError, match="no cell drawing"):
                space.draw(space.random(1, 0)[0], str(tmp_path / f"{name}.png"))
