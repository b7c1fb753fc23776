"""Photos of imported stories (issue 22), over HTTP on 127.0.0.1 with a server that answers
every image request with a real image (icons as 16x16 GIFs, photos as large JPEGs or PNGs):

- icons, share/print buttons, logos and pixels are never photos, nor the lead `Image:`;
- in photo stories and galleries each caption appears once, under its photo, and the photo
  markup's own button texts ("Xem toàn màn hình", "Phóng to") are not in the body;
- bold subheads stay bold, italics italic;
- a photo the server answers 404 for stays a link (not an image: a published page loads
  nothing from another site) to its source address with its caption, and a warning names
  the address; `make check` lists it, `make fix` downloads it.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html
from PIL import Image

from support import ROOT
from support.import_server import import_server, pillow_image, png_bytes
from tdbvantq.importer import import_sources
from tdbvantq.importer.article import Article, Block, Figure
from tdbvantq.importer.fetch import Fetcher
from tdbvantq.importer.htmlpage import extract_html_page
from tdbvantq.importer.images import download_images, inspect_image
from tdbvantq.importer.markdown import bold_texts, html_to_blocks
from tdbvantq.importer.photos import not_a_photo, tidy_photos, too_small

CHECKER = ROOT / "scripts" / "check_content.py"


def fetcher() -> Fetcher:
    return Fetcher(timeout=2, retries=1, backoff=0.01, delay=0)


def imported(content: Path, url: str):
    [result] = import_sources([url], content, fetcher=fetcher())
    assert result.status == "created", result.error
    text = Path(result.path).read_text("utf-8")
    head, _, body = text.partition("\n\n")
    return result, dict(line.split(": ", 1) for line in head.splitlines()), body


def images_of(content: Path) -> list[Path]:
    return sorted(p for p in (content / "images").rglob("*") if p.is_file())


# --- photos are story photos --------------------------------------------------------------------


def test_share_bar_icons_logos_and_pixels_are_never_photos(tmp_path: Path) -> None:
    with import_server() as server:
        result, meta, body = imported(tmp_path, f"{server.base}/site/photo-icons.html")
    # Only the story photo was saved: a real 800x533 JPEG, with its caption under it.
    [photo] = images_of(tmp_path)
    assert photo.name.endswith("cauxe-4288.jpg")
    assert Image.open(photo).size == (800, 533)
    assert body.count("<figure>") == 1 and "Ảnh: Lê Cường.</figcaption>" in body
    for word in ("icon", "logo", "img_blank", "img-blank", "tracking", "any-image/cdn"):
        assert word not in body and word not in meta.get("Image", ""), word
    # Before any download, the page's markup alone rules out the share bar, logo and footer.
    page = (ROOT / "tests" / "fixtures" / "import" / "site" / "photo-icons.html").read_text("utf-8")
    extracted = extract_html_page(page, "https://baomau.example/xe-khach.html", "photo-icons")
    assert [b.figure.src.rsplit("/", 1)[1] for b in extracted.blocks if b.kind == "figure"] == [
        "img_blank.gif",
        "cauxe-4288.jpg",
        "tracking.gif",
    ]
    # Icons the page's markup does not give away are judged by their real pixels.
    dropped = [w for w in result.warnings if w.startswith("bỏ ảnh")]
    assert len(dropped) == 2 and all("16×16 điểm ảnh quá nhỏ" in w for w in dropped)
    assert any("/img_blank.gif" in w for w in dropped) and any(
        "/tracking.gif" in w for w in dropped
    )


def test_a_tiny_lead_image_gives_way_to_the_next_photo(tmp_path: Path) -> None:
    """The lead `Image:` is never an icon: a lead image that turns out 16x16 is dropped and
    the photo that follows it before the text becomes the lead."""
    with import_server() as server:
        icon = Figure(f"{server.base}/any-image/cdn/graphics/icon_fb.gif", "", "Chia sẻ")
        photo = Figure(f"{server.base}/any-image/img/2024/anh-chinh.jpg", "Ảnh chính của bài.")
        article = Article(
            "Bài", image=icon, blocks=[Block("figure", figure=photo), Block("p", "Đoạn văn.")]
        )
        written = download_images(article, "bai", tmp_path, fetcher(), dry_run=False)
    assert article.image is photo and photo.local == "images/bai/01-anh-chinh.jpg"
    assert [b.kind for b in article.blocks] == ["p"]
    assert written == [tmp_path / "images" / "bai" / "01-anh-chinh.jpg"]


@pytest.mark.shared_data
def test_saved_vnexpress_page_share_icons_are_not_photos(tmp_path: Path) -> None:
    """The saved VnExpress page of issue 22, every image answered: its share bar's
    icon_fb.gif, icon_tw.gif… are neither photos nor the lead Image."""
    with import_server() as server:
        result, meta, body = imported(
            tmp_path,
            f"{server.base}/every-image/bench-vn/vnexpress-bo-cong-an-giam-dinh-xe-khach-sa-pa.html",
        )
    assert [p.name for p in images_of(tmp_path)] == ["01-cauxe-4288-1409808255.jpg"]
    assert "Image" not in meta  # the story's only photo is printed after the first paragraphs
    assert "icon" not in body and "icon" not in " ".join(meta.values())
    assert re.search(
        r"<figure>\n<img src=\"\{static\}/images/[^\"]+/01-cauxe-4288-1409808255\.jpg\"[^>]*>\n"
        r"<figcaption>Hôm qua, cơ quan chức năng đã kéo chiếc xe",
        body,
    )
    assert not [w for w in result.warnings if "không tải được" in w]


def test_not_a_photo_by_size_place_and_alt() -> None:
    page = lxml_html.document_fromstring(
        '<html><body><header><img id="a" src="/logo.png"></header><article>'
        '<div class="block_share"><a href="javascript:;"><img id="b" src="/f.gif"></a></div>'
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x"><img id="c" src="/fb.png"></a>'
        '<img id="d" src="/p.gif" width="1" height="1"><img id="e" src="/x.png" alt="Chia sẻ lên Zalo">'
        '<img id="f" src="/s.png" style="width: 24px; height: 24px">'
        '<figure><a href="javascript:;"><img id="g" src="/anh.jpg" alt="Hiện trường"></a></figure>'
        '<img id="h" src="/anh2.jpg" width="640" height="427" alt="">'
        "</article></body></html>"
    )
    verdicts = {img.get("id"): not_a_photo(img) for img in page.iter("img")}
    assert verdicts == {
        "a": True,
        "b": True,
        "c": True,
        "d": True,
        "e": True,
        "f": True,
        "g": False,
        "h": False,
    }
    assert too_small(16, 16) and too_small(180, 108) and too_small(None, 40)
    assert not too_small(640, 427) and not too_small(None, None)


def test_inspect_image_reads_the_real_pixels() -> None:
    assert inspect_image(pillow_image("icon"), "image/gif") == (".gif", (16, 16))
    assert inspect_image(pillow_image("photo"), "application/octet-stream") == (".jpg", (800, 533))
    assert inspect_image(png_bytes(), "image/png") == (".png", (480, 320))
    assert inspect_image(b"<html>not found</html>", "text/html").startswith("không phải tệp ảnh")
    bomb = io.BytesIO()
    Image.new("1", (14_000, 14_000)).save(bomb, "PNG")  # 196 million pixels in a small file
    assert inspect_image(bomb.getvalue(), "image/png").startswith("ảnh có quá nhiều điểm ảnh")


# --- photo stories and galleries ----------------------------------------------------------------

CAPTIONS = [
    "Tổ tự quản họp trước giờ tuần tra, phân công người trực ở từng đoạn bờ sông.",
    "Các thành viên đi tuần dọc bờ kè, nhắc những hộ kinh doanh thu dọn hàng hóa trước khi nước lên.",
    "Người dân trong khu phố cùng tổ tự quản đi tuần vào những đêm mưa lớn.",
]


def test_gallery_caption_once_under_its_photo_and_no_button_text(tmp_path: Path) -> None:
    with import_server() as server:
        result, meta, body = imported(tmp_path, f"{server.base}/site/photo-gallery.html")
    assert len(images_of(tmp_path)) == 3
    figures = re.findall(
        r"<figure>\n<img src=\"([^\"]+)\"[^>]*>\n<figcaption>([^<]*)</figcaption>\n</figure>", body
    )
    assert [caption for _, caption in figures] == CAPTIONS
    for caption in CAPTIONS:
        assert body.count(caption) == 1, caption  # under its photo, never again as a paragraph
    assert "Xem toàn màn hình" not in body and "Phóng to" not in body
    # The story's text is all there, in order, with its emphasis.
    assert body.index("Từ đầu mùa mưa") < body.index(CAPTIONS[0]) < body.index("Tổ trưởng cho biết")
    assert "\n\n***Giữ bình yên cho khu phố***\n\n" in body
    assert "với sự *hỗ trợ* kinh phí của phường" in body
    assert meta["Author"] == "Minh Khôi"


def test_bold_italic_subheads_stay_bold() -> None:
    """trafilatura keeps one mark of `<strong><em>…</em></strong>`: the page's bold texts
    put the bold back."""
    page = lxml_html.document_fromstring(
        "<html><body><p><strong><em>Tiêu đề phụ</em></strong></p><p><b>Đậm</b> và <i>Đậm</i></p>"
        "<p><i>Một <b>hai</b></i></p></body></html>"
    )
    blocks = html_to_blocks(
        "<p><em>Tiêu đề phụ</em></p><p>Chữ <em>nghiêng</em>, <em>Đậm</em>.</p><p><em>hai</em></p>",
        bold=bold_texts(page),
    )
    # Only what the page printed bold and italic at once is bold italic again.
    assert [b.text for b in blocks] == ["***Tiêu đề phụ***", "Chữ *nghiêng*, *Đậm*.", "***hai***"]
    assert html_to_blocks("<p><strong><em>A b</em></strong></p>")[0].text == "***A b***"


# --- a photo that cannot be fetched ---------------------------------------------------------------


def test_photo_answered_404_stays_a_link_with_its_caption_and_a_warning(tmp_path: Path) -> None:
    with import_server() as server:
        result, meta, body = imported(tmp_path, f"{server.base}/site/relative.html")
        url = f"{server.base}/img/missing-photo.jpg"
    assert "Image" not in meta and "Image_Caption" not in meta  # no lead photo without its file
    # A link, not an image: a published page never loads anything from another site.
    assert body.startswith(f"[Ảnh gốc]({url})\n*Tiểu thương thực hành chữa cháy tại chỗ.*\n\n")
    assert body.count("Tiểu thương thực hành chữa cháy tại chỗ.") == 1  # the caption once
    [warning] = result.warnings
    assert (
        warning.startswith(f"không tải được ảnh {url}: ")
        and "404" in warning
        and "make fix" in warning
    )
    assert not (tmp_path / "images").exists()


# --- make check lists remote photos, make fix downloads them --------------------------------------

ARTICLE = """Title: Tổ tự quản ven sông
Date: 2024-06-10 07:00+07:00
Author: Minh Khôi
Category: Tin tức
Slug: to-tu-quan-ven-song
Summary: Tổ tự quản ven sông gồm mười hai người, thay phiên nhau đi tuần từ chiều đến khuya suốt mùa nước lên.
Image: {base}/img/dai-dien.png
Image_Caption: Tổ tự quản ven sông.

