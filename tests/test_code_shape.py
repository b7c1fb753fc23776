"""The codebase's house rules, checked on the tree itself (issue #14).

- the project's libraries are installed packages: importable from any folder, no `sys.path` edits;
- (every rename goes through plugins/lib/tdbvantq/writes: tests/test_reliability_units.py);
- no product function is longer than 80 lines.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from support import ROOT

PRODUCT_DIRS = [ROOT / "plugins", ROOT / "scripts"]
BENCHMARKS = ROOT / "benchmarks"
PYTHON_FILES = sorted(
    path for folder in [*PRODUCT_DIRS, BENCHMARKS, ROOT / "tests"] for path in folder.rglob("*.py")
) + [ROOT / "pelicanconf.py", ROOT / "publishconf.py"]
MAX_FUNCTION_LINES = 80


def test_packages_import_from_any_folder(tmp_path: Path) -> None:
    code = "import tdbvantq.text, tdbvantq.search, tdbvantq.importer, tdbvantq.check, model_catalog; print('ok')"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_no_file_edits_sys_path() -> None:
    offenders = []
    for path in PYTHON_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "path":
                if isinstance(node.value, ast.Name) and node.value.id == "sys":
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_no_product_function_over_80_lines() -> None:
    long_functions = []
    for folder in PRODUCT_DIRS:
        for path in folder.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        long_functions.append(
                            f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length})"
                        )
    assert long_functions == []
