"""plugins/minify_assets: esbuild minifies the built site's JavaScript and CSS without changing what they do.

Runs the real esbuild from node_modules (installed by `npm ci`, which `make test` runs)
and checks the minified code in node against the readable sources.
"""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pytest

from minify_assets import MinifyError, minify_output
from minify_assets.plugin import SETTINGS, minify_cached
from support import ROOT

ESBUILD = SETTINGS.defaults["ESBUILD"]
THEME_JS = ROOT / "theme" / "static" / "js"


@pytest.fixture(scope="module", autouse=True)
def esbuild_installed() -> None:
    if not Path(ESBUILD).exists():
        pytest.fail(f"{ESBUILD} is missing: run `npm ci` (make test does)")


def run_node(script: str, cwd: Path) -> object:
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def test_bundle_and_modules_behave_like_the_sources(tmp_path):
    files = {
        "js/lib.js": (
            "// a comment that must go\n"
            "export const GREETING = `xin chào`;\n"
            "export function greet(name, times = 2) {\n"
            "  const parts = [];\n"
            "  for (let i = 0; i < times; i++) parts.push(`${GREETING}, ${name}! \\u0300 ${i}`);\n"
            "  return parts.join(' / ').replace(/\\p{L}+/gu, (w) => w.toUpperCase());\n"
            "}\n"
        ),
        "js/main.js": (
            "import { greet } from './lib.js';\n"
            "export const answer = greet('Huế') + ' ' + `dòng\\nmới`;\n"
        ),
    }
    write(tmp_path / "src", files)
    write(tmp_path / "out", files)
    written = minify_output(tmp_path / "out", ["js/main.js"], ESBUILD, "es2020")
    assert sorted(p.name for p in written) == ["lib.js", "main.js"]
    bundle = (tmp_path / "out" / "js" / "main.js").read_text(encoding="utf-8")
    assert "import" not in bundle and "comment" not in bundle
    assert len(bundle) < len(files["js/lib.js"]) + len(files["js/main.js"])
    script = (
        "const a = await import('./src/js/main.js'); const b = await import('./out/js/main.js');"
        " const c = await import('./src/js/lib.js'); const d = await import('./out/js/lib.js');"
        " console.log(JSON.stringify([a.answer, b.answer, c.greet('Đà Nẵng', 3),"
        " d.greet('Đà Nẵng', 3)]));"
    )
    source_answer, minified_answer, source_greet, minified_greet = run_node(script, tmp_path)
    assert source_answer == minified_answer and "XIN CHÀO, HUẾ!" in minified_answer
    assert source_greet == minified_greet


def test_the_themes_modules_give_the_same_answers_minified(tmp_path):
    out = tmp_path / "theme"
    write(out, {f"js/{p.name}": p.read_text(encoding="utf-8") for p in THEME_JS.glob("*.js")})
    minify_output(out, ["js/search.js"], ESBUILD, "es2020")
    vectors = json.loads((ROOT / "tests" / "vectors" / "vntext.json").read_text(encoding="utf-8"))
    inputs = [case["input"] for case in vectors["normalize"]] + ["Uỷ ban hoà giải ĐÀ NẴNG 2023"]
    script = (
        f"const inputs = {json.dumps(inputs, ensure_ascii=False)};"
        f" const src = await import('{THEME_JS.as_uri()}/vntext.js');"
        " const min = await import('./theme/js/vntext.js');"
        " const run = (m) => inputs.map((t) => [m.normalize(t), m.fold(t),"
        " m.tokenize(t).map((k) => [k.start, k.end, k.norm, k.folded])]);"
        " console.log(JSON.stringify([run(src), run(min)]));"
    )
    source, minified = run_node(script, tmp_path)
    assert source == minified


def test_a_syntax_error_names_the_file_and_changes_nothing(tmp_path):
    good = "export const ok = 1;\n"
    write(tmp_path, {"js/search.js": good, "js/broken.js": "export const = ;\n"})
    with pytest.raises(MinifyError, match=r"broken\.js"):
        minify_output(tmp_path, ["js/search.js"], ESBUILD, "es2020")
    assert (tmp_path / "js" / "search.js").read_text(encoding="utf-8") == good


def test_missing_esbuild_or_entry_is_a_clear_error(tmp_path):
    write(tmp_path, {"js/search.js": "export const ok = 1;\n"})
    with pytest.raises(MinifyError, match="npm ci"):
        minify_output(tmp_path, ["js/search.js"], str(tmp_path / "no-esbuild"), "es2020")
    with pytest.raises(MinifyError, match=r"js/other\.js not found"):
        minify_output(tmp_path, ["js/other.js"], ESBUILD, "es2020")


