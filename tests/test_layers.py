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


def test_no_command_module_imports_the_root_and_every_command_has_its_module():
    from synth.commands import COMMANDS

    folder = ROOT / "synth" / "commands"
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "synth.cli" not in source and "from ..cli" not in source, f"{path.name} imports the root"
    for name, module in COMMANDS.items():
        assert module == name.replace("-", "_") and (folder / f"{module}.py").is_file()
    root = (ROOT / "synth" / "cli.py").read_text(encoding="utf-8")
    assert not [line for line in root.splitlines() if line.startswith("def ") and line.split("(")[0][4:] not in
                ("build_parser", "main")], "the root holds only the table's parser and main"


def test_help_loads_neither_torch_pandas_nor_scikit_learn():
    import subprocess
    import sys

    code = ("import sys\nfrom synth.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('torch', 'pandas', 'sklearn', 'sympy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
