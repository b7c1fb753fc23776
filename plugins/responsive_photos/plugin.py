"""Photos of content/images/ at the sizes screens need, generated at build time.

For every article and page whose `Image` is a raster file of the site (JPEG,
PNG, WebP), and for every <img> of a story body that points to one, this
plugin writes smaller copies beside the original (`<name>-<width>w.<ext>`,
never larger than the original) and gives the theme their sizes:

    content.photo = Photo(src, width, height, srcset, sizes)   # the lead photo

Body images get `width`/`height`, `srcset`/`sizes`, `loading="lazy"` and
`decoding="async"` in place. Resized files are cached between builds, keyed
by the photo's bytes, the width and PHOTO_VERSION.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator
from PIL import Image, ImageOps, UnidentifiedImageError

from news_jsonld.plugin import resolve_static, static_for_path
from share_cards.plugin import all_contents
from tdbvantq.settings import PluginSettings, folder, number, number_list, text
from tdbvantq.writes import prune_cache, write_atomically

logger = logging.getLogger(__name__)

PHOTO_VERSION = "1"  # bump when resizing changes: cached copies are then redone
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
ATTRIBUTE = re.compile(r"""\s([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")

SETTINGS = PluginSettings(
    "responsive_photos",
    [
        number_list(
            "RESPONSIVE_PHOTO_WIDTHS",
            [480, 800, 1200],
            "widths made, in pixels (only those smaller than the original)",
        ),
        # The story column: 44rem wide, 1rem padding each side on narrow screens.
        text(
            "RESPONSIVE_PHOTO_SIZES",
            "(min-width: 46rem) 44rem, calc(100vw - 2rem)",
            "the `sizes` attribute: the story column",
        ),
        number("RESPONSIVE_PHOTO_QUALITY", 82, "JPEG and WebP quality", minimum=1, maximum=100),
        folder(
            "RESPONSIVE_PHOTOS_CACHE_DIR",
            None,
            "resized files kept between builds; None: <CACHE_PATH>/photos",
            optional=True,
        ),
        number(
            "RESPONSIVE_PHOTOS_CACHE_DAYS",
            30,
            "cached files no build used for this many days are removed; 0: kept forever",
            minimum=0,
        ),
    ],
)


@dataclass(frozen=True)
class Source:
    url: str  # site-relative
    width: int


@dataclass
class Photo:
    src: str  # site-relative URL of the original
    width: int
    height: int
    sizes: str
    srcset: list[Source] = field(default_factory=list)


class PhotoSizer:
    """Resizes the site's photos once per build (and once ever, thanks to the cache)."""

    def __init__(self, settings: dict) -> None:
        self.settings = settings
        cache = SETTINGS.read(settings, "RESPONSIVE_PHOTOS_CACHE_DIR")
        self.cache = Path(cache) if cache else Path(settings["CACHE_PATH"]) / "photos"
        self.output = Path(settings["OUTPUT_PATH"])
        self.done: dict[str, Photo | None] = {}
        self.counts = {"resized": 0, "cached": 0}
        self.used: set[Path] = set()  # the cache files this build copied

    def photo(self, static: Any) -> Photo | None:
        """The Photo for a static file, or None when it is not a photo Pillow can read."""
        if static.source_path not in self.done:
            self.done[static.source_path] = self._make(static)
        return self.done[static.source_path]

    def _make(self, static: Any) -> Photo | None:
        source = Path(static.source_path)
        image_format = FORMATS.get(source.suffix.lower())
        if image_format is None:
            return None
        data = source.read_bytes()
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = ImageOps.exif_transpose(image).size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
            logger.warning("%s: not a readable photo, no sizes generated (%s)", source, error)
            return None
        photo = Photo(
            static.url, width, height, SETTINGS.read(self.settings, "RESPONSIVE_PHOTO_SIZES")
        )
        key = hashlib.sha256(PHOTO_VERSION.encode() + data).hexdigest()[:20]
        url = PurePosixPath(static.url)
        for target in sorted(
            {w for w in SETTINGS.read(self.settings, "RESPONSIVE_PHOTO_WIDTHS") if w < width}
        ):
            resized_url = str(url.with_name(f"{url.stem}-{target}w{url.suffix}"))
            cached = self.cache / f"{key}-{target}{url.suffix.lower()}"
            if cached.is_file():
                self.counts["cached"] += 1
            else:
                write_atomically(cached, resize(data, target, image_format, self.quality))
                self.counts["resized"] += 1
            destination = self.output / resized_url
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cached, destination)
            self.used.add(cached)
            photo.srcset.append(Source(resized_url, target))
        if photo.srcset:
            photo.srcset.append(Source(static.url, width))
        return photo

    @property
    def quality(self) -> int:
        return SETTINGS.read(self.settings, "RESPONSIVE_PHOTO_QUALITY")


def resize(data: bytes, width: int, image_format: str, quality: int) -> bytes:
    """`data` scaled to `width` pixels wide (upright, without metadata), encoded as `image_format`."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        height = max(1, round(image.height * width / image.width))
        if image_format == "JPEG":
            image = image.convert("RGB")
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    options = {"quality": quality} if image_format in ("JPEG", "WEBP") else {"compress_level": 9}
    resized.save(buffer, image_format, **options)
    return buffer.getvalue()


def img_attributes(photo: Photo, siteurl: str) -> str:
    root = siteurl.rstrip("/")
    srcset = ", ".join(f"{root}/{source.url} {source.width}w" for source in photo.srcset)
    extra = f' width="{photo.width}" height="{photo.height}"'
    if srcset:
        extra += f' srcset="{srcset}" sizes="{photo.sizes}"'
    return extra + ' loading="lazy" decoding="async"'


def rewrite_body(content: Any, sizer: PhotoSizer, static_content: dict, siteurl: str) -> str:
    """Add sizes to the body's <img> tags that show photos of the site."""

    def add_sizes(match: re.Match) -> str:
        tag = match.group(0)
        attributes = {
            m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in ATTRIBUTE.finditer(tag)
        }
        if "srcset" in attributes or "width" in attributes or not attributes.get("src"):
            return tag
        static = static_for_path(attributes["src"], content, static_content)
        photo = sizer.photo(static) if static is not None else None
        if photo is None:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return tag[:end].rstrip() + img_attributes(photo, siteurl) + tag[end:]

    return IMG_TAG.sub(add_sizes, content._content)


def size_photos(generators: list[Generator]) -> None:
    settings, context = generators[0].settings, generators[0].context
    static_content = context.get("static_content", {})
    sizer = PhotoSizer(settings)
    siteurl = settings.get("SITEURL", "")
    for content, _ in all_contents(generators):
        static = resolve_static(content, static_content)
        content.photo = sizer.photo(static) if static is not None else None
        if "<img" in (content._content or ""):
            content._content = rewrite_body(content, sizer, static_content, siteurl)
    # Bodies changed after Pelican may have cached the rendered content.
    Content.get_content.cache.clear()
    days = SETTINGS.read(settings, "RESPONSIVE_PHOTOS_CACHE_DAYS")
    removed = prune_cache(sizer.cache, sizer.used, days) if days else []
    logger.info(
        "responsive photos: %d resized, %d from the cache, %d unused ones removed",
        sizer.counts["resized"],
        sizer.counts["cached"],
        len(removed),
    )


def register() -> None:
    SETTINGS.register()
    signals.all_generators_finalized.connect(size_photos)
