"""plugins/safe_html: the allowlist, the audit that explains it, the restricted attribute
lists, Source/Image values and the JSON-LD serializer, on the XSS cheat-sheet forms.

Markdown is rendered by Pelican's own reader with the site's settings (pelicanconf.py),
as the build and `make check` render it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safe_html.audit import removals_between, sanitize
from safe_html.jsonld import script_json
from safe_html.policy import Policy, url_verdict
from safe_html.sources import (
    audit_markdown,
    audit_model_source,
    link_field_problem,
    render_markdown,
    site_policy,
    site_settings,
)
from support import ROOT

SETTINGS = site_settings(ROOT / "pelicanconf.py")
POLICY = Policy()
HEADER = (
    "Title: Bài thử\nDate: 2024-01-01 08:00+07:00\nSummary: Sapo của bài thử.\n\nĐoạn mở đầu.\n\n"
)
BODY_LINE = HEADER.count("\n") + 1  # the line of the first line appended to HEADER


def findings(body: str) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in audit_markdown(HEADER + body + "\n", SETTINGS)]


def rendered_clean(body: str) -> str:
    html, _ = render_markdown(HEADER + body + "\n", SETTINGS)
    return site_policy(SETTINGS).clean(html)


# --- URLs, judged after decoding --------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \x01javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "java\x00script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<b>x</b>",
        "livescript:x",
        "java\ufffdscript:alert(1)",
        "jav&#x61;script:x".replace("&#x61;", "a"),
    ],
)
def test_url_verdict_refuses_scripts_and_unknown_schemes(url: str) -> None:
    assert url_verdict(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://baochinhphu.vn/x",
        "http://a.vn",
        "mailto:toa-soan@example.vn",
        "tel:+84123",
        "/2023/bai/",
        "../anh.jpg",
        "#fn:1",
        "?q=1",
        "{static}/images/a.jpg",
        "{filename}/models/x.md",
        "{attach}a.pdf",
        "{tag}an-ninh",
        "{category}tin-tuc",
        "{author}ban-bien-tap",
        "{index}",
        "/a:b",
    ],
)
def test_url_verdict_accepts_web_mail_phone_and_site_links(url: str) -> None:
    assert url_verdict(url) is None


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="&#x6A;avascript:alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="java&#x0A;script:alert(1)">x</a>',
        '<a href="javascript&colon;alert(1)">x</a>',
        '<a href="JAVASCRIPT:alert(1)">x</a>',
        '<a href="\x00javascript:alert(1)">x</a>',
        '<a href="java\x00script:alert(1)">x</a>',
        '<a href="  javascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<img src="/a.png" srcset="javascript:alert(1) 1x, /b.png 2x">',
        '<blockquote cite="javascript:alert(1)">x</blockquote>',
    ],
)
def test_no_script_url_survives(markup: str) -> None:
    clean, removed = sanitize(markup, POLICY)
    assert "script:" not in clean.lower() and "data:" not in clean
    assert [r.kind for r in removed] == ["url"], removed


# --- tags and attributes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "tag"),
    [
        ("<script>alert(1)</script>", "script"),
        ("<ScRiPt>alert(1)</sCrIpT>", "script"),
        ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "script"),
        ('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', "meta"),
        ('<base href="https://evil.example/">', "base"),
        ('<link rel="stylesheet" href="https://evil.example/x.css">', "link"),
        ("<style>body{background:url(javascript:alert(1))}</style>", "style"),
        ('<form action="https://evil.example/"><p>x</p></form>', "form"),
        ('<object data="https://evil.example/x.swf"></object>', "object"),
        ('<embed src="https://evil.example/x.swf">', "embed"),
        ('<iframe src="https://evil.example/"></iframe>', "iframe"),
        ("<svg onload=alert(1)><circle r=1 /></svg>", "svg"),
        ("<math><mi>x</mi></math>", "math"),
        ('<input autofocus onfocus="alert(1)">', "input"),
        ("<template><img src=x onerror=alert(1)></template>", "template"),
    ],
)
def test_active_tags_are_removed_and_named(markup: str, tag: str) -> None:
    clean, removed = sanitize(f"<p>Trước.</p>{markup}<p>Sau.</p>", POLICY)
    assert f"<{tag}" not in clean.lower() and "alert" not in clean
    assert "Trước." in clean and "Sau." in clean
    assert removed and removed[0].kind == "tag" and removed[0].tag == tag


@pytest.mark.parametrize(
    ("markup", "attribute"),
    [
        ('<img src="x" onerror="alert(1)">', "onerror"),
        ("<img src=x ONERROR=alert(1)>", "onerror"),
        ('<p onmouseover="alert(1)">x</p>', "onmouseover"),
        ('<img src="x" alt=\'"\' onerror="alert(1)">', "onerror"),
        ('<p style="width: expression(alert(1))">x</p>', "style"),
        ('<button formaction="javascript:alert(1)">x</button>', None),
        ('<a href="/x" target="_blank">x</a>', "target"),
    ],
)
def test_attributes_outside_the_allowlist_are_removed(markup: str, attribute: str | None) -> None:
    clean, removed = sanitize(markup, POLICY)
    assert "alert" not in clean and "style=" not in clean and "target" not in clean
    if attribute:
        assert any(r.kind == "attribute" and r.name == attribute for r in removed), removed
    else:
        assert removed


def test_trusted_iframe_hosts_only_over_https() -> None:
    trusted = Policy(["www.youtube-nocookie.com"])
    good = '<iframe src="https://www.youtube-nocookie.com/embed/x" allowfullscreen=""></iframe>'
    assert trusted.clean(good) == good
    for src in (
        "http://www.youtube-nocookie.com/embed/x",
        "https://evil.example/x",
        "https://www.youtube-nocookie.com.evil.example/x",
        "javascript:alert(1)",
        "https://evil.example\\@www.youtube-nocookie.com/",
    ):
        clean, removed = sanitize(f'<iframe src="{src}"></iframe>', trusted)
        assert (
            "src=" not in clean
            and removed
            and removed[0].message.startswith("Có thẻ HTML <iframe>")
        )


def test_story_markup_passes_unchanged() -> None:
    story = (
        '<h2 id="muc-1">Mục</h2>\n<p>Chữ <strong>đậm</strong>, <em>nghiêng</em>, <a href="https://a.vn/x?a=1&amp;b=2" '
        'title="Trang">liên kết</a>, <abbr title="An ninh trật tự">ANTT</abbr>, H<sub>2</sub>O, x<sup>2</sup>.</p>\n'
        '<figure><img alt="Ảnh" height="600" src="{static}/images/a.jpg" width="800"><figcaption>Chú thích</figcaption></figure>\n'
        '<table>\n<thead>\n<tr>\n<th align="left">A</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align="left">1</td>\n</tr>\n</tbody>\n</table>\n'
        '<blockquote>\n<p>Trích dẫn</p>\n</blockquote>\n<ol start="3">\n<li>Một</li>\n</ol>\n'
        '<div class="highlight"><pre><span></span><code><span class="n">x</span>\n</code></pre></div>\n'
        '<p><a href="mailto:toa-soan@example.vn">thư</a> <a href="tel:+84123">gọi</a> <a href="#fn:1">1</a></p>\n'
        "<dl>\n<dt>Từ</dt>\n<dd>Nghĩa</dd>\n</dl>\n<hr>\n<p>a<br>\nb</p>"
    )
    assert POLICY.clean(story) == story
    assert removals_between(story, POLICY.clean(story)) == []


@pytest.mark.parametrize(
    "folder", ["content", "tests/fixtures/search", "tests/fixtures/bad_articles/articles/2023"]
)
def test_no_false_positive_on_real_content(folder: str) -> None:
    files = [p for p in sorted((ROOT / folder).rglob("*.md")) if "models" not in p.parts]
    unsafe = {"the-script.md", "the-iframe.md", "thuoc-tinh-su-kien.md", "duong-dan-javascript.md"}
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        found = audit_markdown(text, SETTINGS, path)
        assert bool(found) == (path.name in unsafe), (path, found)
    for path in sorted((ROOT / "content" / "models").glob("*.md")):
        assert audit_model_source(path.read_text(encoding="utf-8"), POLICY) == []


# --- Markdown forms, at their lines -----------------------------------------------------------


def test_attribute_list_keeps_class_and_id_and_reports_the_rest() -> None:
    assert 'class="rong" id="hinh-1"' in rendered_clean("![ảnh](/x.png){: .rong #hinh-1 }")
    body = '![ảnh](/x.png){: onerror="alert(1)" .rong }'
    assert findings(body) == [
        (BODY_LINE, "Thuộc tính onerror trong {: …} không được phép; chỉ dùng class, id")
    ]
    clean = rendered_clean(body)
    assert "onerror" not in clean and "alert" not in clean and 'class="rong"' in clean


def test_block_attribute_list_with_autofocus() -> None:
    body = 'Đoạn văn.\n{: onfocus="alert(1)" autofocus style="x" }'
    assert findings(body) == [
        (
            BODY_LINE + 1,
            "Thuộc tính onfocus, autofocus, style trong {: …} không được phép; chỉ dùng class, id",
        )
    ]
    assert "autofocus" not in rendered_clean(body)


@pytest.mark.parametrize(
    ("body", "offset"),
    [
        ("[r][x]\n\n[x]: javascript:alert(1)", 2),
        ("[x](<javascript:alert(1)>)", 0),
        ("[x](javascript&colon;alert(1))", 0),
        ("[x](JAVASCRIPT:alert(1))", 0),
        ('<https://a.vn>\n\n[x](javascript:alert(1) "tiêu đề")', 2),
    ],
)
def test_markdown_links_with_script_urls(body: str, offset: int) -> None:
    assert findings(body) == [
        (BODY_LINE + offset, "Có đường dẫn javascript: (chạy mã khi bấm vào)")
    ]
    assert "javascript" not in rendered_clean(body).lower()


def test_each_removal_at_its_own_line_and_code_is_not_markup() -> None:
    body = (
        "Viết `<script>` trong mã thì không sao.\n\n    <script>alert(0)</script>\n\n"
        '<script>alert(1)</script>\n\n<p onclick="alert(2)">x</p>\n\n<script>alert(3)</script>'
    )
    assert findings(body) == [
        (BODY_LINE + 4, "Có thẻ HTML <script> (chạy mã hoặc nhúng trang khác)"),
        (BODY_LINE + 6, "Có thuộc tính sự kiện onclick=… trong thẻ HTML (chạy mã JavaScript)"),
        (BODY_LINE + 8, "Có thẻ HTML <script> (chạy mã hoặc nhúng trang khác)"),
    ]
    assert "<code>&lt;script&gt;</code>" in rendered_clean(body)


def test_summary_is_audited_at_its_line() -> None:
    text = HEADER.replace("Sapo của bài thử.", "Sapo <script>alert(1)</script> [x](javascript:y).")
    found = [(f.line, f.message) for f in audit_markdown(text, SETTINGS)]
    assert found == [
        (3, "Có thẻ HTML <script> (chạy mã hoặc nhúng trang khác)"),
        (3, "Có đường dẫn javascript: (chạy mã khi bấm vào)"),
    ]


@pytest.mark.parametrize(
    ("key", "value", "bad"),
    [
        ("source", "https://baochinhphu.vn/x", False),
        ("source", "javascript:alert(1)", True),
        ("source", " JaVaScript:alert(1)", True),
        ("source", "//evil.example/x", True),
        ("source", "mailto:a@b.vn", True),
        ("image", "{static}/images/x.jpg", False),
        ("image", "images/x.jpg", False),
        ("image", "https://a.vn/x.jpg", False),
        ("image", "data:image/svg+xml,<svg onload=alert(1)>", True),
        ("image", "java\tscript:alert(1)", True),
    ],
)
def test_source_and_image_values(key: str, value: str, bad: bool) -> None:
    assert bool(link_field_problem(key, value)) == bad
    if "\t" in value:
        return  # Markdown's reader turns a tab into spaces: "java    script:" is a relative path
    text = HEADER.replace("Summary:", f"{key.capitalize()}: {value}\nSummary:")
    lines = [f.line for f in audit_markdown(text, SETTINGS)]
    assert lines == ([3] if bad else [])


def test_model_description_is_audited_at_its_line() -> None:
    text = "Name: Mô hình thử\n\nMô tả.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2))\n"
    assert [(f.line, f.message) for f in audit_model_source(text, POLICY)] == [
        (5, "Có thẻ HTML <script> (chạy mã hoặc nhúng trang khác)"),
        (7, "Có đường dẫn javascript: (chạy mã khi bấm vào)"),
    ]


# --- JSON-LD -----------------------------------------------------------------------------------


def test_script_json_escapes_what_could_end_or_confuse_the_script() -> None:
    data = {"name": "Mô hình <!--<script></script> & \u2028\u2029 thử", "n": 1}
    text = script_json(data, indent=1)
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in text
    assert json.loads(text) == data


def test_script_json_writes_the_escapes_a_translation_table_writes() -> None:
    """The same text as before it replaced `str.translate` (issue 24): every character
    escaped, once, wherever it is, and Vietnamese text left as it is."""
    table = str.maketrans(
        {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
    )
    for data in (
        {"name": "Mô hình <!--<script></script> & \u2028\u2029 thử", "list": ["&amp;", "<<>>"]},
        {"headline": "Đường làng sạch đẹp", "n": 1},
        "\\u003c & < \u2029\u2029",
    ):
        for indent in (None, 1):
            expected = json.dumps(data, ensure_ascii=False, indent=indent).translate(table)
            assert script_json(data, indent=indent) == expected


def test_one_json_ld_serializer() -> None:
    """news_jsonld, breadcrumbs and model_catalog print JSON-LD through safe_html.jsonld only."""
    for plugin in ("news_jsonld", "breadcrumbs", "model_catalog"):
        source = (ROOT / "plugins" / plugin / "plugin.py").read_text(encoding="utf-8")
        assert "from safe_html.jsonld import script_json" in source
        assert "json.dumps" not in source, plugin


def test_settings_use_the_restricted_attribute_lists() -> None:
    extensions = list(SETTINGS["MARKDOWN"]["extension_configs"])
    assert "safe_html.attr_list" in extensions
    assert not {
        "markdown.extensions.extra",
        "markdown.extensions.attr_list",
        "extra",
        "attr_list",
    } & set(extensions)
    assert Path(ROOT / "plugins" / "safe_html" / "README.md").is_file()


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        (
            '<math><mtext><a href="javascript:x">a</a></mtext></math><a href="/ok">b</a>',
            [("tag", "math", "")],
        ),
        (
            "<svg><circle r=1 /><script>alert(1)</script></svg>",
            [("tag", "svg", ""), ("tag", "script", "")],
        ),
        ('<svg><p onclick="alert(1)">x</p>', [("tag", "svg", ""), ("attribute", "p", "onclick")]),
        ("<textarea><img src=x onerror=alert(1)></textarea><p>z</p>", [("tag", "textarea", "")]),
        ("<p>a</p><form><p>x</p></form><p>b</p>", [("tag", "form", "")]),
        ("<table><tr><td onclick=x>1</td></tr></table>", [("attribute", "td", "onclick")]),
    ],
)
def test_each_removal_is_named_once(markup: str, expected: list[tuple[str, str, str]]) -> None:
    """Tags the parser adds (tbody) or moves are not removals; what an SVG, MathML or text-only
    element holds goes with it, unless it is active on its own."""
    _, removed = sanitize(markup, POLICY)
    assert [(r.kind, r.tag, r.name) for r in removed] == expected


# --- each removal at the line that holds it (the start tag as written) ------------------------

ONERROR = "Có thuộc tính sự kiện onerror=… trong thẻ HTML (chạy mã JavaScript)"


def test_a_tag_markdown_escaped_or_another_tags_attribute_does_not_move_a_removal() -> None:
    """Not the n-th line naming `onerror`: an escaped tag (text), an `onerror` of a <source>
    and one of an <img> are each counted where they are."""
    body = (
        "<img src=x onerror=alert('escaped')>\n\n"  # Markdown makes it text: nothing removed
        "<div>\n"
        '<img src="x" onerror="alert(1)">\n'
        '<video><source onerror="alert(2)"></video>\n'
        "<img src=x onerror=document.title=`PWNED`>\n"  # in an HTML block backticks are not code
        '<audio src=x onerror="alert(4)"></audio>\n'
        "</div>"
    )
    html, _ = render_markdown(HEADER + body, SETTINGS)
    assert "&lt;img src=x onerror=alert('escaped')&gt;" in html and "`PWNED`>" in html
    assert findings(body) == [
        (BODY_LINE + 3, ONERROR),
        (BODY_LINE + 4, "Có thẻ HTML <video> (không có trong các thẻ trình bày được phép)"),
        (BODY_LINE + 4, ONERROR),
        (BODY_LINE + 5, ONERROR),
        (BODY_LINE + 6, "Có thẻ HTML <audio> (không có trong các thẻ trình bày được phép)"),
    ]


def test_the_same_tag_in_inline_code_is_not_the_one_removed() -> None:
    body = 'Viết `<p onclick="f()">` trong mã thì không sao.\n\n<p onclick="f()">bấm</p>'
    assert findings(body) == [
        (BODY_LINE + 2, "Có thuộc tính sự kiện onclick=… trong thẻ HTML (chạy mã JavaScript)"),
    ]


def test_an_attribute_at_its_own_line_of_a_tag_written_over_several() -> None:
    body = '<div class="hop"\n     title="x"\n     onclick="alert(1)">nội dung</div>'
    assert findings(body) == [
        (BODY_LINE + 2, "Có thuộc tính sự kiện onclick=… trong thẻ HTML (chạy mã JavaScript)"),
    ]


def test_a_markdown_link_and_a_tag_with_the_same_url_each_at_its_line() -> None:
    body = '[a](javascript:alert(1))\n\n<a href="javascript:alert(1)">b</a>\n\n[c](javascript:alert(1))'
    assert [line for line, _ in findings(body)] == [BODY_LINE, BODY_LINE + 2, BODY_LINE + 4]


def test_svg_left_open_ends_at_an_html_tag_as_in_the_sanitizer() -> None:
    """html5ever closes foreign content at <div>, <p>…: what follows is the page again
    (removed or not, it is reported); an event handler inside the removed SVG is reported."""
    body = (
        "<svg/onload=alert(1)>\n\n"
        "<details open ontoggle=alert(2)><summary>tóm tắt</summary>chi tiết</details>\n\n"
        '<div onmouseover="alert(3)">di chuột</div>\n\n'
        '<audio src=x onerror="alert(4)"></audio>'
    )
    assert findings(body) == [
        (BODY_LINE, "Có thẻ HTML <svg> (hình vẽ có thể chứa mã chạy được)"),
        (BODY_LINE + 2, "Có thuộc tính sự kiện ontoggle=… trong thẻ HTML (chạy mã JavaScript)"),
        (BODY_LINE + 4, "Có thuộc tính sự kiện onmouseover=… trong thẻ HTML (chạy mã JavaScript)"),
        (BODY_LINE + 6, "Có thẻ HTML <audio> (không có trong các thẻ trình bày được phép)"),
    ]


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # Outside SVG/MathML `<![CDATA[` is a bogus comment ending at the first `>`.
        ("<![CDATA[><script>alert(1)</script>]]>", [("tag", "script", "")]),
        ("<svg><![CDATA[><script>alert(1)</script>]]></svg>", [("tag", "svg", "")]),
        # noscript is raw text: its first `</noscript>` ends it, inside an attribute or not.
        (
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
            [("tag", "noscript", ""), ("attribute", "img", "onerror")],
        ),
    ],
)
def test_the_audit_reads_tags_as_the_sanitizer_does(
    markup: str, expected: list[tuple[str, str, str]]
) -> None:
    _, removed = sanitize(markup, POLICY)
    assert [(r.kind, r.tag, r.name) for r in removed] == expected