Từ đầu mùa mưa, tổ tự quản ven sông của phường đã chia nhau trực mỗi tối.

[Ảnh gốc: Tổ tự quản họp]({base}/img/hop-to.png)
*Tổ tự quản họp trước giờ tuần tra.*

Đoạn giữa bài.

![Bờ kè]({base}/img/bo-ke.jpg)
*Các thành viên đi tuần dọc bờ kè.*
"""


def run_checker(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECKER), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_check_lists_remote_photos_and_make_fix_downloads_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    article = content / "articles" / "2024" / "to-tu-quan-ven-song.md"
    article.parent.mkdir(parents=True)
    with import_server() as server:
        article.write_text(ARTICLE.format(base=server.base), "utf-8")
        good, missing = f"{server.base}/img/hop-to.png", f"{server.base}/img/bo-ke.jpg"
        checked = run_checker("--content", content, content)
        fixed = run_checker("--fix", "--content", content, content)
    assert "Traceback" not in checked.stderr + fixed.stderr
    # make check: a warning per remote photo, naming file:line and the address, in Vietnamese.
    lead = f"{server.base}/img/dai-dien.png"
    for line, url in ((7, lead), (12, good), (17, missing)):
        assert re.search(
            rf"{re.escape(str(article))}:{line}: Ảnh lấy từ địa chỉ bên ngoài: {re.escape(url)} — "
            r"Khi có mạng, chạy “make fix”",
            checked.stdout,
        ), checked.stdout
    assert checked.returncode == 0, checked.stdout  # a warning never blocks publishing
    # make fix: the photo the server has is downloaded and linked; the 404 keeps its link.
    saved = content / "images" / "to-tu-quan-ven-song" / "hop-to.png"
    assert saved.read_bytes() == png_bytes()
    text = article.read_text("utf-8")
    # The importer's link becomes the photo itself; an editor's remote image keeps its form.
    photo = "![Tổ tự quản họp]({static}/images/to-tu-quan-ven-song/hop-to.png)"
    assert f"{photo}\n*Tổ tự quản họp" in text
    assert f"![Bờ kè]({missing})\n*Các thành viên" in text
    assert "\nImage: {static}/images/to-tu-quan-ven-song/dai-dien.png\n" in text
    assert text.replace(photo, f"[Ảnh gốc: Tổ tự quản họp]({good})").replace(
        "{static}/images/to-tu-quan-ven-song/dai-dien.png", lead
    ) == ARTICLE.format(base=server.base)
    assert f"{article}:17: không tải được ảnh {missing}: máy chủ trả lời HTTP 404" in fixed.stderr
    assert "giữ nguyên liên kết" in fixed.stderr
    assert (
        f"Đã sửa {article}:12: tải ảnh {good} về content/images/to-tu-quan-ven-song/hop-to.png"
        in fixed.stdout
    )
    # Checked again: only the photo that is still remote is listed.
    again = run_checker("--content", content, content)
    assert (
        "Ảnh lấy từ địa chỉ bên ngoài" in again.stdout
        and good not in again.stdout
        and missing in again.stdout
    )


def test_make_fix_without_network_keeps_every_link(tmp_path: Path) -> None:
    content = tmp_path / "content"
    article = content / "articles" / "2024" / "to-tu-quan-ven-song.md"
    article.parent.mkdir(parents=True)
    with import_server() as server:
        base = server.base
    original = ARTICLE.format(base=base)  # the server is gone: nothing answers there
    article.write_text(original, "utf-8")
    fixed = run_checker("--fix", "--content", content, content)
    assert article.read_text("utf-8") == original
    assert not (content / "images").exists()
    assert fixed.stderr.count("không tải được ảnh") == 3 and "Traceback" not in fixed.stderr


def test_pillow_images_are_real() -> None:
    assert Image.open(io.BytesIO(pillow_image("icon"))).format == "GIF"


def test_text_of_the_story_beside_a_photo_is_not_its_interface() -> None:
    """Only a few words beside a photo are its buttons; a paragraph in the same box is
    the story's, and a description box (a sapo) is not a caption."""
    story = (
        "Tổ tự quản họp mỗi tháng một lần để bàn việc giữ gìn trật tự, phân công người trực "
        "đêm và nhắc nhau khóa cửa."
    )
    page = lxml_html.document_fromstring(
        f'<html><body><figure><img src="/a.jpg"><p>{story}</p><span>Phóng to</span>'
        "<figcaption>Chú thích ảnh.</figcaption></figure>"
        '<div class="top"><img src="/b.jpg"><p class="description">Lời dẫn của bài.</p></div>'
        "</body></html>"
    )
    blocks = [
        Block("figure", figure=Figure("https://x.vn/a.jpg")),
        Block("p", story),
        Block("p", "Phóng to"),
        Block("p", "Chú thích ảnh."),
        Block("figure", figure=Figure("https://x.vn/b.jpg")),
        Block("p", "Lời dẫn của bài."),
    ]
    kept = tidy_photos(blocks, page, "https://x.vn/bai.html")
    assert [b.plain for b in kept] == ["Chú thích ảnh.", story, "Phóng to", "", "Lời dẫn của bài."]


