"""One query on a search page in a fresh headless Chromium context (cold cache):
bytes on the wire and time until the first results are shown.

Both search pages (the site's search.html and devtools.pagefind's page) fill
`#search-results` with `<li>` hits, or say "Không tìm thấy…" in `#search-status`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

# A phone on a mediocre mobile connection (Chrome DevTools' "Fast 3G"-like figures).
THROTTLE = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}

FIRST_RESULTS = """() => {
  window.__shown = null;
  const check = () => {
    const ol = document.getElementById('search-results');
    const status = document.getElementById('search-status');
    if ((ol && ol.children.length) || (status && status.textContent.startsWith('Không tìm thấy'))) {
      window.__shown = performance.now();
      return true;
    }
    return false;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, { subtree: true, childList: true, characterData: true });
}"""


@dataclass(frozen=True)
class FirstQuery:
    bytes: int  # response bodies as sent (compressed when the server compressed) + headers
    requests: int
    ms: float  # navigation start to first results shown
    first_url: str  # href of the first hit, "" when none


def measure_query(browser, url: str, throttle: bool = False) -> FirstQuery:
    """Open `url` (a search page with ?q=…) in a new context and wait for its first results."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    if throttle:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", THROTTLE)
    sizes: list[int] = []

    def finished(request) -> None:
        with contextlib.suppress(Exception):
            s = request.sizes()
            sizes.append(s["responseBodySize"] + s["responseHeadersSize"])

    page.on("requestfinished", finished)
    page.add_init_script(f"({FIRST_RESULTS})()")
    page.goto(url)
    page.wait_for_function("window.__shown !== null", timeout=60000)
    shown = page.evaluate("window.__shown")
    first = page.evaluate(
        "() => { const a = document.querySelector('#search-results > li a'); return a ? a.href : ''; }"
    )
    page.wait_for_timeout(150)  # let the hits' last requests finish and be counted
    measured = FirstQuery(sum(sizes), len(sizes), shown, first)
    context.close()
    return measured
