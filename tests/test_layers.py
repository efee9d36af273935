"""The packages form layers: ``zc_core`` imports none of the others, ``proxies`` only ``zc_core``,
``benchmarks_data`` only those two, ``synth`` any. Checked on every import statement of the tree
(top-level and inside functions), so an upward arrow fails here before it becomes a cycle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["zc_core", "proxies", "benchmarks_data", "synth"]
"""Lowest first: a package may import only the packages before it."""


def _imports(path: Path, package: str) -> list[tuple[int, str]]:
    """(line, imported top-level package) of every import in ``path``, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, package if node.level else (node.module or "").split(".")[0]))
    return found


@pytest.mark.parametrize("package", LAYERS)
def test_no_package_imports_a_layer_above_it(package):
    allowed = set(LAYERS[:LAYERS.index(package) + 1])
    upward = [f"{path.relative_to(ROOT)}:{line} imports {target}"
              for path in sorted((ROOT / package).rglob("*.py"))
              for line, target in _imports(path, package)
              if target in LAYERS and target not in allowed]
    assert not upward, "\n".join(upward)
