"""Sharing and devices: share cards, OpenGraph/Twitter tags, JSON-LD with
breadcrumbs, the web manifest and icons — on real builds of the site."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageDraw, ImageFont, ImageStat

from share_cards import CardText, draw_card
from share_cards.draw import (
    _card_palette,
    _draw_words,
    _font,
    palette_card,
    palette_png,
    png_bytes,
    png_file,
    render_card,
    text_width,
)
from share_cards.plugin import CARD_VERSION, POOL_MIN_CARDS, CardJob, draw_all
from share_cards.worker import open_photo
from support import ROOT, run_pelican

SEED = "2023/bam-co-so-xay-dung-phong-trao/index.html"
SEED_TITLE = "Bám cơ sở, xây dựng phong trào"
FONT = ROOT / "theme" / "fonts" / "BeVietnamPro-Bold.ttf"
PUBLISH_SITEURL = "https://mohinh.example.org"
# Every Vietnamese letter with its marks, stacked ones included (circumflex/breve + tone).
VIETNAMESE_LETTERS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def meta(soup: BeautifulSoup) -> dict[str, str]:
    tags = soup.find_all("meta", attrs={"property": True}) + soup.find_all(
        "meta", attrs={"name": True}
    )
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in tags}


def local(output: Path, url: str, siteurl: str = "") -> Path:
    """The output file of a root-relative (or SITEURL-absolute) URL."""
    path = url[len(siteurl) :] if siteurl and url.startswith(siteurl) else url
    assert path.startswith("/"), url
    path = urlsplit(path).path
    target = output / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def html_pages(output: Path) -> list[Path]:
    # Every page but 404 and the editors' desk (admin/, never shared: noindex, disallowed).
    return sorted(
        p
        for p in output.rglob("*.html")
        if p.name != "404.html" and p.relative_to(output).parts[0] != "admin"
    )


@pytest.fixture(scope="module")
def output(built_site) -> Path:
    return built_site.output


def model_pages(output: Path) -> list[Path]:
    pages = sorted((output / "mo-hinh").glob("*/index.html"))
    assert len(pages) == len(list((ROOT / "content" / "models").glob("*.md")))
    return pages


def test_every_article_and_model_page_has_its_share_card(output: Path) -> None:
    pages = [output / SEED, *model_pages(output)]
    cards = set()
    for page in pages:
        tags = meta(soup_of(page))
        card = local(output, tags["og:image"])
        with Image.open(card) as image:
            assert (image.format, image.size) == ("PNG", (1200, 630)), page
        assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
        assert tags["og:image:type"] == "image/png"
        assert tags["twitter:card"] == "summary_large_image"
        cards.add(card)
    assert len(cards) == len(pages), "each page has a card of its own"
    seed = meta(soup_of(output / SEED))
    assert seed["og:image:alt"] == SEED_TITLE


def test_every_page_type_has_a_description_and_an_image(output: Path) -> None:
    pages = html_pages(output)
    kinds = {
        "index.html",
        "chuyen-muc/tin-tuc/index.html",
        "chu-de/index.html",
        "tac-gia/phong-anh/index.html",
        "luu-tru/index.html",
        "mo-hinh/index.html",
        "gioi-thieu/index.html",
        SEED,
    }
    assert kinds <= {p.relative_to(output).as_posix() for p in pages}
    for page in pages:
        tags = meta(soup_of(page))
        where = page.relative_to(output)
        if tags.get("robots") == "noindex":  # search.html: a tool, not a page to share
            continue
        assert tags.get("og:description", "").strip(), f"{where}: no og:description"
        assert tags.get("description", "").strip(), f"{where}: no description"
        assert local(output, tags["og:image"]).is_file(), where
        assert tags["twitter:card"] == "summary_large_image", where


def test_json_ld_parses_everywhere_and_points_to_the_card(output: Path) -> None:
    for page in html_pages(output):
        json_ld(soup_of(page))  # raises on invalid JSON
    soup = soup_of(output / SEED)
    [article] = [d for d in json_ld(soup) if d.get("@type") == "NewsArticle"]
    assert article["image"] == [meta(soup)["og:image"]]  # no photo: the card


def breadcrumb_list(soup: BeautifulSoup) -> list[tuple[str, str]]:
    [trail] = [d for d in json_ld(soup) if d.get("@type") == "BreadcrumbList"]
    assert trail["@context"] == "https://schema.org"
    items = trail["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    return [(item["name"], item["item"]) for item in items]


def test_breadcrumbs_on_stories_and_model_pages(output: Path) -> None:
    seed = soup_of(output / SEED)
    assert breadcrumb_list(seed) == [
        ("Trang chủ", "/"),
        ("Tin tức", "/chuyen-muc/tin-tuc/"),
        (SEED_TITLE, "/2023/bam-co-so-xay-dung-phong-trao/"),
    ]
    trail = seed.find("nav", class_="breadcrumbs")
    assert [a.get_text() for a in trail.find_all("a")] == ["Trang chủ", "Tin tức"]
    camera = soup_of(output / "mo-hinh" / "camera-an-ninh" / "index.html")
    names = breadcrumb_list(camera)
    assert names[:2] == [("Trang chủ", "/"), ("Mô hình", "/mo-hinh/")]
    assert names[-1] == ("Camera an ninh", "/mo-hinh/camera-an-ninh/")
    assert names[2][1].startswith("/mo-hinh/#nhom-")
    section = names[2][1].split("#")[1]
    directory = soup_of(output / "mo-hinh" / "index.html")
    assert directory.find(id=section) is not None, "the group crumb points to its section"
    for page in [output / SEED, *model_pages(output)]:
        for _, url in breadcrumb_list(soup_of(page)):
            assert local(output, url).is_file(), url


def test_published_meta_is_absolute(tmp_path: Path) -> None:
    output = tmp_path / "output"
    extra = {
        "SITEURL": PUBLISH_SITEURL,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    result = run_pelican(ROOT / "content", output, settings="publishconf.py", extra=extra)
    assert result.returncode == 0, result.stderr
    soup = soup_of(output / SEED)
    tags = meta(soup)
    assert tags["og:image"].startswith(PUBLISH_SITEURL + "/share/")
    assert local(output, tags["og:image"], PUBLISH_SITEURL).is_file()
    assert all(url.startswith(PUBLISH_SITEURL + "/") for _, url in breadcrumb_list(soup))
    # The 404 page is served at any URL: every link of it is absolute.
    notfound = soup_of(output / "404.html")
    links = [
        tag.get("href") or tag.get("src") or tag.get("action")
        for tag in notfound.find_all(["a", "link", "script", "img", "form"])
    ]
    links = [link for link in links if link and not link.startswith("#")]
    assert links and all(link.startswith(PUBLISH_SITEURL) for link in links), links


def test_web_manifest_and_icons(output: Path) -> None:
    home = soup_of(output / "index.html")
    manifest_url = home.find("link", rel="manifest")["href"]
    manifest_path = output / manifest_url.lstrip("./")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert (
        manifest["lang"] == "vi" and manifest["name"] == "Mô hình Toàn dân bảo vệ an ninh Tổ quốc"
    )
    assert manifest["start_url"] == "./" and manifest["theme_color"].startswith("#")
    sizes = {}
    for icon in manifest["icons"]:
        with Image.open(manifest_path.parent / icon["src"]) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
            sizes.setdefault(icon["purpose"], set()).add(image.width)
    assert {192, 512} <= sizes["any"] and 512 in sizes["maskable"]
    colors = {
        m["media"]: m["content"] for m in home.find_all("meta", attrs={"name": "theme-color"})
    }
    assert set(colors) == {"(prefers-color-scheme: light)", "(prefers-color-scheme: dark)"}
    assert len(set(colors.values())) == 2
    for page in html_pages(output):
        assert soup_of(page).find("link", rel="manifest"), page


def test_the_font_draws_every_vietnamese_letter() -> None:
    """No letter falls back to the font's empty box (.notdef): each one, capital too,
    draws differently from a character the font lacks."""
    font = ImageFont.truetype(str(FONT), 48, layout_engine=ImageFont.Layout.BASIC)
    missing = font.getmask("\uffff")
    box = bytes(missing), missing.size
    for letter in VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper():
        mask = font.getmask(letter)
        assert (bytes(mask), mask.size) != box, letter
    assert (ROOT / "theme" / "fonts" / "OFL.txt").read_text().find("SIL OPEN FONT LICENSE") >= 0


def test_stacked_marks_stay_inside_the_card() -> None:
    """A title of capitals with stacked marks: the marks are drawn (the card differs from
    the same title without them) and nothing is cut at the edges of the band."""
    text = CardText("ẤP ỔN ĐỊNH NHÂN RỘNG MÔ HÌNH TỔ LIÊN GIA", "Tin tức", "Trang thử")
    plain = CardText("AP ON ĐINH NHAN RONG MO HINH TO LIEN GIA", "Tin tức", "Trang thử")
    with (
        Image.open(_png(draw_card(text, str(FONT)))) as marked,
        Image.open(_png(draw_card(plain, str(FONT)))) as bare,
    ):
        assert marked.size == (1200, 630)
        assert (
            ImageChops.difference(marked.convert("RGB"), bare.convert("RGB")).getbbox() is not None
        )
    assert draw_card(text, str(FONT)) == draw_card(text, str(FONT)), "drawing is deterministic"


@pytest.mark.parametrize("photo", [None, Image.new("RGB", (800, 600), (40, 90, 140))])
def test_long_titles_stay_below_the_masthead(photo) -> None:
    """However long the title, nothing is drawn over the logo and site name: the top
    of every card equals that of a card with a one-word title."""
    words = (
        "Bám cơ sở, xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc vững mạnh ở khu "
        "dân cư và trong các doanh nghiệp, trường học trên địa bàn tỉnh năm 2023"
    ).split()
    top = (0, 0, 1200 if photo is None else 652, 104)
    reference = render_card(CardText("Tin", "Tin tức", "Trang thử"), str(FONT), photo).crop(top)
    for count in range(8, len(words) + 1):
        card = render_card(
            CardText(" ".join(words[:count]), "Tin tức", "Trang thử"), str(FONT), photo
        )
        assert ImageChops.difference(card.crop(top), reference).getbbox() is None, count


def test_measured_widths_are_the_fonts_own() -> None:
    """Titles are wrapped with widths summed from per-letter advances: equal to what
    FreeType measures for the whole line, at every size a card uses."""
    line = (
        f"{VIETNAMESE_LETTERS} {VIETNAMESE_LETTERS.upper()} 0123456789 “Tổ” (ANTT), ĐI-ĐẾN: 50%…?!"
    )
    for size in (28, 30, 36, 40, 44, 46, 50, 56, 62, 68):
        font = ImageFont.truetype(str(FONT), size, layout_engine=ImageFont.Layout.BASIC)
        for text in (line, line[:17], "Bám cơ sở, xây dựng phong trào", "AV Ty To WA"):
            assert text_width(text, font) == font.getlength(text), (size, text)


def test_words_drawn_one_by_one_equal_one_run_of_text() -> None:
    """Title lines are pasted word by word from cached masks: the same pixels as
    Pillow drawing the whole line, at every size a card uses."""
    line = "Ấp Ổn định nhân rộng “Tổ liên gia” (ANTT), đường Trần Hưng Đạo: 50%…"
    for size in (36, 40, 44, 46, 50, 56, 62, 68):
        font = _font(str(FONT), size)
        run = Image.new("RGB", (1400, 2 * size), (139, 16, 20))
        words = run.copy()
        ImageDraw.Draw(run).text((7, round(1.5 * size)), line, font=font, fill="white", anchor="ls")
        _draw_words(words, (7, round(1.5 * size)), line, font)
        assert ImageChops.difference(run, words).getbbox() is None, size


@pytest.mark.parametrize(
    "title",
    [
        "ẤP ỔN ĐỊNH NHÂN RỘNG MÔ HÌNH TỔ LIÊN GIA",
        "Bám cơ sở, xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc vững mạnh ở khu dân cư "
        "và trong các doanh nghiệp, trường học trên địa bàn tỉnh Thừa Thiên Huế năm 2023",
    ],
)
def test_a_card_without_photo_keeps_the_drawn_colours(title: str) -> None:
    """The card is stored with a fixed palette: text pixels stay within a few levels of
    the full-colour drawing (anti-aliased edges included), the logo's edges within 16
    (a 64-colour adaptive palette of the whole card was off by up to 33)."""
    text = CardText(title, "Phong trào", "Mô hình Toàn dân bảo vệ an ninh Tổ quốc")
    drawn = render_card(text, str(FONT))
    with Image.open(_png(draw_card(text, str(FONT)))) as stored:
        assert stored.mode == "P"
        difference = ImageChops.difference(stored.convert("RGB"), drawn)
    assert max(high for _, high in difference.getextrema()) <= 16
    below_logo = difference.crop((0, 100, *difference.size))
    assert max(high for _, high in below_logo.getextrema()) <= 6


@pytest.mark.parametrize("kicker", ["Phong trào", ""])
def test_a_card_painted_in_its_palette_equals_the_quantized_drawing(kicker: str) -> None:
    """A card without a photo is painted straight into its palette: the same pixels as
    the full-colour card reduced to that palette, accent kicker and accented capitals
    included."""
    for title in ("ẤP ỔN ĐỊNH NHÂN RỘNG MÔ HÌNH TỔ LIÊN GIA", "Bám cơ sở, xây dựng phong trào"):
        text = CardText(title, kicker, "Mô hình Toàn dân bảo vệ an ninh Tổ quốc")
        quantized = render_card(text, str(FONT)).quantize(
            palette=_card_palette(), dither=Image.Dither.NONE
        )
        painted = palette_card(text, str(FONT))
        assert painted.mode == "P"
        difference = ImageChops.difference(quantized.convert("RGB"), painted.convert("RGB"))
        assert difference.getbbox() is None, title


@pytest.mark.parametrize("kicker", ["Phong trào", ""])
def test_the_cards_png_holds_the_palette_cards_pixels(kicker: str) -> None:
    """A card without a photo is written as a PNG by its own writer (numpy scanlines,
    ISA-L's deflate): the same palette and the same palette index at every pixel as
    `palette_card`, which Pillow's PNG writer saved before; a valid PNG, and smaller."""
    for title in (
        "ẤP ỔN ĐỊNH NHÂN RỘNG MÔ HÌNH TỔ LIÊN GIA",
        "Bám cơ sở, xây dựng phong trào",
        "Bám cơ sở, xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc vững mạnh ở khu dân "
        "cư và trong các doanh nghiệp, trường học trên địa bàn tỉnh Thừa Thiên Huế năm 2023",
    ):
        text = CardText(title, kicker, "Mô hình Toàn dân bảo vệ an ninh Tổ quốc")
        data = palette_png(text, str(FONT))
        assert draw_card(text, str(FONT)) == data
        with Image.open(_png(data)) as check:
            check.verify()
        before = png_bytes(palette_card(text, str(FONT)), 1)
        with Image.open(_png(data)) as written, Image.open(_png(before)) as pillows:
            assert (written.mode, written.size) == ("P", (1200, 630))
            assert written.getpalette() == pillows.getpalette() == _card_palette().getpalette()
            assert written.tobytes() == pillows.tobytes(), title
        assert len(data) < len(before)


def test_png_file_writes_what_pillow_reads() -> None:
    """The PNG writer on its own: every row's filter byte 0, then the palette indices;
    Pillow reads back the same indices and palette."""
    indices = np.arange(7 * 5, dtype=np.uint8).reshape(5, 7) * 7
    rows = np.zeros((5, 8), np.uint8)
    rows[:, 1:] = indices
    palette = bytes(range(256)) * 3
    with Image.open(_png(png_file(rows, palette))) as image:
        assert (image.mode, image.size) == ("P", (7, 5))
        assert image.tobytes() == indices.tobytes()
        assert image.getpalette() == list(palette)


def test_a_large_jpeg_photo_looks_the_same_decoded_smaller(tmp_path: Path) -> None:
    """Big JPEGs are decoded at a reduced scale that still covers the photo area."""
    gradient = Image.linear_gradient("L").resize((3000, 2000))
    photo = Image.merge(
        "RGB",
        (
            gradient,
            gradient.transpose(Image.Transpose.ROTATE_90).resize((3000, 2000)),
            gradient.transpose(Image.Transpose.ROTATE_180),
        ),
    )
    path = tmp_path / "lon.jpg"
    photo.save(path, "JPEG", quality=90)
    reduced = open_photo(path)
    assert reduced.size == (1500, 1000), "decoded at 1/2: 1/4 would leave 500 < 630 px"
    text = CardText("Ảnh lớn", "Tin tức", "Trang thử")
    with Image.open(path) as full:
        full.load()
        difference = ImageChops.difference(
            render_card(text, str(FONT), reduced), render_card(text, str(FONT), full)
        )
    assert max(high for _, high in difference.getextrema()) <= 24
    assert sum(ImageStat.Stat(difference).mean) / 3 < 1


def test_cards_drawn_by_worker_processes_are_the_same(tmp_path: Path) -> None:
    jobs = [
        CardJob(CardText(f"Tin số {n}: tổ liên gia tự quản", "Tin tức", "Trang thử"), None, f"k{n}")
        for n in range(POOL_MIN_CARDS + 1)
    ]
    draw_all(jobs, str(FONT), tmp_path / "one", workers=0)  # in this process
    draw_all(jobs, str(FONT), tmp_path / "two", workers=2)
    for job in jobs:
        name = f"{job.key}.png"
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def _png(data: bytes):
    import io

    return io.BytesIO(data)


def give_lead_photo(story: Path, photo: str) -> None:
    """Give the seed story a lead photo in content/images/ (its import has none)."""
    text = story.read_text(encoding="utf-8")
    assert "\nSource_Name:" in text and "\nImage:" not in text
    lead = f"Image: {{static}}/images/{photo}\nImage_Caption: Hội nghị biểu dương các mô hình\n"
    story.write_text(
        text.replace("\nSource_Name:", "\n" + lead + "Source_Name:", 1), encoding="utf-8"
    )


def site_with_story_photo(content: Path) -> Path:
    """The site's content copied to `content`, the seed story given a photo; the story's file."""
    from support.pages import write_photo

    shutil.copytree(ROOT / "content", content)
    (content / "images").mkdir()
    write_photo(content / "images" / "anh.jpg")
    story = content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    give_lead_photo(story, "anh.jpg")
    return story


def test_cards_and_photos_are_cached_between_builds(tmp_path: Path) -> None:
    content = tmp_path / "content"
    story = site_with_story_photo(content)
    cache = tmp_path / "cache"
    extra = {"SEARCH_INDEX_DIR": str(tmp_path / "index"), "CACHE_PATH": str(cache)}

    def build(name: str) -> dict[str, int]:
        result = run_pelican(content, tmp_path / name, extra=extra)
        assert result.returncode == 0, result.stderr
        # Each build marks what it used (mtime): a file rewritten gets a new inode.
        return {
            p.relative_to(cache).as_posix(): p.stat().st_ino
            for p in cache.rglob("*")
            if p.suffix in (".png", ".jpg")
        }

    first = build("one")
    cards = [name for name in first if name.startswith("share-cards/")]
    assert len(cards) == 1 + 1 + 10 + 1  # the story, the page, 10 models, the site
    assert len([name for name in first if name.startswith("photos/")]) == 3  # 480, 800, 1200
    second = build("two")
    assert second == first, "an unchanged page is not redrawn, a photo not resized again"
    story.write_text(
        story.read_text(encoding="utf-8").replace(
            f"Title: {SEED_TITLE}", "Title: Bám cơ sở, xây dựng phong trào vững mạnh"
        ),
        encoding="utf-8",
    )
    third = build("three")
    assert len(set(third) - set(first)) == 1, "only the renamed story's card is drawn"
    assert {name: third[name] for name in first} == first
    assert CARD_VERSION  # part of the key: bumping it redraws every card


@pytest.mark.parametrize("days", [30, 0])
def test_cache_forgets_what_no_build_used_for_its_max_age(tmp_path: Path, days: int) -> None:
    content = tmp_path / "content"
    site_with_story_photo(content)
    cache = tmp_path / "cache"
    extra = {
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CACHE_PATH": str(cache),
        "SHARE_CARDS_CACHE_DAYS": days,
        "RESPONSIVE_PHOTOS_CACHE_DAYS": days,
    }
    assert run_pelican(content, tmp_path / "one", extra=extra).returncode == 0

    def files() -> list[Path]:  # the two caches with a max age; other plugins' caches have none
        return sorted(
            p for d in ("share-cards", "photos") for p in (cache / d).rglob("*") if p.is_file()
        )

    used = files()
    assert used
    long_ago = time.time() - 40 * 86400
    stale = [cache / "share-cards" / "0123456789abcdef0123.png", cache / "photos" / "0123-480.jpg"]
    lately = [cache / "share-cards" / "fedcba9876543210fedc.png"]
    for path in stale + lately:
        path.write_bytes(b"left by an older build")
    for path in used + stale:  # used ones too: what matters is that this build uses them
        os.utime(path, (long_ago, long_ago))
    result = run_pelican(content, tmp_path / "two", extra=extra)
    assert result.returncode == 0, result.stderr
    left = files()
    if days:
        assert left == sorted(used + lately)
        assert all(p.stat().st_mtime > long_ago + 86400 for p in used)
    else:
        assert left == sorted(used + stale + lately)


def test_a_broken_photo_is_named_and_the_build_goes_on(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "images").mkdir()
    (content / "images" / "hong.jpg").write_bytes(b"not a JPEG at all")
    story = content / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
    give_lead_photo(story, "hong.jpg")
    output = tmp_path / "output"
    extra = {"SEARCH_INDEX_DIR": str(tmp_path / "index"), "CACHE_PATH": str(tmp_path / "cache")}
    result = run_pelican(content, output, extra=extra)
    assert result.returncode == 0, result.stderr
    log = " ".join((result.stdout + result.stderr).split())
    assert "hong.jpg" in log and "not a readable photo" in log and "Traceback" not in log
    card = local(output, meta(soup_of(output / SEED))["og:image"])
    with Image.open(card) as image:
        assert image.size == (1200, 630)


MISSING_FONT_STORY = """\
Title: Tin thử
Date: 2023-12-05 08:57+07:00
Author: Ban biên tập
Category: Tin tức
Slug: tin-thu
Summary: Một bài ngắn để dựng trang khi phông chữ của ảnh chia sẻ bị thiếu.

Nội dung bài thử.
"""


def missing_font_site(tmp_path: Path) -> tuple[Path, Path, dict]:
    content = tmp_path / "content"
    (content / "articles" / "2023").mkdir(parents=True)
    (content / "articles" / "2023" / "tin-thu.md").write_text(MISSING_FONT_STORY, encoding="utf-8")
    font = tmp_path / "khong-co.ttf"
    extra = {
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "SHARE_CARDS_FONT": str(font),
    }
    return content, font, extra


def test_a_missing_font_stops_the_build_with_one_line_naming_it(tmp_path: Path) -> None:
    content, font, extra = missing_font_site(tmp_path)
    result = run_pelican(content, tmp_path / "output", extra=extra)
    log = result.stdout + result.stderr
    assert result.returncode == 1, log
    lines = [line for line in log.splitlines() if f"{font}: không tìm thấy phông chữ" in line]
    assert len(lines) == 1 and "SHARE_CARDS_FONT" in lines[0], log
    assert "Traceback" not in log and "SystemExit" not in log


def test_a_missing_font_leaves_pelican_autoreload_waiting(tmp_path: Path) -> None:
    """A ContentError is logged and Pelican's --autoreload loop waits for the fix;
    SystemExit (what the plugin raised before) ended the process."""
    import subprocess
    import sys

    content, font, extra = missing_font_site(tmp_path)
    log = tmp_path / "pelican.log"
    cmd = [
        sys.executable,
        "-m",
        "pelican",
        str(content),
        "-o",
        str(tmp_path / "output"),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "--autoreload",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in extra.items()),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, "COLUMNS": "500"},
        )
    try:
        deadline = time.monotonic() + 120
        while "không tìm thấy phông chữ" not in log.read_text(encoding="utf-8", errors="replace"):
            assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
            assert time.monotonic() < deadline, "no error logged"
            time.sleep(0.2)
        time.sleep(2)
        assert process.poll() is None, log.read_text(encoding="utf-8", errors="replace")
        assert str(font) in log.read_text(encoding="utf-8", errors="replace")
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_word_masks_are_what_imagedraw_paints():
    """`_text_mask` takes FreeType's mask as it is; painting the text white on black
    in a box of getbbox's size, as it did before, gives the same pixels and offset."""
    from share_cards.draw import _font, _text_mask

    font_path = str(ROOT / "theme" / "fonts" / "BeVietnamPro-Bold.ttf")
    titles = (ROOT / "tests" / "vectors" / "vntext.json").read_text(encoding="utf-8")
    words = sorted(set(titles.split()))[:400] + ["", "Đảm", "QUỐC", "“Nhà”", "1.064", "g,", "…"]
    for size, anchor in ((56, "ls"), (36, "ls"), (30, "lt")):
        font = _font(font_path, size)
        for word in words:
            left, top, right, bottom = font.getbbox(word, anchor=anchor)
            painted = Image.new("L", (right - left, bottom - top))
            ImageDraw.Draw(painted).text((-left, -top), word, font=font, fill=255, anchor=anchor)
            mask, offset = _text_mask.__wrapped__(font, word, anchor)
            assert (offset, mask.size) == ((left, top), painted.size), word
            assert mask.tobytes() == painted.tobytes(), word


