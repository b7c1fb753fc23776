"""web_manifest's icons kept in the build cache: the same bytes as drawn, redrawn
when what draws them changes."""

from __future__ import annotations

from pathlib import Path

from share_cards.draw import BRAND, draw_logo, png_bytes
from web_manifest.plugin import ICONS, WebManifestGenerator, _drawing_digest, icon_path


def generate(output: Path, cache: Path) -> None:
    generator = WebManifestGenerator.__new__(WebManifestGenerator)
    generator.output_path = str(output)
    generator.settings = {"CACHE_PATH": str(cache), "SITENAME": "Trang thử", "DEFAULT_LANG": "vi"}
    generator.generate_output(writer=None)


def test_icons_are_drawn_once_then_read_from_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    generate(tmp_path / "one", cache)
    drawing = _drawing_digest()
    for name, size, _, scale in ICONS:
        drawn = png_bytes(draw_logo(size, background=BRAND, scale=scale))
        assert (tmp_path / "one" / "icons" / name).read_bytes() == drawn, name
        assert icon_path(cache / "web-manifest", drawing, size, scale).read_bytes() == drawn, name
    cached = sorted((cache / "web-manifest").iterdir())
    assert len(cached) == len(ICONS)
    # A second build takes the cached bytes as they are (a marker proves they are not redrawn).
    marked = icon_path(cache / "web-manifest", drawing, 192, ICONS[0][3])
    marked.write_bytes(b"cached")
    generate(tmp_path / "two", cache)
    assert (tmp_path / "two" / "icons" / "icon-192.png").read_bytes() == b"cached"


def test_a_change_in_what_draws_them_redraws_them(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    drawing = _drawing_digest()
    keys = {icon_path(cache / "web-manifest", drawing, size, scale) for _, size, _, scale in ICONS}
    assert len(keys) == len(ICONS)
    assert icon_path(cache / "web-manifest", drawing + b"x", 192, 0.82) != icon_path(
        cache / "web-manifest", drawing, 192, 0.82
    )
    stale = cache / "web-manifest" / "icon-0000.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    generate(tmp_path / "out", cache)
    assert not stale.exists()
    assert sorted((cache / "web-manifest").iterdir()) == sorted(keys)
