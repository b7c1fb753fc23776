"""What a worker process drawing cards needs, and nothing more: Pillow and the
drawing. The workers are spawned, so each imports what the jobs it unpickles
name; kept apart from plugin.py (Pelican, the news_jsonld plugin, the library),
a worker starts in a tenth of the time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from share_cards.draw import PHOTO_SIZE, CardText, draw_card

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CardJob:
    text: CardText
    photo: Path | None
    key: str

    @property
    def file_name(self) -> str:
        """A card with a photo is a JPEG (a tenth of the PNG's bytes), one without a PNG."""
        return f"{self.key}.{'png' if self.photo is None else 'jpg'}"


def open_photo(path: Path | None) -> Image.Image | None:
    if path is None:
        return None
    try:
        with Image.open(path) as photo:
            # A JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers the
            # card's photo area (either way up, for EXIF rotation): 4–20× less work.
            longest = max(PHOTO_SIZE)
            photo.draft("RGB", (longest, longest))
            photo.load()
            return photo
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        logger.warning("%s: not a readable photo, share card drawn without it (%s)", path, error)
        return None


def draw_job(job: CardJob, font: str) -> bytes:
    """Draw one card (a top-level function, so worker processes can run it)."""
    return draw_card(job.text, font, open_photo(job.photo), as_jpeg=job.photo is not None)


def draw_jobs(jobs: list[CardJob], font: str) -> list[bytes]:
    """Draw a few cards in one call: one round trip to a worker process for them."""
    return [draw_job(job, font) for job in jobs]
