"""The desk's form and `make check` judge alike: the shared cases of
tests/vectors/desk_rules.json run through the checker (plugins/lib/tdbvantq/check) and
through the desk's JavaScript (plugins/editor_desk/static/desk-rules.js, in node) with
the rule data the build exports (editor_desk.rules.rule_data)."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor_desk.rules import rule_data
from tdbvantq.check.runner import check_paths

ROOT = Path(__file__).resolve().parents[1]
VECTORS = ROOT / "tests" / "vectors" / "desk_rules.json"
CODES = {"bad-date", "unknown-model", "broken-link", "unsafe-html"}
CASES = json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("desk-rules") / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "images" / "co-that").mkdir(parents=True)
    (root / "images" / "co-that" / "anh.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    return root


@pytest.fixture(scope="module")
def rules(content: Path) -> dict:
    return rule_data(content)


@pytest.fixture(scope="module")
def desk_verdicts(rules: dict, tmp_path_factory: pytest.TempPathFactory) -> list[list[dict]]:
    path = tmp_path_factory.mktemp("desk-rules-json") / "rules.json"
    path.write_text(json.dumps(rules, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "desk_rules_cli.mjs"), str(path), str(VECTORS)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def _expected(case: dict, *, checker_judges_attr_lists: bool | None = None) -> list[dict]:
    """The case's problems; for the checker, attribute lists only where it judges them."""
    return [
        {key: item[key] for key in ("line", "code", "message")}
        for item in case["expect"]
        if checker_judges_attr_lists is not False or "checker" not in item
    ]


@pytest.mark.parametrize("number", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_desk_form_matches_the_vectors(number: int, desk_verdicts: list[list[dict]]) -> None:
    case = CASES[number]
    assert desk_verdicts[number] == _expected(case)


@pytest.mark.parametrize("number", range(len(CASES)), ids=[case["name"] for case in CASES])
def test_make_check_matches_the_vectors(number: int, content: Path, rules: dict) -> None:
    case = CASES[number]
    path = content / case["path"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case["text"], encoding="utf-8")
    try:
        report = check_paths([path], content_root=content, now=datetime(2030, 1, 1, tzinfo=UTC))
    finally:
        path.unlink()
    found = [
        {"line": p.line, "code": p.code, "message": p.message}
        for p in report.errors
        if p.code in CODES
    ]
    assert sorted(found, key=lambda p: (p["line"], p["message"])) == sorted(
        _expected(
            case, checker_judges_attr_lists=rules["messages"]["attr_list"]["source"] == "checker"
        ),
        key=lambda p: (p["line"], p["message"]),
    )


def test_every_rule_kind_has_cases() -> None:
    codes = {item["code"] for case in CASES for item in case["expect"]}
    assert CODES <= codes
    assert any("{: " in case["text"] and case["expect"] for case in CASES)
