"""Plugin settings: declared once per plugin, checked when Pelican starts, defaults filled in."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from pelican.settings import DEFAULT_CONFIG, get_settings_from_file

from support import ROOT, run_pelican
from tdbvantq.settings import (
    PluginSettings,
    SettingsError,
    check_settings,
    flag,
    folder,
    number,
    number_list,
    text,
)

# Every plugin of the project with settings (vn_dates has none).
PLUGINS = [
    "search_index",
    "static_search",
    "model_catalog",
    "strict_content",
    "news_jsonld",
    "share_cards",
    "responsive_photos",
    "feed_meta",
    "model_feeds",
    "web_manifest",
    "breadcrumbs",
    "minify_assets",
    "schedule",
    "render_cache",
    "places",
]


@pytest.fixture(autouse=True)
def wide_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pelican's log handler wraps lines at the terminal's width: give it room."""
    monkeypatch.setenv("COLUMNS", "400")


def declared(plugin: str) -> PluginSettings:
    module = importlib.import_module(f"{plugin}.plugin")
    return module.SETTINGS


@pytest.mark.parametrize(
    ("override", "line"),
    [
        ({"SEARCH_INDEX_DIR": 3}, "search_index: SEARCH_INDEX_DIR = 3 (int) is not a path (text)"),
        (
            {"MODEL_URL": "mo-hinh/"},
            "model_catalog: MODEL_URL = 'mo-hinh/' (str) is not text containing {slug}",
        ),
        (
            {"STRICT_CONTENT": "no"},
            "strict_content: STRICT_CONTENT = 'no' (str) is not True or False",
        ),
        (
            {"SHARE_CARDS_WORKERS": "4"},
            "share_cards: SHARE_CARDS_WORKERS = '4' (str) is not a whole number >= 0",
        ),
        (
            {"RESPONSIVE_PHOTO_WIDTHS": [480, "800"]},
            "responsive_photos: RESPONSIVE_PHOTO_WIDTHS = [480, '800'] (list) is not a list of whole numbers >= 1",
        ),
        ({"FEED_ID_AUTHORITY": None}, "feed_meta: FEED_ID_AUTHORITY = None (NoneType) is not text"),
        (
            {"MODEL_FEED_ATOM": False},
            "model_feeds: MODEL_FEED_ATOM = False (bool) is not text or None",
        ),
        (
            {"THEME_COLOR_LIGHT": 8589332},
            "web_manifest: THEME_COLOR_LIGHT = 8589332 (int) is not text",
        ),
        (
            {"BREADCRUMBS_HOME": ["Trang chủ"]},
            "breadcrumbs: BREADCRUMBS_HOME = ['Trang chủ'] (list) is not text",
        ),
        (
            {"MINIFY_BUNDLES": "js/search.js"},
            "minify_assets: MINIFY_BUNDLES = 'js/search.js' (str) is not a list of texts",
        ),
    ],
)
def test_a_wrong_setting_stops_the_build_with_one_line(
    tmp_path: Path, override: dict, line: str
) -> None:
    result = run_pelican(ROOT / "content", tmp_path / "output", extra=override)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    [logged] = [entry for entry in log.splitlines() if "CRITICAL" in entry]
    assert line in logged
    assert "Traceback" not in log and "more, listed above" not in log
    assert not (tmp_path / "output").exists()  # stopped before anything was written


def test_every_wrong_setting_is_named_once_in_one_build(tmp_path: Path) -> None:
    extra = {"STATIC_SEARCH_SHARD_BYTES": "12000", "ACRONYMS_FILE": 7, "MODEL_LINK_MENTIONS": 1}
    result = run_pelican(ROOT / "content", tmp_path / "output", extra=extra)
    log = result.stdout + result.stderr
    assert result.returncode == 1
    assert "(and 2 more, listed above)" in log
    for name in extra:  # ACRONYMS_FILE is read by two plugins, named once
        assert log.count(f"{name} = {extra[name]!r}") == 1


def test_the_site_settings_pass_and_missing_ones_get_their_defaults() -> None:
    site = get_settings_from_file(str(ROOT / "pelicanconf.py"))
    check_settings(site, [declared(plugin) for plugin in PLUGINS])
    assert site["SEARCH_INDEX_DIR"] == str(ROOT / "search-index")  # the site's own value kept
    assert site["STATIC_SEARCH_SHARD_BYTES"] == 12000  # a default filled in
    bare = dict(DEFAULT_CONFIG)
    check_settings(bare, [declared(plugin) for plugin in PLUGINS])
    for plugin in PLUGINS:
        for name, default in declared(plugin).defaults.items():
            assert bare[name] == default


def test_kinds_of_setting() -> None:
    settings = PluginSettings(
        "demo",
        [
            flag("DEMO_ON", True, ""),
            number("DEMO_SIZE", 10, "", minimum=1),
            folder("DEMO_DIR", None, "", optional=True),
            text("DEMO_URL", "x/{slug}/", "", needs="{slug}"),
        ],
    )
    good = {"DEMO_ON": False, "DEMO_SIZE": 1, "DEMO_DIR": Path("/tmp"), "DEMO_URL": "{slug}.html"}
    assert settings.problems(good) == {}
    bad = {"DEMO_ON": 0, "DEMO_SIZE": True, "DEMO_DIR": "  ", "DEMO_URL": "x/"}
    assert list(settings.problems(bad)) == list(bad)
    with pytest.raises(
        SettingsError, match=r"^demo: DEMO_SIZE = 0 \(int\) is not a whole number >= 1$"
    ):
        check_settings({"DEMO_SIZE": 0}, [settings])
    assert settings.read({}, "DEMO_URL") == "x/{slug}/"


def test_bounded_numbers_and_lists_of_numbers() -> None:
    settings = PluginSettings(
        "demo",
        [
            number("DEMO_QUALITY", 82, "", minimum=1, maximum=100),
            number_list("DEMO_WIDTHS", [480], "", minimum=1),
        ],
    )
    assert settings.problems({"DEMO_QUALITY": 100, "DEMO_WIDTHS": (480, 1200)}) == {}
    assert settings.problems({"DEMO_QUALITY": 1, "DEMO_WIDTHS": []}) == {}
    for quality in (0, 101, 82.0, "82", True):
        assert list(settings.problems({"DEMO_QUALITY": quality})) == ["DEMO_QUALITY"], quality
    for widths in ([480, 0], [480, "800"], [480.0], [True], "480", 480, {480: 1}):
        assert list(settings.problems({"DEMO_WIDTHS": widths})) == ["DEMO_WIDTHS"], widths
    with pytest.raises(
        SettingsError, match=r"^demo: DEMO_QUALITY = 101 \(int\) is not a whole number in 1\.\.100$"
    ):
        check_settings({"DEMO_QUALITY": 101}, [settings])
    with pytest.raises(SettingsError, match=r"is not a list of whole numbers >= 1$"):
        check_settings({"DEMO_WIDTHS": [0]}, [settings])


@pytest.mark.parametrize("plugin", PLUGINS)
def test_every_setting_is_in_its_plugin_readme(plugin: str) -> None:
    readme = (ROOT / "plugins" / plugin / "README.md").read_text(encoding="utf-8")
    for name in declared(plugin).declared:
        assert f"`{name}`" in readme, f"{plugin}/README.md does not document {name}"