def test_caption_of_a_video_never_stands_alone_in_a_photo_story(tmp_path: Path) -> None:
    """A <figure> holding a video and no photo: the video is not imported, so its caption
    would stand alone as the story's first paragraph (held-out Dân trí photo stories)."""
    with import_server() as server:
        result, meta, body = imported(tmp_path, f"{server.base}/site/photo-story-video.html")
    assert "Dòng người nối dài" not in body and "Video: Minh Thư" not in body
    # The story's own paragraphs (each written under its photo) stay, in order.
    paragraphs = [b for b in body.split("\n\n") if b and not b.startswith("<")]
    assert paragraphs[0].startswith("Từ bảy giờ tối")
    assert body.index("Từ bảy giờ tối") < body.index("Sân khấu nổi trên mặt sông")
    assert meta["Title"] == "Phố đi bộ đông kín trong đêm hội hoa đăng"


def test_photos_one_after_another_under_one_caption_show_it_once(tmp_path: Path) -> None:
    """A before-and-after pair prints the same caption under each photo: both photos are
    kept, and the caption is printed once, under the second."""
    with import_server() as server:
        result, meta, body = imported(tmp_path, f"{server.base}/site/photo-pair.html")
    caption = "Con hẻm trước và sau khi bà con góp tiền lắp camera an ninh, đèn chiếu sáng."
    assert len(images_of(tmp_path)) == 2
    assert body.count(caption) + meta.get("Image_Caption", "").count(caption) == 1, body
    assert body.index(caption) > body.index("pair-after"), body
    assert "Tổ trưởng tổ dân phố cho biết" in body and meta["Author"] == "Thu Hà"
