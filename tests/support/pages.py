"""The built site's pages as files: parsing them, the links between them, a test photo."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup

LINK_ATTRIBUTES = {
    "a": "href",
    "link": "href",
    "img": "src",
    "script": "src",
    "source": "src",
    "iframe": "src",
    "form": "action",
}


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(output: Path) -> list[Path]:
    """The site's pages: the editors' desk (admin/, Decap's own page) is not one."""
    return sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")


def page_url(output: Path, path: Path) -> str:
    """The URL path a static server gives `path` (with a leading slash)."""
    return "/" + path.relative_to(output).as_posix()


def resolve(output: Path, base: str, link: str, siteurl: str = "") -> Path | None:
    """The file a link points to inside `output`, or None for links that leave the site."""
    if siteurl and link.startswith(siteurl):
        link = link[len(siteurl) :] or "/"
    parts = urlsplit(urljoin(f"http://site{base}", link))
    if parts.scheme not in ("http", "https") or parts.netloc != "site":
        return None
    target = output / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def broken_links(output: Path, siteurl: str = "") -> list[str]:
    problems = []
    for path in html_files(output):
        soup = soup_of(path)
        base = page_url(output, path)
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        for name, attribute in LINK_ATTRIBUTES.items():
            for tag in soup.find_all(name):
                link = tag.get(attribute)
                if link is None:
                    continue
                if link.startswith("#"):
                    if link[1:] and link[1:] not in ids:
                        problems.append(f"{base}: {name} {attribute}={link} (no such id)")
                    continue
                target = resolve(output, base, link, siteurl)
                if target is None:
                    if name != "a":  # stylesheets, scripts, images: the site works offline
                        problems.append(f"{base}: external resource {link}")
                    continue
                if not target.is_file():
                    problems.append(f"{base}: {name} {attribute}={link} -> missing {target}")
    return problems


PHOTO_SIZE = (1600, 1000)


def write_photo(path: Path) -> None:
    """A real JPEG photo, larger than every generated size."""
    from PIL import Image

    gradient = Image.linear_gradient("L").resize(PHOTO_SIZE)
    Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_180), gradient)).save(
        path, "JPEG", quality=85
    )
