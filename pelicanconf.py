"""Pelican settings for the development build (`make html`, `make serve`).

Every setting can be overridden on the command line with Pelican's own
`-e/--extra-settings`, e.g. `-e SEARCH_INDEX_DIR='"/tmp/idx"'`.
"""

import logging
from pathlib import Path

ROOT = Path(__file__).resolve().parent

AUTHOR = "Ban biên tập"
SITENAME = "Mô hình Toàn dân bảo vệ an ninh Tổ quốc"
SITESUBTITLE = "Tin tức và kiến thức về các mô hình phong trào TDBVANTQ ở cơ sở"
SITEURL = ""
RELATIVE_URLS = True

PATH = "content"
ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]

TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"
DEFAULT_CATEGORY = "Tin tức"
DEFAULT_PAGINATION = 10
# Page 2, 3… of the home, category, tag and author lists as folders: trang/2/, chuyen-muc/x/trang/2/.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/trang/{number}/", "{base_name}/trang/{number}/index.html"),
)
# The home page's newsroom blocks (theme/templates/index.html): stories per model block,
# months in the home page's archive block.
HOME_MODEL_STORIES = 3
HOME_ARCHIVE_MONTHS = 12

THEME = str(ROOT / "theme")

ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "chuyen-muc/{slug}/"
CATEGORY_SAVE_AS = "chuyen-muc/{slug}/index.html"
TAG_URL = "chu-de/{slug}/"
TAG_SAVE_AS = "chu-de/{slug}/index.html"
AUTHOR_URL = "tac-gia/{slug}/"
AUTHOR_SAVE_AS = "tac-gia/{slug}/index.html"
ARCHIVES_SAVE_AS = "luu-tru/index.html"
# Archives by year and by month (period_archives.html), linked from the archive index,
# the home page and the footer; no day pages.
YEAR_ARCHIVE_URL = "luu-tru/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "luu-tru/{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "luu-tru/{date:%Y}/{date:%m}/index.html"
CATEGORIES_SAVE_AS = "chuyen-muc/index.html"
TAGS_SAVE_AS = "chu-de/index.html"
AUTHORS_SAVE_AS = "tac-gia/index.html"

# Feeds are generated in every build (the site is about news); publishconf
# makes their links absolute.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
# A feed per category, linked from its category page (plugins/feed_meta gives
# every feed its language and distinct ids; plugins/model_feeds adds one per model).
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_ID_AUTHORITY = "localhost"  # tag: ids of development builds (SITEURL = "")
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Markdown as Pelican's default ("extra", "codehilite", "meta"), with each part of "extra"
# named so it can be audited: attribute lists are safe_html's, limited to class and id
# (plugins/safe_html); table alignment is an `align` attribute, not `style`.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.fenced_code": {},
        "markdown.extensions.footnotes": {},
        "safe_html.attr_list": {},
        "markdown.extensions.def_list": {},
        "markdown.extensions.tables": {"use_align_attribute": True},
        "markdown.extensions.abbr": {},
        "markdown.extensions.md_in_html": {},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

# Reproducible builds: no build timestamps, stable ordering.
OUTPUT_SOURCES = False
SLUGIFY_SOURCE = "basename"

# The plugins in plugins/ and the libraries they share are installed into
# .venv (editable, from pyproject.toml), so Pelican imports them by name.
PLUGINS = [
    # First: a plugin of this list that Pelican cannot load or register stops the build.
    "plugin_guard",
    # Pelican's archive, category, tag and author lists in linear time (quadratic in 4.12).
    "linear_lists",
    "strict_content",
    # Sanitizes every article and page as it is read, before any other plugin sees it.
    "safe_html",
    "reader_cache",
    # Pages whose template and values are unchanged are carried over, not rendered again.
    "render_cache",
    # The theme's templates compiled once and kept between builds.
    "template_cache",
    # Drafts and future stories leave the lists before anything is made from them.
    "schedule",
    "pelican.plugins.sitemap",
    "pelican.plugins.readtime",
    "pelican.plugins.neighbors",
    "pelican.plugins.related_posts",
    "search_index",
    # Usable slugs for tags, authors and categories before Pelican files stories under them.
    "safe_slugs",
    "model_catalog",
    # After model_catalog: a place belongs to the model its sentence names (plugins/places).
    "places",
    "static_search",
    "vn_dates",
    # share_cards and breadcrumbs attach what news_jsonld then prints: keep them before it.
    "share_cards",
    "breadcrumbs",
    "news_jsonld",
    "responsive_photos",
    "feed_meta",
    "model_feeds",
    "web_manifest",
    "web_fonts",
    "minify_assets",
    "editor_desk",
    # Last: keeps every url and save_as once the other plugins are done with them.
    "frozen_urls",
]
# JavaScript and CSS in the output are minified with esbuild (plugins/minify_assets; `npm ci`
# installs it); search.js is bundled with the modules it imports.
MINIFY_ASSETS = True
# One file each: the search page's script, and the story page's query highlight (loaded
# only when a story is opened from a search result, ?tu-khoa=…).
MINIFY_BUNDLES = ["js/search.js", "js/story-highlight.js"]
# Drafts and stories dated after the build's time (plugins/schedule): development builds
# write them as marked, noindex previews at drafts/<slug>.html, out of every list;
# publishconf.py writes nothing of them. SITE_BUILD_NOW=… fixes the build's "now".
SCHEDULE_PREVIEWS = True

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.5},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
    "exclude": [r"^404\.html$", r"^search\.html$", r"^robots\.txt$", r"^drafts/", r"^admin/"],
}
RELATED_POSTS_MAX = 5
# Vietnamese syllables are space-separated; adults read about 250 a minute.
READTIME_WPM = {
    "default": {
        "wpm": 250,
        "min_singular": "phút",
        "min_plural": "phút",
        "sec_singular": "giây",
        "sec_plural": "giây",
    },
}

