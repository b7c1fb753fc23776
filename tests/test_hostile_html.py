"""Issue 20, area `html`: hostile markup in articles, pages, summaries, Source/Image and
model files, built through Pelican with the site's settings.

The cases are tests/fixtures/hostile/content/**/html-*.md; the lines each must be
reported at are tests/fixtures/hostile/expected/html.json. A strict build fails naming
exactly those file:line pairs (also when the files come from the reader cache),
`make check` names the same ones, and a lenient build (STRICT_CONTENT=False) publishes
nothing active in pages, feeds or search data. Chromium loads the model directory
whose model is named `<!--<script>`: its list is still there.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from safe_html.policy import url_verdict
from safe_html.sources import render_markdown, site_settings
from sitebench.browser import serve_directory
from support import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXPECTED: dict[str, list[int]] = json.loads((HOSTILE / "expected" / "html.json").read_text("utf-8"))
ENV = {**os.environ, "COLUMNS": "500"}


def copy_corpus(target: Path) -> Path:
    """The html-* cases alone (other areas' cases stop the build in their own ways)."""
    for path in sorted((HOSTILE / "content").rglob("html-*")):
        if path.is_file():
            destination = target / path.relative_to(HOSTILE / "content")
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, destination)
    return target


def build(content: Path, output: Path, base: Path, **extra: object) -> subprocess.CompletedProcess:
    settings = {"SEARCH_INDEX_DIR": str(base / "index"), "CACHE_PATH": str(base / "cache"), **extra}
    cmd = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        str(content),
        "-o",
        str(output),
        "-s",
        str(ROOT / "pelicanconf.py"),
        "-v",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in settings.items()),
    ]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, env=ENV)


def reported(log: str, content: Path) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for path, line in re.findall(r"(\S+?\.md):(\d+): ", log):
        try:
            relative = Path(path).resolve().relative_to(content.resolve()).as_posix()
        except ValueError:
            continue
        found.setdefault(relative, set()).add(int(line))
    return found


def expected() -> dict[str, set[int]]:
    return {path: set(lines) for path, lines in EXPECTED.items()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_corpus(tmp_path_factory.mktemp("hostile-html") / "content")


def test_every_case_file_is_listed() -> None:
    on_disk = {
        p.relative_to(HOSTILE / "content").as_posix()
        for p in (HOSTILE / "content").rglob("html-*.md")
    }
    assert on_disk == set(EXPECTED) and all(EXPECTED.values())


def test_strict_build_names_each_file_and_line_also_from_the_cache(
    corpus: Path, tmp_path: Path
) -> None:
    entries = []
    for attempt in ("read", "cached"):
        result = build(corpus, tmp_path / "output", tmp_path)
        log = result.stdout + result.stderr
        assert result.returncode == 1, log
        assert "Traceback" not in log
        assert reported(log, corpus) == expected(), (attempt, log)
        assert not (tmp_path / "output").exists()
        entries.append(sorted(p.name for p in (tmp_path / "cache" / "readers").glob("*.pickle")))
    # One entry per article and page, written by the first build and only read by the second.
    assert len(entries[0]) == sum(1 for path in EXPECTED if not path.startswith("models/"))
    assert entries[1] == entries[0]


def test_check_reports_the_same_lines(corpus: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "check_content.py"),
            "--content",
            str(corpus),
            str(corpus),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    errors = result.stdout.split("CẢNH BÁO")[0]
    assert reported(errors, corpus) == expected(), result.stdout


# --- a lenient build publishes only clean HTML -----------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "poster",
    "cite",
    "background",
    "xlink:href",
    "ping",
}
SHARE_SCRIPT = (ROOT / "theme" / "templates" / "_share.html").read_text("utf-8")
SEARCH_TEMPLATE = (ROOT / "theme" / "templates" / "search.html").read_text("utf-8")


def _theme_inline_scripts() -> list[re.Pattern[str]]:
    """The theme's own inline module scripts (e.g. the story's highlight loader), each as a
    pattern in which a Jinja expression (an address) stands for any text without markup."""
    patterns = []
    for template in (ROOT / "theme" / "templates").rglob("*.html"):
        for body in re.findall(
            r'<script type="module">(.*?)</script>', template.read_text("utf-8"), re.S
        ):
            parts = re.split(r"\{\{.*?\}\}", body.strip())
            patterns.append(re.compile("[^<>\"']*".join(re.escape(part) for part in parts)))
    return patterns


THEME_INLINE_SCRIPTS = _theme_inline_scripts()


