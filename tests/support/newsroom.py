"""Content for the newsroom tests (issue 23): the site's content/ plus generated stories.

Twelve stories about one model ("Camera an ninh") over three months, a few about other
models, one story written for the query-highlight test, a draft and a story dated after
the build's "now" (`NOW`, given to the build as SITE_BUILD_NOW). Small on purpose: one
build takes seconds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The build's "now" (plugins/schedule): FUTURE_SLUG is dated after it.
NOW = "2026-04-01 08:00+07:00"
BUSY_MODEL = ("camera-an-ninh", "Camera an ninh")
BUSY_COUNT = 11  # with the seed story, which names every model: 12 on the model page
OTHER_MODELS = (
    ("dong-ho-tu-quan", "Dòng họ tự quản", 4),
    ("ngay-chu-nhat-xanh", "Ngày Chủ nhật xanh", 2),
)
DRAFT_SLUG = "ban-nhap-newsroom"
DRAFT_WORD = "bannhapchuadang"
FUTURE_SLUG = "hen-gio-newsroom"
FUTURE_WORD = "hengiochuadang"
HIGHLIGHT_SLUG = "thap-sang-duong-que"
HIGHLIGHT_TITLE = "Thắp sáng đường quê ở xã Quảng Thọ"
# The query the highlight test types: "an" is marked in "an ninh" (the query's pair), never
# alone in "Công an xã", which the story also has.
HIGHLIGHT_QUERY = "thắp sáng an ninh"
# A story in the middle of the busy model's twelve: it has neighbours on both sides, it is
# on a list page, the model page and a month's archive.
EDITED_STORY = Path("articles") / "2026" / "camera-an-ninh-05.md"
TOP_SLUG = "camera-an-ninh-11"  # the newest published story: the home page's top story


def busy_dates() -> list[str]:
    """Dates of the busy model's stories: four in each of January, February and March 2026."""
    return [
        f"2026-{1 + n // 4:02d}-{3 + 6 * (n % 4):02d} 0{8 + n % 2}:15+07:00"
        for n in range(BUSY_COUNT)
    ]


def story(
    title: str, date: str, slug: str, models: str, summary: str, body: str, extra: str = ""
) -> str:
    return (
        f"Title: {title}\nDate: {date}\nAuthor: Phóng viên Thử\nCategory: Tin tức\nSlug: {slug}\n"
        f"Models: {models}\nSummary: {summary}\n{extra}\n{body}\n"
    )


def write_photo(path: Path) -> None:
    """A small real JPEG for the top story's lead photo."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((900, 600))
    Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient)).save(
        path, "JPEG", quality=80
    )


def write_newsroom_content(target: Path) -> Path:
    """A copy of content/ with the generated stories under articles/2026/; returns `target`."""
    shutil.copytree(ROOT / "content", target)
    folder = target / "articles" / "2026"
    folder.mkdir(parents=True)
    (target / "images" / "newsroom").mkdir(parents=True)
    write_photo(target / "images" / "newsroom" / "camera.jpg")
    slug, name = BUSY_MODEL
    for n, date in enumerate(busy_dates(), start=1):
        extra = ""
        if n == BUSY_COUNT:
            extra = (
                "Image: {static}/images/newsroom/camera.jpg\n"
                "Image_Caption: Camera an ninh lắp ở đầu ngõ\n"
            )
        (folder / f"{slug}-{n:02d}.md").write_text(
            story(
                f"Camera an ninh số {n} ở khu dân cư",
                date,
                f"{slug}-{n:02d}",
                name,
                f"Sapo bài camera số {n}: người dân góp tiền lắp camera.",
                f"Bài thứ {n} về mô hình camera an ninh do người dân đóng góp.",
                extra,
            ),
            encoding="utf-8",
        )
    for other_slug, other_name, count in OTHER_MODELS:
        for n in range(1, count + 1):
            (folder / f"{other_slug}-{n:02d}.md").write_text(
                story(
                    f"{other_name}: bài số {n}",
                    f"2026-02-{10 + n:02d} 10:00+07:00",
                    f"{other_slug}-{n:02d}",
                    other_name,
                    f"Tóm tắt bài {n} về {other_name.lower()}.",
                    f"Nội dung bài số {n} về mô hình {other_name.lower()}.",
                ),
                encoding="utf-8",
            )
    (folder / f"{HIGHLIGHT_SLUG}.md").write_text(
        story(
            HIGHLIGHT_TITLE,
            "2026-01-20 07:00+07:00",
            HIGHLIGHT_SLUG,
            "Ngày Chủ nhật xanh",
            "Đoàn viên thắp sáng đường quê.",
            "Công an xã Quảng Thọ cùng đoàn viên thắp sáng đường quê, giữ an ninh trật tự.\n\n"
            "Mỗi cột đèn do người dân góp tiền, chữ &lt;b&gt; vẫn là chữ.\n\n"
            "Nhờ **thắp sáng** các ngõ, tình hình an ninh ở thôn ổn định.",
        ),
        encoding="utf-8",
    )
    (folder / f"{DRAFT_SLUG}.md").write_text(
        story(
            f"Bản nháp {DRAFT_WORD}",
            "2026-03-30 08:00+07:00",
            DRAFT_SLUG,
            name,
            "Bản nháp.",
            f"Chưa đăng {DRAFT_WORD}.",
            "Status: draft\n",
        ),
        encoding="utf-8",
    )
    (folder / f"{FUTURE_SLUG}.md").write_text(
        story(
            f"Bài hẹn giờ {FUTURE_WORD}",
            "2026-04-10 08:00+07:00",
            FUTURE_SLUG,
            name,
            "Hẹn giờ.",
            f"Chưa đến giờ {FUTURE_WORD}.",
        ),
        encoding="utf-8",
    )
    return target


def edit_story(site: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in EDITED_STORY of `site`/content."""
    story = site / "content" / EDITED_STORY
    text = story.read_text("utf-8")
    assert old in text
    story.write_text(text.replace(old, new, 1), encoding="utf-8")
