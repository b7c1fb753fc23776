"""Golden tests: the seed article as copied from a browser, through the real command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from support import ROOT, SHARED

pytestmark = pytest.mark.shared_data

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
COMMITTED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
CLUTTER = [
    "ĐÁNH GIÁ",
    "Hãy trở thành người đầu tiên",
    "Ý kiến bình luận",
    "BẠN CÓ THỂ QUAN TÂM",
    "TIN MỚI",
    "Liên kết hữu ích",
    "Return to top",
    "leftcenterrightdel",
    "Clock",
    "TTH - ",
    "Bài, ảnh",
    "PHONG ANH",
    "Nhiều mô hình thiết thực trong phong trào",
    "Phát huy vai trò đoàn viên",
    "Vững chắc yêu thương",
    "Diện mạo mới đô thị Huế",
    "Hiệu ứng từ các phong trào",
]
# The quoted model names of the seed, in order: the Models without a catalogue.
MODELS = [
    "Camera an ninh",
    "Dòng họ tự quản",
    "Đảm bảo ANTT trước cổng trường học",
    "Ngày Chủ nhật xanh",
    "Phòng, chống khai thác cát sạn trái phép",
    "Xích lô, xe thồ tự quản",
    "Giúp đỡ người chấp hành xong án phạt tù",
]


def committed_models() -> list[str]:
    line = next(x for x in COMMITTED.read_text("utf-8").splitlines() if x.startswith("Models: "))
    return line.removeprefix("Models: ").split("; ")


def run_import(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "import_news.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def header(text: str) -> dict[str, str]:
    meta = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        name, _, value = line.partition(": ")
        meta[name] = value
    return meta


def without_imported(text: str) -> str:
    return "".join(line for line in text.splitlines(True) if not line.startswith("Imported:"))


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory: pytest.TempPathFactory):
    assert SEEDS, f"no seed text in {SHARED / 'seeds'}"
    content = tmp_path_factory.mktemp("content")
    result = run_import(*map(str, SEEDS), "--content", str(content), "--json", "--publish")
    return content, result


def test_seed_import_reports_the_article_as_json(seed_import) -> None:
    content, result = seed_import
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1
    record = records[0]
    assert record["status"] == "created"
    assert record["title"] == "Bám cơ sở, xây dựng phong trào"
    assert record["date"] == "2023-08-03T08:57:00+07:00"
    assert record["author"] == "Phong Anh"
    # With the project's catalogue: its names in order of first mention (the 7 quoted
    # names and the models the text names without quotes).
    assert record["models"] == committed_models()
    assert set(MODELS) <= set(record["models"])
    assert record["error"] is None
    assert (
        Path(record["path"]) == content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    )
    assert "1 bài: 1 đã tạo, 0 đã cập nhật, 0 không đổi, 0 lỗi" in result.stderr


def test_seed_file_equals_the_committed_article_but_the_imported_line(seed_import) -> None:
    content, _ = seed_import
    written = (content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text(
        "utf-8"
    )
    assert without_imported(written) == without_imported(COMMITTED.read_text("utf-8"))


def test_without_publish_the_seed_is_the_same_file_as_a_draft(tmp_path: Path) -> None:
    result = run_import(*map(str, SEEDS), "--content", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["draft"] is True
    assert "1 bài lưu thành bản nháp (Status: draft)" in result.stderr
    written = (tmp_path / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text(
        "utf-8"
    )
    committed = without_imported(COMMITTED.read_text("utf-8"))
    assert without_imported(written) == committed.replace(
        "\nImport_Hash:", "\nStatus: draft\nImport_Hash:"
    )


def test_seed_metadata_headings_caption_and_no_clutter(seed_import) -> None:
    content, _ = seed_import
    text = (content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text("utf-8")
    meta = header(text)
    assert meta["Title"] == "Bám cơ sở, xây dựng phong trào"
    assert meta["Date"] == "2023-08-03 08:57+07:00"
    assert meta["Author"] == "Phong Anh"
    assert meta["Source_Name"] == "Báo Thừa Thiên Huế"
    assert meta["Summary"].startswith("Xác định công tác bảo vệ an ninh chính trị")
    assert meta["Summary"].endswith("mang lại hiệu quả cụ thể, thiết thực.")
    # The copy holds the photo's caption but no photo: a caption never stands alone.
    assert "Image_Caption" not in meta and "Image" not in meta
    assert "UVTV Tỉnh ủy" not in text
    assert meta["Models"].split("; ") == committed_models()
    assert meta["Models"].startswith("Camera an ninh; Dòng họ tự quản; ")
    assert "Phong trào TDBVANTQ" in meta["Tags"]
    imported = datetime.fromisoformat(meta["Imported"])
    assert imported.utcoffset() is not None
    body = text.split("\n\n", 1)[1]
    assert re.findall(r"^## (.+)$", body, re.M) == [
        "Từ những mô hình điển hình",
        "Bám cơ sở, tăng cường phối hợp",
    ]
    assert body.lstrip().startswith("## Từ những mô hình điển hình\n\nPhú Mỹ là địa bàn rộng")
    assert body.rstrip().endswith("gây phức tạp về ANTT.")
    for clutter in CLUTTER:
        assert clutter not in text, clutter


def test_reimport_is_unchanged_and_keeps_the_file(seed_import) -> None:
    content, _ = seed_import
    path = content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    before = path.read_bytes()
    result = run_import(*map(str, SEEDS), "--content", str(content), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "unchanged"
    assert path.read_bytes() == before


def test_hand_edited_article_is_not_overwritten_without_force(tmp_path: Path) -> None:
    assert run_import(*map(str, SEEDS), "--content", str(tmp_path)).returncode == 0
    path = tmp_path / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    edited = path.read_text("utf-8").replace("Phú Mỹ là địa bàn rộng", "Phú Mỹ là một địa bàn rộng")
    path.write_text(edited, "utf-8")
    result = run_import(*map(str, SEEDS), "--content", str(tmp_path), "--json")
    assert result.returncode == 1
    record = json.loads(result.stdout)
    assert record["status"] == "failed" and "đã được sửa tay" in record["error"]
    assert path.read_text("utf-8") == edited
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]
    assert len(error_lines) == 1 and str(path) in error_lines[0] and "--force" in error_lines[0]
    forced = run_import(*map(str, SEEDS), "--content", str(tmp_path), "--force", "--json")
    assert forced.returncode == 0
    assert json.loads(forced.stdout)["status"] == "updated"
    assert "Phú Mỹ là địa bàn rộng" in path.read_text("utf-8")


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = run_import(*map(str, SEEDS), "--content", str(content), "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["status"] == "created"
    assert not content.exists()


def test_source_url_gives_the_text_copy_its_source(tmp_path: Path) -> None:
    url = "https://baothuathienhue.vn/chinh-tri/bam-co-so-xay-dung-phong-trao-131029.html"
    result = run_import(str(SEEDS[0]), "--content", str(tmp_path), "--source-url", url)
    assert result.returncode == 0, result.stderr
    meta = header(
        (tmp_path / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text("utf-8")
    )
    assert meta["Source"] == url


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("empty.txt", "", "tệp văn bản trống"),
        ("blank.txt", "\n   \n\n", "tệp văn bản trống"),
        ("menu.txt", "Trang chủ\nTin tức\nLiên hệ\n", "không tìm thấy tiêu đề"),
    ],
)
def test_bad_text_copies_fail_with_one_clear_line(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    source = tmp_path / name
    source.write_text(text, "utf-8")
    content = tmp_path / "content"
    result = run_import(str(source), "--content", str(content))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]
    assert len(errors) == 1 and str(source) in errors[0] and reason in errors[0]
    assert "Traceback" not in result.stderr
    assert not content.exists()


def test_missing_file_fails_and_the_batch_goes_on(tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.txt"
    result = run_import(str(missing), *map(str, SEEDS), "--content", str(tmp_path / "c"), "--json")
    assert result.returncode == 1
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["failed", "created"]
    assert f"lỗi: {missing}: không tìm thấy tệp" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--content"],
        ["--bogus", "x.txt"],
        ["--source-url", "ftp://x", "a.txt"],
        ["--source-url", "https://x.vn/a", "a.txt", "b.txt"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run_import(*args)
    assert result.returncode == 2
    assert "usage:" in result.stderr and "Traceback" not in result.stderr


def test_models_come_from_the_catalogue_when_there_is_one(tmp_path: Path) -> None:
    """With content/models/ and the catalogue's matcher, Models lists catalogue names in
    order of first mention (aliases resolved); quoted names it lacks are reported."""
    pytest.importorskip("model_catalog.matcher")
    models = tmp_path / "models"
    models.mkdir()
    (models / "dong-ho-tu-quan.md").write_text(
        "Name: Dòng họ tự quản\nAliases: Dòng họ 3 kỷ cương\nGroup: tự quản cộng đồng\n\nMô tả.\n",
        "utf-8",
    )
    (models / "camera-an-ninh.md").write_text(
        "Name: Camera an ninh\nGroup: công nghệ\n\nMô tả.\n", "utf-8"
    )
    result = run_import(*map(str, SEEDS), "--content", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    # "camera an ninh" is mentioned before "Dòng họ 3 kỷ cương" (an alias) in the body.
    assert record["models"] == ["Camera an ninh", "Dòng họ tự quản"]
    assert record["unknown_models"] == MODELS[2:]
    assert (
        "tên trong ngoặc kép không có trong danh mục mô hình: “Ngày Chủ nhật xanh”" in result.stderr
    )
    text = (tmp_path / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text("utf-8")
    assert "\nModels: Camera an ninh; Dòng họ tự quản\n" in text


def test_broken_catalogue_fails_clearly(tmp_path: Path) -> None:
    pytest.importorskip("model_catalog.matcher")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "broken.md").write_text("Group: công nghệ\n\nKhông có tên.\n", "utf-8")
    result = run_import(*map(str, SEEDS), "--content", str(tmp_path))
    assert result.returncode == 1
    assert "danh mục mô hình" in result.stderr and "broken.md" in result.stderr
    assert "Traceback" not in result.stderr


def test_without_a_catalogue_models_are_the_quoted_names(tmp_path: Path) -> None:
    from tdbvantq.importer.models import detect_models
    from tdbvantq.importer.textcopy import extract_text_copy

    article = extract_text_copy(SEEDS[0].read_text("utf-8"), str(SEEDS[0]))
    assert detect_models(article.plain_text(), tmp_path / "no-catalogue") == (MODELS, [])


def test_a_caption_without_its_photo_never_stands_alone(tmp_path: Path) -> None:
    """A text copy has no photos: the line after the editor's image toolbar is the photo's
    caption (left out) or, for a photo printed without one, the story's text (kept)."""
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "Thứ Năm, 03/08/2023 08:57\n"
        "Tổ tự quản giữ bình yên khu phố\n"
        "TTH - Tổ tự quản của phường Thủy Xuân họp mỗi tháng một lần để bàn việc khu phố.\n"
        "leftcenterrightdel\n"
        "Thành viên tổ tự quản (thứ 2, trái sang) tuần tra trên tuyến kiệt 12 vào ban đêm\n"
        "Tổ có 12 thành viên, chia nhau trực đêm tại ba điểm nóng của khu phố.\n"
        "leftcenterrightdel\n"
        "Buổi họp tổ tự quản tháng Bảy. Ảnh: PHONG ANH\n"
        "leftcenterrightdel\n"
        "Nhờ tổ tự quản, khu phố không còn xảy ra trộm cắp trong suốt sáu tháng qua.\n"
        "Bài, ảnh: PHONG ANH\n",
        "utf-8",
    )
    content = tmp_path / "content"
    result = run_import(str(copy), "--content", str(content), "--json", "--publish")
    assert result.returncode == 0, result.stderr
    text = Path(json.loads(result.stdout)["path"]).read_text("utf-8")
    meta, body = header(text), text.split("\n\n", 1)[1]
    assert "Image_Caption" not in meta and "Image" not in meta
    assert "tuần tra trên tuyến kiệt 12" not in text
    assert "Buổi họp tổ tự quản tháng Bảy" not in text
    assert [p for p in body.strip().split("\n\n")] == [
        "Tổ có 12 thành viên, chia nhau trực đêm tại ba điểm nóng của khu phố.",
        "Nhờ tổ tự quản, khu phố không còn xảy ra trộm cắp trong suốt sáu tháng qua.",
    ]
    assert meta["Author"] == "Phong Anh"