def test_the_built_site_ships_minified_javascript(built_site):
    built = built_site.output / "theme" / "js"
    # The search page's script and the story page's query highlight (pelicanconf.py).
    bundles = ("search.js", "story-highlight.js")
    for bundle in bundles:
        text = (built / bundle).read_text(encoding="utf-8")
        assert 'from"./' not in text and 'from "./' not in text, bundle  # one file, no imports
    sources = {p.name: p.stat().st_size for p in THEME_JS.glob("*.js")}
    # A bundle holds its entry and every module it imports; the rest are minified alone.
    for bundle in bundles:
        assert (built / bundle).stat().st_size < 0.7 * sum(sources.values()), bundle
    for name, size in sources.items():
        if name not in bundles:
            assert (built / name).stat().st_size < 0.7 * size, name
    assert "modulepreload" not in (built_site.output / "search.html").read_text(encoding="utf-8")


def test_css_is_minified_and_keeps_its_rules(tmp_path):
    css = (
        "/* comment */\n:root { --bg: #fff; }\n@media (prefers-color-scheme: dark) {\n"
        "  :root { --bg: #121212; }\n}\n@media print {\n  @page { margin: 1cm; }\n"
        "  .site-header { display: none !important; }\n}\n"
        ".menu::details-content { content-visibility: visible; }\n"
    )
    write(tmp_path, {"css/site.css": css})
    minify_output(tmp_path, [], ESBUILD, "es2020")
    out = (tmp_path / "css" / "site.css").read_text(encoding="utf-8")
    assert "comment" not in out and len(out) < len(css) * 0.8
    for kept in (
        "prefers-color-scheme:dark",
        "--bg: #121212",
        "@page{margin:1cm}",
        ".site-header{display:none!important}",
        "::details-content",
    ):
        assert kept in out, kept


def test_a_build_without_esbuild_stops_with_one_line(tmp_path):
    """Pelican run directly without `npm ci`: the fix in one line, no traceback."""
    from support import run_pelican

    result = run_pelican(
        ROOT / "content",
        tmp_path / "output",
        extra={
            "ESBUILD": str(tmp_path / "no-esbuild"),
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        },
    )
    log = result.stdout + result.stderr  # Pelican's own log handler writes to stdout
    assert result.returncode == 1
    assert f"esbuild not found at {tmp_path / 'no-esbuild'}: run `npm ci`" in log
    assert "Traceback" not in log


def test_kept_output_is_the_same_bytes_and_follows_its_inputs(tmp_path):
    """esbuild's output kept in the build cache: a second build writes the same bytes
    without esbuild (a marker in the cache proves it is read); a changed module, a
    changed option or a missing esbuild make it again or fail as before."""
    files = {
        "js/lib.js": "export const a = 1 + 2;\n",
        "js/main.js": "import { a } from './lib.js';\nexport const b = a * 2;\n",
        "css/site.css": "a  {  color : red ; }\n",
    }
    cache = tmp_path / "cache"
    for name in ("plain", "first", "second"):
        write(tmp_path / name, files)
    minify_output(tmp_path / "plain", ["js/main.js"], ESBUILD, "es2020")
    minify_cached(tmp_path / "first", ["js/main.js"], ESBUILD, "es2020", cache)
    for name in files:
        expected = (tmp_path / "plain" / name).read_bytes()
        assert (tmp_path / "first" / name).read_bytes() == expected, name
    [kept] = cache.iterdir()
    marked = pickle.loads(kept.read_bytes())
    marked["js/lib.js"] = b"/* from the cache */"
    kept.write_bytes(pickle.dumps(marked))
    minify_cached(tmp_path / "second", ["js/main.js"], ESBUILD, "es2020", cache)
    assert (tmp_path / "second" / "js" / "lib.js").read_bytes() == b"/* from the cache */"
    # Another module's text, or another target: made again, and the old entry goes.
    write(tmp_path / "third", {**files, "js/lib.js": "export const a = 5;\n"})
    minify_cached(tmp_path / "third", ["js/main.js"], ESBUILD, "es2020", cache)
    assert b"10" in (tmp_path / "third" / "js" / "main.js").read_bytes()
    assert len(list(cache.iterdir())) == 1 and not kept.exists()
    write(tmp_path / "fourth", files)
    minify_cached(tmp_path / "fourth", ["js/main.js"], ESBUILD, "es2015", cache)
    assert (tmp_path / "fourth" / "js" / "lib.js").read_bytes() != b"/* from the cache */"
    with pytest.raises(MinifyError, match="npm ci"):
        minify_cached(tmp_path / "fourth", ["js/main.js"], str(tmp_path / "none"), "es2020", cache)
