"""Attacker pages (tests/fixtures/hostile/pages/) through `make import` from a server on
127.0.0.1, then `make check` and a Pelican build with the site's settings (issue 20).

Nothing in the Markdown written may be active, and nothing in the built site may run:
no script but the theme's, no on* attribute, no javascript:/vbscript:/data: address, no
meta refresh, <base>, <iframe> or form other than the theme's search box.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import markdown
import pytest
from lxml import html as lxml_html

from support import ROOT, run_pelican
from support.import_server import HOSTILE_PAGES, import_server
from tdbvantq.check import check_paths
from tdbvantq.importer.writer import SLUG_MAX

PAGES = sorted(path.name for path in HOSTILE_PAGES.glob("import-*.html"))
# Pages that are not one article: refused, with the URL named.
REFUSED = {"import-list-page.html": "không phải trang bài viết"}
ARTICLES = [name for name in PAGES if name not in REFUSED]
LONG_HEADLINE = "import-long-headline.html"

# What the importer's Markdown may render to: the body's structure, links and its own figures.
ALLOWED_TAGS = {
    "p",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "blockquote",
    "strong",
    "em",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "img",
    "figcaption",
    "br",
    "div",
}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}, "th": {"style"}, "td": {"style"}}
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "formaction",
    "srcset",
    "poster",
    "data",
    "xlink:href",
    "background",
    "cite",
    "longdesc",
    "content",
)
BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|livescript|data)\s*:", re.IGNORECASE)
# Text of the pages that must still be read as text (escaped, not dropped).
KEPT_TEXT = {
    "import-attr-list.html": ['{: onfocus="alert(6)" autofocus }', "{onclick=alert(7)}"],
    "import-markdown-text.html": [
        "[r]: javascript:alert('reference')",
        "<script>alert('text')</script>",
        "<javascript:alert('autolink')>",
        "&#106;avascript:alert(1)",
    ],
}


@dataclass
class Imported:
    content: Path
    run: subprocess.CompletedProcess
    records: dict[str, dict]  # page name -> the importer's --json record


def page_name(source: str) -> str:
    return source.rsplit("/", 1)[-1]


def content_folder(path: Path) -> Path:
    """A content folder with the project's model catalogue and data, and no article."""
    shutil.copytree(ROOT / "content" / "models", path / "models")
    shutil.copytree(ROOT / "content" / "data", path / "data")
    return path


@pytest.fixture(scope="module")
def server():
    with import_server() as state:
        yield state


@pytest.fixture(scope="module")
def imported(server, tmp_path_factory: pytest.TempPathFactory) -> Imported:
    content = content_folder(tmp_path_factory.mktemp("hostile") / "content")
    sources = " ".join(f"{server.base}/hostile/{name}" for name in ARTICLES)
    run = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "import",
            f"SRC={sources}",
            f"CONTENT={content}",
            "PUBLISH=1",
            "IMPORTOPTS=--json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    records = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    return Imported(content, run, {page_name(r["source"]): r for r in records})


@pytest.fixture(scope="module")
def built(imported: Imported, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile-site")
    result = run_pelican(
        imported.content, base / "output", extra={"SEARCH_INDEX_DIR": str(base / "index")}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return base / "output"


def written(imported: Imported, name: str) -> Path:
    return Path(imported.records[name]["path"])


def split_file(text: str) -> tuple[list[str], str]:
    header, _, body = text.partition("\n\n")
    return header.splitlines(), body


def render(text: str) -> str:
    """Markdown as Pelican renders it with the site's settings (the `extra` extension)."""
    from pelican.settings import read_settings

    settings = dict(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])
    # As Pelican's reader does: every configured extension is loaded.
    extensions = [*settings.pop("extensions", []), *settings.get("extension_configs", {})]
    return markdown.Markdown(extensions=extensions, **settings).convert(text)


def test_make_import_imports_every_article_page(imported: Imported) -> None:
    assert imported.run.returncode == 0, imported.run.stderr
    assert "Traceback" not in imported.run.stderr
    assert sorted(imported.records) == ARTICLES
    assert {r["status"] for r in imported.records.values()} == {"created"}
    assert not any(r["draft"] for r in imported.records.values())  # PUBLISH=1


def test_a_page_that_is_not_an_article_is_refused_naming_its_url(server, tmp_path: Path) -> None:
    for name, reason in REFUSED.items():
        url = f"{server.base}/hostile/{name}"
        result = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "import_news.py"),
                "--content",
                str(tmp_path),
                url,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert f"lỗi: {url}: {reason}" in result.stderr
        assert not (tmp_path / "articles").exists()


