"""The content checker: every rule on its own bad article, the real content, --fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from support import ROOT
from tdbvantq.check import Severity, check_paths

SCRIPT = ROOT / "scripts" / "check_content.py"
FIXTURES = ROOT / "tests" / "fixtures"
BAD = FIXTURES / "bad_articles"
E, W = Severity.ERROR, Severity.WARNING

# articles/<year>/<file> -> every (rule, line, severity) the checker must report, nothing more.
EXPECTED: dict[str, set[tuple[str, int, Severity]]] = {
    "2023/thieu-tieu-de.md": {("missing-field", 1, E)},
    "2023/sapo-trong.md": {("missing-field", 6, E)},
    "2023/ngay-sai.md": {("bad-date", 2, E)},
    "2099/ngay-tuong-lai.md": {("future-date", 2, W)},  # scheduled
    "2023/trung-slug.md": {("duplicate-slug", 5, E)},
    "2023/unicode-nfd.md": {("unicode-nfc", 16, E)},
    "2023/bo-dau-kieu-cu.md": {("tone-placement", 16, E)},
    "2023/chu-eth.md": {("lookalike-letter", 16, E)},
    "2023/ky-tu-an.md": {("invisible-char", 16, E)},
    "2023/mo-hinh-la.md": {("unknown-model", 7, E)},
    "2023/anh-khong-co.md": {("broken-link", 16, E)},
    "2023/lien-ket-hong.md": {("broken-link", 16, E)},
    "2023/the-script.md": {("unsafe-html", 16, E)},
    "2023/the-iframe.md": {("unsafe-html", 16, E)},
    "2023/thuoc-tinh-su-kien.md": {("unsafe-html", 16, E)},
    "2023/duong-dan-javascript.md": {("unsafe-html", 16, E)},
    "2023/sapo-ngan.md": {("summary-length", 6, W)},
    "2023/chu-thua.md": {("clutter", line, E) for line in range(16, 25)},
    "2023/khoang-trang-cuoi.md": {("trailing-space", 16, W)},
    "2023/chua-dien.md": {("unfilled", 16, E)},
    "2023/thong-tin-sau-dong-trong.md": {("missing-field", 1, E), ("field-in-body", 9, E)},
    "2023/truong-lap.md": {("repeated-field", 9, E)},
    "2023/slug-sai.md": {("bad-slug", 5, E)},
    "2023/go-sai-truong.md": {("missing-field", 1, E), ("unknown-field", 6, W)},
    "2023/anh-trong.md": {("empty-field", 9, E)},
    "2023/thieu-mui-gio.md": {("date-timezone", 2, W)},
    "2023/sai-thu-muc-nam.md": {("date-folder", 2, W)},
    "2023/anh-thieu-chu-thich.md": {("image-caption", 9, W)},
    "2023/khong-phai-utf8.md": {("encoding", 16, E)},
}
OPENING = "Đoạn mở đầu của bài viết mẫu.".encode()
# cu-phap-lien-ket.md names the link syntax in prose, which Pelican leaves as text.
CLEAN = [
    "2023/bai-sach.md",
    "2023/bai-sach-hai.md",
    "2022/trung-slug.md",
    "2023/cu-phap-lien-ket.md",
]


def run_checker(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def bad_report():
    return check_paths([BAD])


def test_every_fixture_is_listed() -> None:
    on_disk = {p.relative_to(BAD / "articles").as_posix() for p in (BAD / "articles").rglob("*.md")}
    assert on_disk == set(EXPECTED) | set(CLEAN)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_article_reports_its_problem_at_its_line(bad_report, name: str) -> None:
    path = (BAD / "articles" / name).resolve()
    found = {(p.code, p.line, p.severity) for p in bad_report.problems if p.path == path}
    assert found == EXPECTED[name]


def test_clean_articles_with_links_and_images_report_nothing(bad_report) -> None:
    clean = {(BAD / "articles" / name).resolve() for name in CLEAN}
    assert [p for p in bad_report.problems if p.path in clean] == []


def test_messages_are_vietnamese_nfc_with_a_fix(bad_report) -> None:
    for problem in bad_report.problems:
        for text in (problem.message, problem.hint):
            assert text and unicodedata.is_normalized("NFC", text), problem
    unknown = next(p for p in bad_report.problems if p.code == "unknown-model")
    assert "“Camera an nih”" in unknown.message and "“Camera an ninh”" in unknown.hint
    duplicate = next(p for p in bad_report.problems if p.code == "duplicate-slug")
    assert "articles/2022/trung-slug.md" in duplicate.message
    tone = next(p for p in bad_report.problems if p.code == "tone-placement")
    assert "“hoà” → “hòa”" in tone.message and tone.fixable


def test_cli_prints_path_line_problem_fix_and_fails_on_errors() -> None:
    result = run_checker("tests/fixtures/bad_articles")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    errors, _, warnings = out.partition("CẢNH BÁO")
    # A future Date schedules the story (plugins/schedule): a warning, not an error.
    assert (
        "tests/fixtures/bad_articles/articles/2099/ngay-tuong-lai.md:2: Bài hẹn giờ đăng"
        in warnings
    )
    assert errors.startswith("LỖI (")
    assert "khoang-trang-cuoi.md:16: Dòng có khoảng trắng thừa ở cuối — " in warnings
    assert "khoang-trang-cuoi.md" not in errors
    for line in out.splitlines():
        if ".md:" in line:
            path, number, rest = line.split(":", 2)
            assert (ROOT / path).is_file() and number.isdigit() and " — " in rest, line


def test_warnings_alone_exit_zero() -> None:
    result = run_checker(BAD / "articles" / "2023" / "sapo-ngan.md")
    assert result.returncode == 0, result.stdout
    assert "Sapo quá ngắn" in result.stdout and "LỖI" not in result.stdout


@pytest.mark.parametrize(
    "args", [["khong-co-thu-muc/"], ["--khong-co-tuy-chon"], ["--content", "khong-co"]]
)
def test_usage_errors_exit_two_without_traceback(args: list[str]) -> None:
    result = run_checker(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.strip()


def test_model_files_are_checked() -> None:
    report = check_paths([FIXTURES / "bad_models"])
    found = {(p.path.name, p.code, p.line) for p in report.problems}
    assert found == {
        ("khong-ten.md", "missing-field", 1),
        ("truong-la.md", "unknown-field", 2),
        ("trung-ten.md", "duplicate-model-name", 2),
    }


def test_content_folder_reports_nothing() -> None:
    """`make test` runs this: the real content must pass the checker with no warning at all."""
    result = run_checker("content")
    assert result.returncode == 0, result.stdout
    assert "LỖI" not in result.stdout and "CẢNH BÁO" not in result.stdout, result.stdout
    assert "Lưu ý" not in result.stdout, result.stdout  # the model catalogue was loaded
    report = check_paths([ROOT / "content"])
    assert report.problems == [] and len(report.checked) >= 2


def test_staged_single_file_is_compared_with_the_whole_folder() -> None:
    """The pre-commit hook passes single files; duplicates are still found."""
    report = check_paths([BAD / "articles" / "2023" / "trung-slug.md"])
    assert [p.code for p in report.problems] == ["duplicate-slug"]
    assert check_paths([BAD / "images" / "bai-sach" / "anh.png"]).checked == []


def test_fix_repairs_unicode_tone_and_spaces_and_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "2023"
    folder.mkdir(parents=True)
    names = [
        "unicode-nfd.md",
        "bo-dau-kieu-cu.md",
        "chu-eth.md",
        "ky-tu-an.md",
        "khoang-trang-cuoi.md",
        "bai-sach-hai.md",
    ]
    for name in names:
        shutil.copy(BAD / "articles" / "2023" / name, folder / name)
    windows = folder / "dong-crlf.md"
    source = (BAD / "articles" / "2023" / "bai-sach-hai.md").read_bytes()
    original_crlf = source.replace(b"\n", b"\r\n").replace(b"bai-sach-hai", b"dong-crlf")
    windows.write_bytes(original_crlf.replace(OPENING, "Hoà giải thuỷ lợi.  ".encode()))
    shutil.copytree(BAD / "models", tmp_path / "models")
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    untouched = (folder / "bai-sach-hai.md").stat()

    result = run_checker("--fix", tmp_path)

    after = {path.name: path.read_bytes() for path in folder.iterdir()}
    line = "Người dân hòa giải mâu thuẫn."
    nfd = unicodedata.normalize("NFD", line).encode()
    assert after["unicode-nfd.md"] == before["unicode-nfd.md"].replace(nfd, line.encode())
    assert after["bo-dau-kieu-cu.md"] == before["bo-dau-kieu-cu.md"].replace(
        "hoà".encode(), "hòa".encode()
    )
    assert after["chu-eth.md"] == before["chu-eth.md"].replace("\u00d0".encode(), "Đ".encode())
    assert after["ky-tu-an.md"] == before["ky-tu-an.md"].replace("\u00ad".encode(), b"").replace(
        "\u200b".encode(), b""
    )
    assert "ky-tu-an.md:16: xóa 2 ký tự ẩn" in result.stdout
    assert after["khoang-trang-cuoi.md"] == before["khoang-trang-cuoi.md"].replace(
        b".   \n", b".\n"
    )
    assert after["dong-crlf.md"] == original_crlf.replace(OPENING, "Hòa giải thủy lợi.".encode())
    assert after["bai-sach-hai.md"] == before["bai-sach-hai.md"]
    assert (folder / "bai-sach-hai.md").stat().st_mtime_ns == untouched.st_mtime_ns
    assert sorted(after) == sorted(before)  # no temp file left behind
    assert "“hoà” → “hòa”" in result.stdout and "“thuỷ” → “thủy”" in result.stdout
    assert "unicode-nfd.md:16: chuyển sang Unicode dựng sẵn (NFC)" in result.stdout
    assert result.returncode == 0, result.stdout
    assert run_checker(tmp_path).returncode == 0