class ActiveMarkup(HTMLParser):
    """Anything on a page that runs code, leaves the page or loads another one, except
    the theme's own search form, share script, search styles and JSON-LD."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.open: tuple[str, dict[str, str]] | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name.startswith("on") or name in {"formaction", "srcdoc", "style", "autofocus"}:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES:
                urls = (
                    [part.split()[0] for part in value.split(",") if part.strip()]
                    if name == "srcset"
                    else [value]
                )
                if any(url_verdict(url) for url in urls):
                    self.found.append(f"<{tag} {name}={value!r}>")
        if tag in {
            "iframe",
            "frame",
            "object",
            "embed",
            "applet",
            "base",
            "svg",
            "math",
            "template",
        }:
            self.found.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in values:
            self.found.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "form" and not values.get("action", "").endswith("search.html"):
            self.found.append(f"<form action={values.get('action')!r}>")
        if tag in {"script", "style"}:
            self.open, self.text = (tag, values), ""

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text += data

    def handle_endtag(self, tag: str) -> None:
        if not self.open or tag != self.open[0]:
            return
        kind, values = self.open
        self.open = None
        text = self.text.strip()
        if kind == "style" and text in SEARCH_TEMPLATE:
            return
        if kind == "script" and values.get("type") == "application/ld+json":
            json.loads(text)  # a JSON-LD block that ended early would not parse
            if "<" not in text:
                return
        if (
            kind == "script"
            and values.get("type") == "module"
            and (
                values.get("src", "").endswith(".js")
                and "/theme/" in values.get("src", "")
                or text
                and text in SHARE_SCRIPT
                or any(pattern.fullmatch(text) for pattern in THEME_INLINE_SCRIPTS)
            )
        ):
            return
        self.found.append(f"<{kind} {values}>{text[:80]}")


def active_markup(html: str) -> list[str]:
    parser = ActiveMarkup()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.fixture(scope="module")
def lenient(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("lenient")
    result = build(corpus, base / "output", base, STRICT_CONTENT=False)
    assert result.returncode == 0, result.stderr
    # The problems are still reported, at the same lines.
    assert reported(result.stdout + result.stderr, corpus) == expected()
    return base


def test_scanner_finds_what_the_corpus_holds(corpus: Path) -> None:
    """The scanner can fail: on the corpus as Markdown renders it (and as the theme would
    print its Source and Image) without the sanitizer, it finds every kind."""
    settings = site_settings(ROOT / "pelicanconf.py")
    rendered = []
    for path in sorted(corpus.rglob("*.md")):
        html, metadata = render_markdown(path.read_text("utf-8"), settings, path)
        rendered += [html, *(str(value) for value in metadata.values())]
        if "source" in metadata:
            rendered.append(f'<a href="{metadata["source"]}">{metadata["source"]}</a>')
        if "image" in metadata:
            rendered.append(f'<img src="{metadata["image"]}">')
    found = " ".join(active_markup("\n".join(rendered)))
    for needle in (
        "onerror",
        "<script",
        "<iframe>",
        "<svg>",
        "<math>",
        "<base>",
        "http-equiv",
        "formaction",
        "style=",
        "<style",
        "javascript",
        "vbscript",
        "data:",
        "autofocus",
    ):
        assert needle in found.lower(), needle


def test_lenient_build_publishes_nothing_active(lenient: Path) -> None:
    output = lenient / "output"
    # admin/ is the editors' desk (Decap CMS's own scripts), not a page made from content.
    pages = sorted(p for p in output.rglob("*.html") if p.relative_to(output).parts[0] != "admin")
    assert len(pages) > 20
    for page in pages:
        assert active_markup(page.read_text("utf-8")) == [], page
    story = (output / "2024" / "html-attr-list-onerror" / "index.html").read_text("utf-8")
    assert 'src="/x.png"' in story and "Ảnh minh họa." in story
    source = (output / "2024" / "html-source-image" / "index.html").read_text("utf-8")
    assert "Nguồn:" not in source and "data:image" not in source


def test_lenient_feeds_carry_only_clean_html(lenient: Path) -> None:
    feeds = sorted((lenient / "output" / "feeds").glob("*.xml"))
    assert feeds
    bodies = 0
    for feed in feeds:
        for element in ET.parse(feed).iter():
            if (
                element.tag.rsplit("}", 1)[-1] in {"content", "summary", "description"}
                and element.text
            ):
                bodies += 1
                assert active_markup(element.text) == [], (feed, element.text[:200])
    assert bodies >= 15


def test_lenient_search_data_holds_no_script(lenient: Path) -> None:
    exported = [
        gzip.decompress(p.read_bytes()).decode("utf-8")
        if p.suffix == ".gz"
        else p.read_text("utf-8")
        for p in sorted((lenient / "output" / "search").rglob("*"))
        if p.is_file()
    ]
    assert exported and not any("alert(" in text for text in exported)
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(lenient / "index"),
            "--json",
            "alert",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"] == []
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(lenient / "index"),
            "--json",
            "ảnh minh họa",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "html-attr-list-onerror" in result.stdout  # the index is there and holds the stories


def test_model_named_like_a_comment_keeps_the_directory(lenient: Path, browser) -> None:
    """A model named `<!--<script>` once blanked /mo-hinh/ (its JSON-LD escaped only `</`)."""
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_directory(lenient / "output") as url:
        page.goto(f"{url}/mo-hinh/")
        entry = page.locator(".model-entry-name")
        assert entry.count() == 1 and entry.first.is_visible()
        assert entry.first.inner_text() == "Mô hình <!--<script> thử"
        assert page.locator("footer").first.is_visible()  # the rest of the page is there
        ld = page.locator('script[type="application/ld+json"]').first.text_content()
        assert json.loads(ld)["hasDefinedTerm"][0]["name"] == "Mô hình <!--<script> thử"
        page.goto(f"{url}/mo-hinh/html-model-script/")
        assert page.locator("h1").inner_text() == "Mô hình <!--<script> thử"
        assert page.locator(".story-body, .model-page").first.is_visible()
    context.close()
    assert dialogs == []