@pytest.mark.parametrize("name", ARTICLES)
def test_header_is_one_field_a_line_and_addresses_are_http(imported: Imported, name: str) -> None:
    header, _ = split_file(written(imported, name).read_text("utf-8"))
    keys = [line.split(": ", 1)[0] for line in header]
    assert all(re.fullmatch(r"[A-Z][A-Za-z_]*: \S.*", line) for line in header), header
    assert len(keys) == len(set(keys)), keys  # a newline in a value never starts a field
    fields = dict(line.split(": ", 1) for line in header)
    assert re.match(r"https?://[^\s<>\"']+$", fields.get("Source", "https://x")), fields
    assert fields.get("Image", "{static}/images/").startswith("{static}/images/")
    for key, value in fields.items():
        assert not re.search(r"[<>\x00-\x1f\x7f]", value), (key, value)
        assert not re.search(r"(javascript|vbscript)\s*:", value, re.IGNORECASE), (key, value)


@pytest.mark.parametrize("name", ARTICLES)
def test_markdown_renders_to_nothing_active(imported: Imported, name: str) -> None:
    header, body = split_file(written(imported, name).read_text("utf-8"))
    summary = next((line.split(": ", 1)[1] for line in header if line.startswith("Summary: ")), "")
    for source in (body, summary):
        rendered = render(source)
        tree = lxml_html.fragment_fromstring(rendered, create_parent="div")
        for element in tree.iter():
            if element is tree or not isinstance(element.tag, str):
                continue
            assert element.tag in ALLOWED_TAGS, (element.tag, rendered)
            extra = set(element.attrib) - ALLOWED_ATTRIBUTES.get(element.tag, set())
            assert not extra, (element.tag, extra, rendered)
            href = element.get("href")
            if href is not None:
                assert re.match(r"(https?://|mailto:|tel:|/|[^:]*$)", html.unescape(href)), href
            if element.tag == "img":
                assert element.get("src").startswith("{static}/images/"), element.get("src")
            if element.tag == "th" or element.tag == "td":
                assert re.fullmatch(
                    r"(text-align: (left|right|center);?)?", element.get("style") or ""
                )
    text = lxml_html.fragment_fromstring(render(body), create_parent="div").text_content()
    for kept in KEPT_TEXT.get(name, []):
        assert kept in text, kept


