"""plugins/plugin_guard: a plugin of PLUGINS that Pelican cannot load or register stops
the build (Pelican alone logs it and builds the site without the plugin, exit 0)."""

from __future__ import annotations

import runpy
from pathlib import Path

from support import ROOT, run_pelican

SITE_PLUGINS = runpy.run_path(str(ROOT / "pelicanconf.py"))["PLUGINS"]


def build(tmp_path: Path, plugins: list[str], plugin_paths: list[str] | None = None):
    extra = {
        "PLUGINS": plugins,
        "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    if plugin_paths is not None:
        extra["PLUGIN_PATHS"] = plugin_paths
    return run_pelican(ROOT / "content", tmp_path / "output", extra=extra, atomic=True)


def test_the_site_names_it_first() -> None:
    assert SITE_PLUGINS[0] == "plugin_guard"


def test_a_plugin_that_cannot_be_imported_stops_the_build(tmp_path: Path) -> None:
    # safe_html misspelled: without the guard Pelican publishes the site unsanitized.
    plugins = ["safe_htmlx" if name == "safe_html" else name for name in SITE_PLUGINS]
    result = build(tmp_path, plugins)
    assert result.returncode != 0
    assert "Cannot load plugin `safe_htmlx`" in result.stderr
    assert "bản dựng dừng lại" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "output" / "index.html").exists()


def test_a_plugin_whose_register_fails_stops_the_build(tmp_path: Path) -> None:
    extra_plugins = tmp_path / "extra-plugins"
    extra_plugins.mkdir()
    (extra_plugins / "broken_register.py").write_text(
        "def register():\n    raise RuntimeError('no signal for this')\n", encoding="utf-8"
    )
    # The site's own plugins are installed packages; PLUGIN_PATHS only adds this one.
    result = build(tmp_path, [*SITE_PLUGINS, "broken_register"], [str(extra_plugins)])
    assert result.returncode != 0
    assert "Cannot register plugin `broken_register`" in result.stderr
    assert not (tmp_path / "output" / "index.html").exists()


def test_the_site_builds_with_every_plugin(tmp_path: Path) -> None:
    result = build(tmp_path, SITE_PLUGINS)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "index.html").is_file()
