"""The desk's header format (plugins/editor_desk/static/pelican-format.js) on real files:
every file of content/ and of the test fixtures read and written back through node gives
the same bytes, and the JavaScript reads each header exactly as mdheader does."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from editor_desk import fields
from tdbvantq.markdown.header import parse_header

ROOT = Path(__file__).resolve().parents[1]
MARKDOWN = {".md", ".markdown", ".mdown", ".mkd"}


def _files() -> list[Path]:
    found = [
        p
        for folder in (ROOT / "content", ROOT / "tests" / "fixtures")
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in MARKDOWN
    ]
    return found


def _roundtrip(paths: list[Path], tmp_path: Path) -> dict:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(fields.format_schema(), ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        ["node", str(ROOT / "tests" / "js" / "desk_roundtrip.mjs"), str(schema)],
        input="\n".join(str(p) for p in paths),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _roundtrip(_files(), tmp_path_factory.mktemp("desk-format"))


def test_every_content_and_fixture_file_comes_back_byte_for_byte(result: dict) -> None:
    files = _files()
    assert len(files) > 60
    assert any("content/articles" in str(p) for p in files)
    assert result["mismatches"] == []
    assert len(result["checked"]) + len(result["skipped"]) == len(files)
    for path in result["skipped"]:  # only files that are not UTF-8, which the desk never opens
        with pytest.raises(UnicodeDecodeError):
            Path(path).read_bytes().decode("utf-8")


def test_headers_are_read_as_mdheader_reads_them(result: dict) -> None:
    for path, seen in result["headers"].items():
        text = Path(path).read_bytes().decode("utf-8")
        header = parse_header(text)
        expected = [[f.key, f.name, f.value, f.line] for f in header.fields]
        assert seen["fields"] == expected, path
        assert seen["body_start"] == header.body_start, path
        malformed = list(header.malformed) if header.malformed else None
        assert seen["malformed"] == malformed, path


def test_unusual_files_and_vietnamese_nfc(tmp_path: Path) -> None:
    texts = [
        "---\ntitle:   Bài  lạ\nDATE: 2023-08-03 21:15-04:00\nX-Khác: giữ\n---\n\nThân  \n",
        "Title: Hoà giải ở Thừa Thiên Huế\r\nDate: 2023-01-01 00:00\r\n\r\nĐảng ủy\r\n",
        "\ufeffTitle: có BOM\n\nx",
        "Title: x\nTags Phong trào\n\nbody\n",
    ]
    paths = []
    for number, text in enumerate(texts):
        path = tmp_path / f"case{number}.md"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    result = _roundtrip(paths, tmp_path)
    assert result["mismatches"] == [] and len(result["checked"]) == len(texts)


def test_every_header_key_the_site_reads_has_a_form_field() -> None:
    fields.check_coverage()
    schema = fields.format_schema()["fields"]
    from tdbvantq.check.meta_rules import ARTICLE_FIELDS, MODEL_FIELDS

    assert set(ARTICLE_FIELDS) | set(MODEL_FIELDS) <= set(schema)
    assert schema["source_name"]["name"] == "Source_Name"
    assert schema["models"] == {"name": "Models", "kind": "list", "sep": ";"}
    assert schema["tags"]["sep"] == "," and schema["authors"]["sep"] == ","
