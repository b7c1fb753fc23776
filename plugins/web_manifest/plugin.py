"""Web app manifest and PNG icons, so the site can be added to a phone's home
screen with its name, colours and logo.

Writes `manifest.webmanifest` and the icons (drawn from the logo's geometry
by plugins/share_cards, on the brand colour) into the output folder, and puts
WEB_MANIFEST_URL, THEME_COLOR_LIGHT, THEME_COLOR_DARK and WEB_MANIFEST_ICONS into
the template context (base.html prints <link rel="manifest">, the icons and a
theme-color per colour scheme).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pelican import signals
from pelican.generators import Generator

from share_cards.draw import BRAND, draw_logo, png_bytes
from tdbvantq.settings import PluginSettings, text

SETTINGS = PluginSettings(
    "web_manifest",
    [
        text(
            "WEB_MANIFEST_URL",
            "manifest.webmanifest",
            "where the manifest is written; empty: no manifest links",
        ),
        text("WEB_MANIFEST_SHORT_NAME", "TDBVANTQ", "name under the home-screen icon"),
        text("WEB_MANIFEST_ICONS_DIR", "icons", "folder of the icons in the output"),
        # The header's --brand-bg in each colour scheme (theme/static/css/site.css).
        text("THEME_COLOR_LIGHT", "#8b1014", "theme-color of the light scheme"),
        text("THEME_COLOR_DARK", "#1e1e1e", "theme-color of the dark scheme"),
        text("WEB_MANIFEST_BACKGROUND", "#ffffff", "splash-screen background"),
    ],
)
# (file name, size, purpose, logo scale): maskable icons keep the logo inside the safe circle.
ICONS = [
    ("icon-192.png", 192, "any", 0.82),
    ("icon-512.png", 512, "any", 0.82),
    ("icon-maskable-512.png", 512, "maskable", 0.62),
]


def add_icon_urls(pelican: Any) -> None:
    """WEB_MANIFEST_ICONS for the templates ({192: "icons/icon-192.png", …}), unless the site sets it."""
    icons_dir = SETTINGS.read(pelican.settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
    pelican.settings.setdefault(
        "WEB_MANIFEST_ICONS",
        {size: f"{icons_dir}/{name}" for name, size, purpose, _ in ICONS if purpose == "any"},
    )


def manifest(settings: dict) -> dict:
    """The manifest; its URLs are relative to the manifest itself (the site root)."""
    icons_dir = SETTINGS.read(settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
    return {
        "name": settings.get("SITENAME", ""),
        "short_name": SETTINGS.read(settings, "WEB_MANIFEST_SHORT_NAME"),
        "description": settings.get("SITESUBTITLE", ""),
        "lang": settings.get("DEFAULT_LANG", "vi"),
        "dir": "ltr",
        "start_url": "./",
        "scope": "./",
        "display": "minimal-ui",
        "background_color": SETTINGS.read(settings, "WEB_MANIFEST_BACKGROUND"),
        "theme_color": SETTINGS.read(settings, "THEME_COLOR_LIGHT"),
        "icons": [
            {
                "src": f"{icons_dir}/{name}",
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for name, size, purpose, _ in ICONS
        ],
    }


class WebManifestGenerator(Generator):
    def generate_context(self) -> None:
        pass

    def generate_output(self, writer: Any) -> None:
        output = Path(self.output_path)
        text = json.dumps(manifest(self.settings), ensure_ascii=False, indent=1) + "\n"
        target = output / SETTINGS.read(self.settings, "WEB_MANIFEST_URL")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        icons = output / SETTINGS.read(self.settings, "WEB_MANIFEST_ICONS_DIR").strip("/")
        icons.mkdir(parents=True, exist_ok=True)
        for name, size, _, scale in ICONS:
            (icons / name).write_bytes(png_bytes(draw_logo(size, background=BRAND, scale=scale)))


def get_generators(pelican: Any) -> type[Generator]:
    return WebManifestGenerator


def register() -> None:
    SETTINGS.register()
    signals.initialized.connect(add_icon_urls)
    signals.get_generators.connect(get_generators)