def test_make_check_finds_no_active_markup(imported: Imported) -> None:
    report = check_paths([imported.content])
    unsafe = [p for p in report.problems if p.code == "unsafe-html"]
    assert unsafe == [], unsafe
    result = subprocess.run(
        ["make", "--no-print-directory", "check", f"CONTENT={imported.content}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in result.stderr
    for problem in report.problems:  # make check prints the same problems
        assert f":{problem.line}: {problem.message}" in result.stdout + result.stderr


def _bad_url(value: str) -> bool:
    value = re.sub(r"[\x00-\x20]", "", unquote(html.unescape(value)))
    return any(BAD_SCHEME.match(part.strip()) for part in re.split(r",\s*|\s+\d+[wx]\b", value))


def _theme_script(element, theme_inline: set[str]) -> bool:
    if element.get("src"):
        return re.match(r"^(\./|/|(\.\./)+)?theme/js/[\w.-]+\.js$", element.get("src")) is not None
    if element.get("type") == "application/ld+json":
        text = element.text or ""
        json.loads(text)  # data, never code
        return "<" not in text
    return " ".join((element.text or "").split()) in theme_inline


def _theme_inline_scripts(output: Path) -> set[str]:
    """Inline scripts of the theme, as built (the share links' script of _share.html)."""
    found = set()
    template = (ROOT / "theme" / "templates" / "_share.html").read_text("utf-8")
    for page in output.rglob("*.html"):
        for script in lxml_html.parse(str(page)).getroot().iter("script"):
            if not script.get("src") and script.get("type") == "module":
                found.add(" ".join((script.text or "").split()))
    return {text for text in found if text and (text.split()[0] in template)}


def _active(root, where, theme_inline: set[str]) -> list[tuple]:
    """Everything in the tree under `root` that could run or navigate."""
    problems: list[tuple] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and not _theme_script(element, theme_inline):
            problems.append((where, "script", lxml_html.tostring(element)[:200]))
        if tag in ("iframe", "frame", "object", "embed", "base", "applet", "svg", "math"):
            problems.append((where, tag))
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            problems.append((where, "meta refresh"))
        if tag == "form" and not (element.get("action") or "").endswith("/search.html"):
            problems.append((where, "form", element.get("action")))
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append((where, tag, name))
            named = (element.get("property") or element.get("name") or "").lower()
            address = tag != "meta" or element.get("http-equiv") or named.endswith(("url", "image"))
            if name.lower() in URL_ATTRIBUTES and address and _bad_url(value):
                problems.append((where, tag, name, value))
    return problems


def test_built_site_has_nothing_active(imported: Imported, built: Path) -> None:
    # admin/ is the editors' desk (Decap CMS's own scripts), not a page made from content.
    pages = sorted(p for p in built.rglob("*.html") if p.relative_to(built).parts[0] != "admin")
    theme_inline = _theme_inline_scripts(built)
    assert any("share-links" in text for text in theme_inline)
    stories = [p for p in pages if re.match(r"\d{4}/", str(p.relative_to(built)))]
    assert len(stories) == len(ARTICLES)
    problems = []
    for page in pages:
        problems += _active(
            lxml_html.parse(str(page)).getroot(), page.relative_to(built), theme_inline
        )
    assert problems == []


def test_feeds_carry_nothing_active(imported: Imported, built: Path) -> None:
    from lxml import etree

    feeds = sorted(built.rglob("*.xml"))
    assert any(feed.name == "all.atom.xml" for feed in feeds)
    problems, entries = [], 0
    for feed in feeds:
        for element in etree.parse(str(feed)).iter():
            if (
                isinstance(element.tag, str)
                and element.tag.rsplit("}", 1)[-1] in ("content", "summary", "description", "title")
                and (element.text or "").strip()
            ):
                entries += 1
                fragment = lxml_html.fragment_fromstring(element.text, create_parent="div")
                problems += _active(fragment, feed.relative_to(built), set())
            for name, value in element.attrib.items():
                if name in ("href", "src") and _bad_url(value):
                    problems.append((feed.relative_to(built), name, value))
    assert entries >= len(ARTICLES) and problems == []


def test_hostile_text_is_shown_as_text_on_the_story(imported: Imported, built: Path) -> None:
    path = written(imported, "import-attr-list.html")
    story = built / "2024" / path.stem / "index.html"
    body = lxml_html.parse(str(story)).getroot()
    text = body.text_content()
    assert '{: onfocus="alert(6)" autofocus }' in text
    assert not body.xpath("//*[@autofocus or @onfocus or @onmouseover or @onclick]")


def test_a_long_headline_is_imported_with_a_short_slug(imported: Imported, built: Path) -> None:
    path = written(imported, LONG_HEADLINE)
    header, _ = split_file(path.read_text("utf-8"))
    fields = dict(line.split(": ", 1) for line in header)
    assert len(fields["Title"]) >= 600  # the whole headline is kept
    assert len(path.stem) <= SLUG_MAX and fields["Slug"] == path.stem
    assert not path.stem.endswith("-") and fields["Title"].startswith("Công an phường phối hợp")
    # Cut at a word boundary: every word of the slug is a whole word of the headline.
    assert (
        path.stem
        == "cong-an-phuong-phoi-hop-voi-to-dan-pho-va-cac-doan-the-ra-mat-mo-hinh-tu-quan-ve"
    )
    assert (built / "2024" / path.stem / "index.html").is_file()


def test_a_saved_page_with_only_script_addresses_gets_no_source(tmp_path: Path) -> None:
    """A saved page has no fetched URL: its javascript: canonical and og:url give no Source."""
    content = content_folder(tmp_path / "content")
    page = HOSTILE_PAGES / "import-canonical-js.html"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "import_news.py"),
            "--content",
            str(content),
            "--json",
            str(page),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    header, body = split_file(Path(record["path"]).read_text("utf-8"))
    assert not [line for line in header if line.startswith("Source:")]
    assert "Status: draft" in header  # and, without --publish, a draft
    assert "javascript" not in "\n".join(header) + body


def test_a_hostile_text_copy_is_text(tmp_path: Path) -> None:
    """A page copied from a browser (.txt) goes through the same escaping."""
    content = content_folder(tmp_path / "content")
    copy = tmp_path / "copy.txt"
    copy.write_text(
        "Thứ Năm, 03/08/2023 08:57\n"
        'Tổ tự quản {: onfocus="alert(1)" autofocus } giữ bình yên khu phố\n'
        "TTH - Sapo [bấm](javascript:alert(1)) <img src=x onerror=alert(1)> của bài.\n"
        "[r]: javascript:alert('reference')\n"
        "<script>alert(1)</script> Tổ tự quản của khu phố họp mỗi tháng một lần để bàn việc giữ "
        'gìn trật tự, phân công người trực đêm. {: onclick="alert(2)" }\n'
        "1. Không phải danh sách <javascript:alert(3)> và &#106;avascript:alert(4).\n",
        "utf-8",
    )
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "import_news.py"),
            "--content",
            str(content),
            "--json",
            "--publish",
            str(copy),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    header, body = split_file(Path(json.loads(result.stdout)["path"]).read_text("utf-8"))
    summary = next(line.split(": ", 1)[1] for line in header if line.startswith("Summary: "))
    for source in (body, summary):
        tree = lxml_html.fragment_fromstring(render(source), create_parent="div")
        assert {element.tag for element in tree.iter()} <= {"div", "p"}, render(source)
        assert all(not element.attrib for element in tree.iter())
    text = lxml_html.fragment_fromstring(render(body), create_parent="div").text_content()
    assert "[r]: javascript:alert('reference')" in text and '{: onclick="alert(2)" }' in text
    assert not [p for p in check_paths([content]).problems if p.code == "unsafe-html"]
