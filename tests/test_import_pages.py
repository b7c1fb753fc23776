"""Real saved pages (VnExpress, Dân trí) and synthetic pages in the structures of other
Vietnamese press sites, imported over HTTP from a local server, checked field by field."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import markdown as python_markdown
import pytest

from sitebench.importeval import captions_printed_as_paragraphs
from support.import_server import (
    BENCH_PAGES,
    BENCH_VN_PAGES,
    import_server,
    with_project_site_rules,
    with_test_site_rules,
)
from tdbvantq.importer import import_sources
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.markdown import strip_markdown
from tdbvantq.importer.models import PROJECT_MODELS, _matcher
from tdbvantq.importer.urls import canonical_url

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory):
    """Every page imported once into one content folder: name -> (result, meta, body)."""
    assert (BENCH_PAGES / "SOURCES.md").exists(), f"saved pages missing: {BENCH_PAGES}"
    # The synthetic pages' sites have their rules in tests/fixtures/import/sites.toml.
    content = with_test_site_rules(tmp_path_factory.mktemp("content"))
    pages = {
        "vnexpress": "bench/vnexpress-dau-bung-keo-dai-lymphoma.html",
        "dantri-t3": "bench/dantri-khoi-cong-nha-ga-t3.html",
        "dantri-top10": "bench/dantri-top-10-ngoi-sao-tang-gia.html",
        "tth": "site/baothuathienhue.html",
        "cand": "site/cand.html",
        "tuoitre": "site/tuoitre.html",
        "nhandan": "site/nhandan.html",
        "evil": "site/evil.html",
        "missing-photo": "site/relative.html",
    }
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    found = {}
    with import_server() as server:
        for name, path in pages.items():
            [result] = import_sources([f"{server.base}/{path}"], content, fetcher=fetcher)
            assert result.status == "created", (name, result.error)
            text = Path(result.path).read_text("utf-8")
            head, _, body = text.partition("\n\n")
            meta = dict(line.split(": ", 1) for line in head.splitlines())
            found[name] = (result, meta, body)
    return content, found


def paragraphs(body: str) -> list[str]:
    """Body paragraphs: not headings, photos (downloaded, or links to their source with the
    caption under them) or captions."""
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    return [
        b
        for b in blocks
        if not b.startswith(("#", "<figure", "*", "[Ảnh gốc")) or b.startswith("**")
    ]


NO_CLUTTER = {
    "vnexpress": [
        "Trở lại Sức khỏe",
        "Tin theo khu vực",
        "Copy link",
        "Chia sẻ",
        "Mới nhất",
        "Lê Phương",
        "VnExpress",
    ],
    "dantri-t3": ["Đăng Nhập", "Lịch thi đấu", "Căng thẳng Nga - Ukraine", "(Dân trí)"],
    "dantri-top10": ["Đăng Nhập", "Lịch thi đấu", "(Dân trí)"],
}


def test_vnexpress_fields(imported) -> None:
    _, found = imported
    result, meta, body = found["vnexpress"]
    assert meta["Title"] == "Đau bụng kéo dài, phát hiện ung thư lymphoma ruột non"
    assert meta["Date"] == "2025-10-22 19:25+07:00"
    assert result.date == "2025-10-22T19:25:52+07:00"
    # The byline is the right-aligned paragraph closing the body; JSON-LD names the publisher.
    assert meta["Author"] == "Lê Phương"
    assert meta["Summary"] == (
        "Người đàn ông 63 tuổi đau bụng kéo dài, bác sĩ chẩn đoán ung thư lymphoma ruột non - "
        "căn bệnh ít gặp trong hệ tiêu hóa."
    )
    assert (
        meta["Source"]
        == "https://vnexpress.net/dau-bung-keo-dai-phat-hien-ung-thu-lymphoma-ruot-non-4954454.html"
    )
    assert meta["Source_Name"] == "VnExpress"
    texts = paragraphs(body)
    assert texts[0].startswith(
        "Ngày 22/10, BS.CK2 Cao Thị Hồng, Trưởng Trung tâm Kiểm tra sức khỏe"
    )
    assert texts[-1] == (
        "Nội soi và tầm soát sức khỏe định kỳ giúp phát hiện sớm các bệnh lý ác tính đường "
        "tiêu hóa. Hướng điều trị thường phụ thuộc vào loại cũng như giai đoạn bệnh, có thể "
        "phẫu thuật, hóa trị hoặc xạ trị."
    )
    assert len(texts) == 5
    # The photo is on a CDN this machine cannot reach: it stays a link to its source address,
    # its caption under it, and a warning names the address.
    assert re.search(
        r"\[Ảnh gốc[^\]]*\]\(https://[\w.-]+\.vnecdn\.net/[^)]+\)\n"
        r"\*Y bác sĩ nội soi cho bệnh nhân\. Ảnh: Bệnh viện cung cấp\*",
        body,
    ), body
    assert any("không tải được ảnh https://" in w and "make fix" in w for w in result.warnings)


def test_dantri_t3_fields(imported) -> None:
    _, found = imported
    result, meta, body = found["dantri-t3"]
    assert meta["Title"] == "Khởi công Nhà ga T3 sân bay Tân Sơn Nhất"
    assert meta["Date"] == "2022-12-24 19:25+07:00"  # from the article id in the URL
    assert "Author" not in meta and result.author is None  # the copy has no byline
    assert meta["Summary"] == (
        "Công trình Nhà ga T3 khi hoàn thành sẽ nâng công suất Cảng hàng không quốc tế Tân Sơn "
        "Nhất lên 50 triệu hành khách mỗi năm, gấp đôi so với hiện tại."
    )
    assert meta["Source_Name"] == "Báo Dân trí"
    texts = paragraphs(body)
    assert texts[0] == (
        "Chiều 24/12, dự án Xây dựng Nhà ga hành khách T3 Cảng hàng không quốc tế Tân Sơn Nhất "
        "đã khởi công sau hơn 2 năm được Thủ tướng phê duyệt chủ trương đầu tư."
    )
    assert texts[-1].startswith("Tại lễ khởi công, Thủ tướng Phạm Minh Chính cũng biểu dương")
    assert texts[-1].endswith("để khởi công dự án theo tiến độ.")
    for caption in (
        "Thủ tướng Phạm Minh Chính cùng các đại diện từ Chính phủ, TPHCM, ACV... động thổ dự án "
        "nhà ga T3 (Ảnh: Tâm Linh).",
        "Vị trí Nhà ga T3 tại sân bay Tân Sơn Nhất (Ảnh: Google Maps).",
    ):
        assert body.count(caption) == 1  # as a caption, not repeated as a paragraph
        assert caption not in texts


def test_dantri_top10_fields(imported) -> None:
    _, found = imported
    result, meta, body = found["dantri-top10"]
    assert meta["Title"] == "Top 10 ngôi sao tăng giá mạnh nhất sau World Cup 2022"
    assert meta["Date"] == "2022-12-24 19:56+07:00"
    assert "Author" not in meta
    assert meta["Summary"].startswith("Sau World Cup 2022, chuyên trang Transfermarkt")
    texts = paragraphs(body)
    assert texts[0] == "**Aurelien Tchouameni (Pháp): + 10 triệu euro**"
    assert texts[-1] == "**Kylian Mbappe (Pháp): +20 triệu euro**"
    # On this page each player's text is printed as the caption of his photo.
    assert "*Dù sút hỏng quả phạt đền trong trận chung kết World Cup 2022" in body
    assert body.rstrip().endswith(
        "giá trị của Mbappe đã tăng từ 160 triệu euro lên 180 triệu euro.*"
    )


@pytest.mark.parametrize("name", sorted(NO_CLUTTER))
def test_real_pages_have_no_clutter(imported, name: str) -> None:
    _, found = imported
    _, _, body = found[name]
    for clutter in NO_CLUTTER[name]:
        assert clutter not in body, clutter


def assert_models(result, meta: dict, quoted: list[str]) -> None:
    """Without a catalogue Models are the quoted names as they appear; with one, each quoted
    name is a catalogue name in Models or is reported as unknown."""
    assert meta.get("Models", "") == "; ".join(result.models)
    if _matcher(PROJECT_MODELS) is None:
        assert (result.models, result.unknown_models) == (quoted, [])
    for name in quoted:
        assert (name in result.models) != (name in result.unknown_models), name


SYNTHETIC = {
    "tth": {
        "Title": "Giữ bình yên từ tổ tự quản ở Hương Sơ",
        "Date": "2023-07-12 14:30+07:00",
        "Author": "Minh Văn",
        "Source_Name": "Báo Thừa Thiên Huế",
        "Image_Caption": "Thành viên tổ tự quản tuần tra trên tuyến kiệt 12 vào ban đêm",
        "quoted": ["Kiệt, hẻm an toàn", "Camera an ninh", "Tổ liên gia tự quản"],
        "Tags": "Phong trào TDBVANTQ, Thừa Thiên Huế",
        "summary_start": "Từ những tổ tự quản nhỏ ở từng kiệt, hẻm",
        "first": "Phường Hương Sơ hiện có 18 tổ tự quản",
        "last": "gắn với việc xây dựng khu dân cư văn hóa.",
        "headings": ["### Mỗi kiệt một tổ tự quản", "### Dựa vào dân để giữ bình yên"],
        "clutter": [
            "TTH - ",
            "Clock",
            "left",
            "ĐÁNH GIÁ",
            "Hãy trở thành",
            "Ý kiến bình luận",
            "BẠN CÓ THỂ QUAN TÂM",
            "TIN MỚI",
            "Liên kết hữu ích",
            "Return to top",
            "Sôi nổi ngày hội",
            "Vững chắc yêu thương",
            "Bài, ảnh",
            "MINH VĂN",
        ],
    },
    "cand": {
        "Title": "Công an xã chính quy bám địa bàn, gần dân",
        "Date": "2023-08-03 08:57+07:00",
        "Author": "Hồ Văn Sơn",
        "Source_Name": "Báo Công an nhân dân",
        "quoted": ["Già làng tham gia giữ gìn an ninh trật tự"],
        "summary_start": "Sau hơn 3 năm bố trí Công an chính quy về xã",
        "first": "Tại xã biên giới A Ngo",
        "last": "phong trào toàn dân bảo vệ an ninh Tổ quốc.",
        "captions": ["Công an xã A Ngo tuyên truyền pháp luật cho bà con thôn Ka Lô."],
        "clutter": ["Tin liên quan", "Điểm tựa bình yên", "Chia sẻ", "Zalo", "Facebook"],
    },
    "tuoitre": {
        "Title": "Tổ bảo vệ dân phố 'gác' khu phố đêm",
        "Date": "2024-03-15 06:05+07:00",
        "Author": "Ngọc An",
        "Source_Name": "Báo Tuổi Trẻ",
        "summary_start": "Mỗi tối, khi khu phố đã lên đèn",
        "first": "Tổ bảo vệ dân phố khu phố 3 có 12 thành viên",
        "last": "hỗ trợ công an phường quản lý người lưu trú.",
        "captions": ["Các thành viên tổ bảo vệ dân phố đi tuần trong hẻm - Ảnh: NGỌC AN"],
        "clutter": ["TTO - ", "Chia sẻ", "Facebook", "an ninh trật tự</a>"],
    },
    "nhandan": {
        "Title": "Phát huy vai trò quần chúng trong phòng, chống tội phạm",
        "Date": "2023-10-20 16:42+07:00",
        "Author": "Hoàng Lan",
        "Source_Name": "Báo Nhân Dân",
        "quoted": ["Tiếng kẻng an ninh", "Camera an ninh", "Khu dân cư không có tội phạm"],
        "summary_start": "Nhiều địa phương đã xây dựng, nhân rộng",
        "first": "Tại huyện Krông Pắc",
        "last": "nhân rộng các mô hình hiệu quả ra toàn tỉnh.",
        "headings": ["## Nhân rộng cách làm hay"],
        "captions": ["Người dân buôn Ea Kmar tham gia tuần tra ban đêm. (Ảnh: HOÀNG LAN)"],
        "clutter": ["(NDO)", "HOÀNG LAN\n"],
    },
}


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_press_site_structures(imported, name: str) -> None:
    content, found = imported
    result, meta, body = found[name]
    expected = SYNTHETIC[name]
    for field in ("Title", "Date", "Author", "Source_Name", "Image_Caption", "Tags"):
        if field in expected:
            assert meta.get(field) == expected[field], field
    assert_models(result, meta, expected.get("quoted", []))
    assert meta["Summary"].startswith(expected["summary_start"])
    texts = paragraphs(body)
    assert texts[0].startswith(expected["first"])
    assert texts[-1].endswith(expected["last"])
    for heading in expected.get("headings", []):
        assert re.search(rf"^{re.escape(heading)}$", body, re.M), heading
    slug = Path(result.path).stem
    for caption in expected.get("captions", []):
        assert f"<figcaption>{caption}</figcaption>" in body
    # Photos served by the site are downloaded and linked through {static}.
    for link in re.findall(r'src="\{static\}/([^"]+)"', body) + (
        [meta["Image"].removeprefix("{static}/")] if "Image" in meta else []
    ):
        assert link.startswith(f"images/{slug}/")
        assert (content / link).read_bytes().startswith(b"\x89PNG")
    assert result.warnings == []
    for clutter in expected["clutter"]:
        assert clutter not in body and clutter not in meta.get("Summary", ""), clutter


def test_dangerous_markup_never_reaches_content(imported) -> None:
    _, found = imported
    result, meta, body = found["evil"]
    text = "\n".join(f"{k}: {v}" for k, v in meta.items()) + body
    html = python_markdown.markdown(body)
    for output in (text.lower(), html.lower()):
        for marker in (
            "<script",
            "<style",
            "<iframe",
            "<object",
            "<embed",
            "onclick",
            "onerror",
            "onload",
            "onmouseover",
            "javascript:",
            "evil.example",
            "style=",
        ):
            assert marker not in output, marker
    assert "[bài liên quan](https://example.vn/chi-tiet.html)" in body
    assert_models(result, meta, ["Cổng trường an toàn"])


def test_failed_photo_keeps_its_caption_and_no_broken_link(imported) -> None:
    content, found = imported
    result, meta, body = found["missing-photo"]
    # The server answers 404: the photo stays a link to its source address at the top of the
    # body, its caption under it; no Image/Image_Caption without a photo in content/.
    assert "Image" not in meta and "Image_Caption" not in meta
    assert re.match(
        r"\[Ảnh gốc\]\(http://127\.0\.0\.1:\d+/img/missing-photo\.jpg\)\n"
        r"\*Tiểu thương thực hành chữa cháy tại chỗ\.\*\n\n",
        body,
    ), body
    assert body.count("*Tiểu thương thực hành chữa cháy tại chỗ.*") == 1 and "{static}" not in body
    [warning] = result.warnings
    assert "không tải được ảnh http://127.0.0.1" in warning and "/img/missing-photo.jpg" in warning
    assert "HTTP 404" in warning and "make fix" in warning
    assert not (content / "images" / Path(result.path).stem).exists()


# --- the answer key of ../shared/benchmarks/pages-vn (expected.json), field by field ---------

ANSWER_KEY = BENCH_VN_PAGES / "expected.json"


def _expected() -> list[dict]:
    return json.loads(ANSWER_KEY.read_text("utf-8")) if ANSWER_KEY.exists() else []


@pytest.fixture(scope="module")
def answer_key_imports(tmp_path_factory: pytest.TempPathFactory):
    """Every page of the answer key imported over HTTP: file name -> (result, meta, body)."""
    assert ANSWER_KEY.exists(), f"answer key missing: {ANSWER_KEY}"
    content = with_project_site_rules(tmp_path_factory.mktemp("content-vn"))
    fetcher = Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)
    found = {}
    with import_server() as server:
        for entry in _expected():
            [result] = import_sources(
                [f"{server.base}/bench-vn/{entry['file']}"], content, fetcher=fetcher
            )
            assert result.status == "created", (entry["file"], result.error)
            text = Path(result.path).read_text("utf-8")
            head, _, body = text.partition("\n\n")
            meta = dict(line.split(": ", 1) for line in head.splitlines())
            found[entry["file"]] = (result, meta, body)
    return found


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace(" ", "T"))


@pytest.mark.parametrize("entry", _expected(), ids=lambda e: e["file"])
def test_answer_key_every_field(answer_key_imports, entry: dict) -> None:
    result, meta, body = answer_key_imports[entry["file"]]
    assert meta["Title"] == entry["title"]
    assert _instant(meta["Date"]) == _instant(entry["published"])  # the same instant, any offset
    authors = meta.get("Authors", meta.get("Author", ""))
    assert [a for a in authors.split(", ") if a] == entry["authors"]
    assert ("Authors" in meta) == (len(entry["authors"]) > 1)
    assert meta["Summary"].startswith(entry["summary_starts"])
    assert canonical_url(meta["Source"]) == canonical_url(entry["url"])
    # Paragraphs: every block but headings, photos and the captions the key lists (a caption
    # whose photo could not be downloaded is an italic line, like an italic paragraph).
    # A photo that could not be downloaded is a link to its source with its caption under it.
    blocks = [b.strip() for b in body.split("\n\n") if b.strip()]
    captions = [
        strip_markdown(b.split("\n", 1)[1][1:-1])
        for b in blocks
        if re.fullmatch(r"\[Ảnh gốc.*\]\(\S+\)\n\*[^*].*[^*]\*", b)
    ]
    captions += [meta.get("Image_Caption", "")]
    texts = [
        b
        for b in blocks
        if not b.startswith(("#", "<figure", "[Ảnh gốc"))
        and not any(b.startswith(f"*{start}") for start in entry["captions"])
    ]
    assert strip_markdown(texts[0]).startswith(entry["first_paragraph_starts"]), texts[0]
    if entry["last_paragraph_starts"] is not None:
        assert strip_markdown(texts[-1]).startswith(entry["last_paragraph_starts"]), texts[-1]
    # The key counts a caption that the page prints in a <p> (VnExpress's p.Image) as one of
    # the page's paragraphs too; the importer gives it as the photo's caption.
    assert (
        len(texts)
        + captions_printed_as_paragraphs((BENCH_VN_PAGES / entry["file"]).read_bytes(), entry)
        == entry["paragraph_count"]
    ), "\n".join(t[:60] for t in texts)
    # The photos are on hosts this machine cannot reach: each keeps its printed caption.
    for start in entry["captions"]:
        assert any(c.startswith(start) for c in captions), start
        assert not any(strip_markdown(t).startswith(start) for t in texts), (
            f"caption as a paragraph: {start}"
        )
    for clutter in entry["clutter"]:
        assert clutter not in body and clutter not in meta["Summary"], clutter
    # Each author's name was taken out of the body.
    for author in entry["authors"]:
        assert author not in texts[-1], author