# Theme (theme/): extra pages rendered from theme templates; MENUITEMS are
# (label, site-relative URL) pairs shown in the main navigation.
DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "search", "404", "robots"]
CATEGORIES_URL = "chuyen-muc/"
TAGS_URL = "chu-de/"
AUTHORS_URL = "tac-gia/"
ARCHIVES_URL = "luu-tru/"
ROBOTS_SAVE_AS = "robots.txt"
MENUITEMS = (
    ("Mô hình", "mo-hinh/"),
    ("Địa phương", "dia-phuong/"),
    ("Thuật ngữ", "thuat-ngu/"),
)  # model_catalog pages
SITELOGO = "theme/images/logo.svg"
# Content is Markdown; docutils (reStructuredText) has no Vietnamese strings.
LOG_FILTER = [
    (logging.WARNING, "Docutils has no localization for '%s'. Using 'en' instead."),
    # plugins/safe_slugs gives such a tag, author or category a fallback slug.
    (logging.WARNING, 'Unable to generate valid slug for %s "%s".'),
]

# Data kept as content, edited by editors through git.
# Model catalogue (plugins/model_catalog): one Markdown file per model type.
MODELS_PATH = "models"
MODEL_URL = "mo-hinh/{slug}/"
MODEL_SAVE_AS = "mo-hinh/{slug}/index.html"
MODELS_URL = "mo-hinh/"
MODELS_SAVE_AS = "mo-hinh/index.html"
GLOSSARY_URL = "thuat-ngu/"
GLOSSARY_SAVE_AS = "thuat-ngu/index.html"
ACRONYMS_FILE = str(ROOT / "content" / "data" / "acronyms.txt")
# Editors' synonyms (vntext.synonyms): search and the glossary page.
SYNONYMS_FILE = str(ROOT / "content" / "data" / "synonyms.txt")

# Search index (Whoosh), built on every build; git-ignored.
SEARCH_INDEX_DIR = str(ROOT / "search-index")

# The editors' desk at /admin/ (plugins/editor_desk): Decap CMS over content/. `make edit`
# serves it with decap-server on 127.0.0.1:8081 (the local backend); the published desk
# signs in to GitHub through an OAuth proxy (publishconf.py).
DESK_LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"
