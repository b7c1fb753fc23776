"""The article scaffold: the file it writes, its refusals, and that it checks and builds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support import ROOT, run_pelican
from tdbvantq.check import check_paths
from tdbvantq.check.scaffold import create_article
from tdbvantq.text import slugify
from tdbvantq.text.slugs import SLUG_MAX_BYTES

SCRIPT = ROOT / "scripts" / "new_article.py"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TITLE = "Tổ hoà giải “Ngày Chủ nhật xanh” ở phường Vĩnh Ninh"
SUMMARY = (
    "Tổ hòa giải ở phường Vĩnh Ninh phối hợp với công an phường duy trì mô hình "
    "Ngày Chủ nhật xanh, được người dân hưởng ứng."
)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with the real model catalogue and glossary, and no article."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content" / "models", folder / "models")
    shutil.copytree(ROOT / "content" / "data", folder / "data")
    return folder


def scaffold(*args: str, content: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--content", str(content), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def fill(text: str) -> str:
    """What an editor does: fill the markers, delete the optional lines not used."""
    filled = []
    for line in text.splitlines():
        key = line.split(":", 1)[0]
        if key in {"Source", "Source_Name", "Image", "Image_Caption", "Locality", "Status"}:
            continue  # the Status line too: deleting it publishes the story
        line = line.replace("Author: [CẦN ĐIỀN: tên tác giả]", "Author: Phóng viên")
        line = re.sub(r"^Summary: .*", f"Summary: {SUMMARY}", line)
        line = re.sub(r"^Tags: .*", "Tags: Phong trào TDBVANTQ, Huế", line)
        line = re.sub(r"\[CẦN ĐIỀN: tiêu đề mục\]", "Hiệu quả ở cơ sở", line)
        line = re.sub(r"^\[CẦN ĐIỀN: .*\]$", "Người dân cùng dọn vệ sinh đường phố mỗi tuần.", line)
        filled.append(line)
    return "\n".join(filled) + "\n"


def test_writes_every_field_in_the_house_format(content: Path) -> None:
    result = scaffold(
        "--models",
        "Dòng họ 3 kỷ cương; ngày chủ nhật xanh",
        "--date",
        "2024-05-01 08:30",
        TITLE,
        content=content,
    )
    assert result.returncode == 0, result.stderr
    slug = slugify(TITLE)
    path = content / "articles" / "2024" / f"{slug}.md"
    assert slug == "to-hoa-giai-ngay-chu-nhat-xanh-o-phuong-vinh-ninh"
    assert f"Đã tạo {path}" in result.stdout
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0].splitlines()
    fields = dict(
        line.split(": ", 1) if ": " in line else (line.rstrip(":"), "") for line in header
    )
    assert list(fields) == [
        "Title",
        "Date",
        "Author",
        "Category",
        "Slug",
        "Summary",
        "Source",
        "Source_Name",
        "Image",
        "Image_Caption",
        "Models",
        "Tags",
        "Locality",
        "Status",
    ]
    assert fields["Status"] == "draft"  # nothing reaches the site before an editor publishes it
    assert (
        fields["Title"] == "Tổ hòa giải “Ngày Chủ nhật xanh” ở phường Vĩnh Ninh"
    )  # house tone style
    assert fields["Date"] == "2024-05-01 08:30+07:00"
    assert fields["Slug"] == slug and fields["Category"] == "Tin tức"
    assert fields["Models"] == "Dòng họ tự quản; Ngày Chủ nhật xanh"  # catalogue names
    assert fields["Image"] == ""
    for key in ["Author", "Summary", "Source", "Source_Name", "Image_Caption", "Tags", "Locality"]:
        assert fields[key].startswith("[CẦN ĐIỀN: "), key


def test_publish_writes_no_status_line(content: Path) -> None:
    result = scaffold("--publish", "--date", "2024-05-01 08:30", TITLE, content=content)
    assert result.returncode == 0, result.stderr
    text = (content / "articles" / "2024" / f"{slugify(TITLE)}.md").read_text(encoding="utf-8")
    assert "Status:" not in text and "bản nháp" not in result.stdout
    draft = scaffold("--date", "2024-05-01 08:30", "Bài khác", content=content)
    assert "Bài đang là bản nháp" in draft.stdout


def test_make_new_writes_a_draft_unless_publish(content: Path) -> None:
    for title, publish in (("Bài nháp", ""), ("Bài xuất bản", "1")):
        result = subprocess.run(
            [
                "make",
                "--no-print-directory",
                "new",
                f"TITLE={title}",
                f"CONTENT={content}",
                f"PUBLISH={publish}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    year = next((content / "articles").iterdir())
    assert "\nStatus: draft\n" in (year / "bai-nhap.md").read_text(encoding="utf-8")
    assert "Status:" not in (year / "bai-xuat-ban.md").read_text(encoding="utf-8")


def test_default_date_is_now_in_vietnam(content: Path) -> None:
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=VN)
    path = create_article("Tin mới", content, now=now)
    assert path == content / "articles" / "2025" / "tin-moi.md"
    assert "Date: 2025-01-02 03:04+07:00\n" in path.read_text(encoding="utf-8")


def test_refuses_to_overwrite_or_reuse_a_slug(content: Path) -> None:
    assert scaffold("--date", "2024-05-01", TITLE, content=content).returncode == 0
    path = next((content / "articles").rglob("*.md"))
    path.write_text("edited by hand\n", encoding="utf-8")
    again = scaffold("--date", "2024-05-01", TITLE, content=content)
    assert again.returncode == 1 and "không ghi đè" in again.stderr
    other_year = scaffold("--date", "2023-05-01", TITLE, content=content)
    assert other_year.returncode == 1 and "đã dùng cho bài" in other_year.stderr
    assert path.read_text(encoding="utf-8") == "edited by hand\n"
    assert sorted(p.name for p in (content / "articles").rglob("*")) == ["2024", path.name]


def test_a_long_or_letterless_title_still_gets_a_usable_slug(content: Path) -> None:
    long_title = "Tổ tự quản " * 40  # 440 characters: a file name past the 255-byte limit
    path = create_article(long_title, content, date="2024-05-01")
    assert len(path.stem.encode("utf-8")) <= SLUG_MAX_BYTES
    assert path.stem.startswith("to-tu-quan-to-tu-quan") and path.is_file()
    symbols = create_article("??? !!!", content, date="2024-05-02")
    assert re.fullmatch(r"muc-[0-9a-f]{8}", symbols.stem), symbols.stem
    path_codes = {"bad-slug", "unsafe-file", "control-char", "reserved-path", "same-output"}
    report = check_paths([content])
    assert [p for p in report.problems if p.code in path_codes] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--models", "Camera an nin", "Tiêu đề"], "Có phải: Camera an ninh?"),
        (["--date", "2999-01-01", "Tiêu đề"], "ở tương lai"),
        (["--date", "03/08/2023", "Tiêu đề"], "không đúng dạng"),
        (["   "], "thiếu tiêu đề"),
        ([], "required"),
    ],
)
def test_usage_errors_exit_two_and_write_nothing(
    content: Path, args: list[str], message: str
) -> None:
    result = scaffold(*args, content=content)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (content / "articles").exists()


def test_unfilled_scaffold_fails_the_check_at_every_marker(content: Path) -> None:
    path = create_article(TITLE, content, date="2024-05-01 08:30")
    report = check_paths([content])
    lines = path.read_text(encoding="utf-8").splitlines()
    to_fill = {n for n, line in enumerate(lines, 1) if "[CẦN ĐIỀN" in line or line == "Image:"}
    assert {p.line for p in report.errors} == to_fill
    assert {p.code for p in report.problems} == {"unfilled", "empty-field"}


def test_filled_scaffold_passes_the_check_and_builds(content: Path, tmp_path: Path) -> None:
    """Filled (and its Status line deleted), it checks clean and is published; filled or
    not, Pelican builds it (markers are plain text), and the unfilled draft stays a draft."""
    filled = create_article(TITLE, content, date="2024-05-01 08:30", models=["Ngày Chủ nhật xanh"])
    filled.write_text(fill(filled.read_text(encoding="utf-8")), encoding="utf-8")
    report = check_paths([content])
    assert report.problems == [], report.problems
    create_article("Bài chưa điền", content, date="2024-05-02 09:00")

    output = tmp_path / "output"
    result = run_pelican(content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")})
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "2024" / filled.stem / "index.html").read_text(encoding="utf-8")
    assert "Tổ hòa giải “Ngày Chủ nhật xanh” ở phường Vĩnh Ninh" in page
    assert "Người dân cùng dọn vệ sinh đường phố mỗi tuần." in page
    assert not (output / "2024" / "bai-chua-dien").exists()
    assert (output / "drafts" / "bai-chua-dien.html").is_file()
    assert "bai-chua-dien" not in (output / "index.html").read_text(encoding="utf-8")
