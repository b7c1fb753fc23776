"""The 404 page works at any URL: served (as GitHub Pages serves it) for a missing
page deep in the site, it loads its stylesheet and its links lead into the site."""

from __future__ import annotations

from pathlib import Path

from sitebench.browser import QuietHandler, serve_directory


class NotFoundHandler(QuietHandler):
    """A static server that answers a missing file with 404.html and status 404."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def test_404_page_is_styled_at_a_nested_url(built_site, page) -> None:
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
    with serve_directory(built_site.output, NotFoundHandler) as url:
        nested = f"{url}/2023/khong-co/trang/nay/"
        response = page.goto(nested)
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Không tìm thấy trang"
        header = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert header == "rgb(139, 16, 20)", "site.css did not load"
        sheets = page.evaluate("[...document.styleSheets].map(s => s.cssRules.length)")
        assert sheets and all(count > 0 for count in sheets)
        home = page.evaluate("document.querySelector('main a').href")
        assert home == f"{url}/"
        page.locator("#notfound-search").fill("camera")
        page.locator("#notfound-search").press("Enter")
        page.wait_for_url(f"{url}/search.html?q=camera")
    assert missing == [nested], "only the missing page itself is missing"
    # Chromium logs the page's own 404 status; nothing else may fail.
    assert [e for e in page.errors if "status of 404" not in e] == []
