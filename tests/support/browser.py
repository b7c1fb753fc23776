"""Browser test helpers: axe-core's accessibility run and a slow network for layout shifts."""

from __future__ import annotations

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
