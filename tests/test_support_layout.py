"""Where test helpers live: tests/support/ is imported, tests/conftest.py is not.

conftest.py is pytest's (fixtures and hooks); a helper imported from it, or from a loose
module beside the tests, is a second home for test support that a newcomer has to find.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support import ROOT

TESTS = ROOT / "tests"


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def test_no_test_imports_conftest() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[-1] == "conftest"
    ]
    assert not offenders, "import from support, not conftest:\n" + "\n".join(offenders)


def test_no_test_imports_another_test_module() -> None:
    """A helper a second test module needs moves into tests/support/; importing a test
    module would also collect and run its tests' fixtures a second time."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[-1].startswith("test_")
    ]
    assert not offenders, "move the shared helper into tests/support/:\n" + "\n".join(offenders)


def test_helpers_live_in_the_support_package() -> None:
    """Beside the tests: conftest.py and test_*.py only; helpers go into tests/support/."""
    loose = [
        path.name
        for path in TESTS.glob("*.py")
        if path.name != "conftest.py" and not path.name.startswith("test_")
    ]
    assert not loose, f"move into tests/support/: {loose}"
    assert (TESTS / "support" / "__init__.py").is_file()


def test_the_layout_checks_can_fail(tmp_path: Path) -> None:
    module = tmp_path / "test_example.py"
    module.write_text(
        "from conftest import ROOT\nimport tests.conftest\n"
        "def f():\n    from test_site_build import broken_links\n",
        encoding="utf-8",
    )
    assert [name for _line, name in imported_modules(module)] == [
        "conftest",
        "tests.conftest",
        "test_site_build",
    ]