def test_words_put_together_from_letter_masks_are_freetypes_own() -> None:
    """A title word's mask is put together from its letters' masks (each rasterized
    once): the same pixels and offset as FreeType's mask of the whole word, where
    glyphs overlap too (horns and marks: "Cứu", "Chứng"), at every size a card uses."""
    from share_cards.draw import _font, _glyphs_mask

    font_path = str(ROOT / "theme" / "fonts" / "BeVietnamPro-Bold.ttf")
    titles = (ROOT / "tests" / "vectors" / "vntext.json").read_text(encoding="utf-8")
    words = sorted(set(titles.split())) + ["Cứu", "Cửu", "Chứng", "'đừng", "“Đắk", "fj", "Tý"]
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
    words += [a + b for a in letters[::3] for b in "ưừứửữựơờớởỡợ"]
    composed = 0
    for size in (68, 62, 56, 50, 46, 44, 40, 36):
        font = _font(font_path, size)
        for word in words:
            found = _glyphs_mask(font, word)
            if found is None:
                continue
            composed += 1
            mask, offset = found
            core, expected_offset = font.getmask2(word, "L", anchor="ls")
            expected = Image.Image()._new(core)
            assert (offset, mask.size) == (expected_offset, expected.size), (size, word)
            assert mask.tobytes() == expected.tobytes(), (size, word)
    assert composed > 0.95 * 8 * len(words)
