"""Browser test helpers: axe-core's accessibility run, a slow network for layout shifts,
and the search page as a reader uses it."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from support.site import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map(v => `${v.impact} ${v.id}: ${v.help} at `
                + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
        }"""
    )
    return found


CLS_INIT = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


def measure_shifts_on_a_slow_network(context, page) -> None:
    """150 ms and 200 KB/s, so late results and fonts arrive after the first paint; the
    page's layout shifts add up in `window.__cls`."""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 150,
            "downloadThroughput": 200_000,
            "uploadThroughput": 200_000,
        },
    )
    page.add_init_script(CLS_INIT)


# The search page (theme/templates/search.html), as a reader uses it.
def open_search(page, site_url: str, query: str = "", extra: str = "") -> None:
    url = f"{site_url}/search.html"
    if query or extra:
        url += "?" + "&".join(p for p in (f"q={quote(query)}" if query else "", extra) if p)
    page.goto(url)
    if query:
        wait_for_answer(page, query)


def wait_for_answer(page, query: str) -> str:
    """Wait until the aria-live status announces the answer for `query`."""
    page.wait_for_function(
        """q => {
            // Null until the search page is in: a box in the header submits from another page.
            const status = document.getElementById('search-status');
            if (!status) return false;
            const s = status.textContent;
            return s.includes('“' + q + '”') || s.startsWith('Hãy gõ');
        }""",
        arg=query,
    )
    return page.inner_text("#search-status")


def hits(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#search-results > li",
        """items => items.map(li => ({
            href: li.querySelector('a').getAttribute('href'),
            title: li.querySelector('a').textContent,
            marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
            badges: [...li.querySelectorAll('.search-badges li')].map(b => b.textContent),
        }))""",
    )


def path_of(href: str) -> str:
    return urlsplit(href).path.lstrip("/")
