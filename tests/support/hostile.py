"""The hostile corpus of issue 20 (tests/fixtures/hostile/) and the harness that proves, in
a real browser, that nothing active reaches a published page.

- `prepare_corpus` copies the corpus into a temporary folder and adds the cases that cannot
  live in git (each area's `runtime_<area>.py`: symlinks, FIFOs, odd file names).
- `build`, `check` run the site's build (scripts/build.py with pelicanconf.py) and the
  content checker (scripts/check_content.py) on that copy; `build_errors`, `check_errors`
  read the file:line pairs of their error lines.
- `import_hostile_pages` imports pages/*.html through scripts/import_news.py from a static
  server on 127.0.0.1, as `make import` would.
- `Harness` loads pages in headless Chromium with listeners installed before any page
  script: dialogs, requests to any host but the local server, navigation away, popups and
  web sockets are recorded; every focus, pointer and keyboard event (and every event an
  element has an `on…` attribute for) is dispatched on every element, then Tab is pressed
  through the page. The payloads of the corpus call alert(), fetch http://evil.invalid/…
  or set document.title to PWNED, so at least one of these signals catches each.

Nothing here comes from conftest: the module is usable from any test or by hand
(with tests/ on the path, as pytest puts it).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitebench.browser import CHROMIUM, serve_directory
from support.site import ROOT

HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
CORPUS = HOSTILE / "content"
EXPECTED = HOSTILE / "expected"
PAGES = HOSTILE / "pages"
SETTINGS = ROOT / "pelicanconf.py"
MARKDOWN = (".md", ".markdown", ".mkd", ".mdown")

# What payloads set document.title to, so the harness can see it.
PWNED_TITLE = "PWNED"

Location = tuple[str, int]  # (path relative to content/, line; 0 = the file named without a line)


# -- the corpus ------------------------------------------------------------------------------


def load_expected(folder: Path = EXPECTED) -> dict[Location, str]:
    """Every (file, line) that the build and `make check` must both report, with its area."""
    expected: dict[Location, str] = {}
    for path in sorted(folder.glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        for relative, lines in entries.items():
            if not lines:
                raise ValueError(f"{path}: {relative!r} lists no line (every case is reported)")
            for line in lines:
                expected[(relative, int(line))] = path.stem
    return expected


def runtime_modules(folder: Path = HOSTILE) -> list[Path]:
    """The areas' run-time case makers: tests/fixtures/hostile/runtime_<area>.py."""
    return sorted(folder.glob("runtime_*.py"))


def make_runtime_cases(content: Path, folder: Path = HOSTILE) -> dict[Location, str]:
    """Run each area's `create(content) -> {relative path: [lines]}`; return what they expect."""
    expected: dict[Location, str] = {}
    for module_path in runtime_modules(folder):
        spec = importlib.util.spec_from_file_location(f"hostile_{module_path.stem}", module_path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        area = module_path.stem.removeprefix("runtime_")
        for relative, lines in module.create(content).items():
            for line in lines:
                expected[(relative, int(line))] = area
    return expected


@dataclass
class Corpus:
    base: Path  # holds content/ and a copy of pelicanconf.py (the checker reads it there)
    content: Path
    expected: dict[Location, str]


def strict_only(folder: Path = HOSTILE) -> set[str]:
    """Cases that stop even a STRICT_CONTENT=false build by design, listed by their area in
    strict-only/<area>.txt (a path relative to content/ per line, # for comments): they are
    left out of the published build (the browser test), never out of the strict one."""
    paths = set()
    for listing in sorted((folder / "strict-only").glob("*.txt")):
        for line in listing.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                paths.add(line)
    return paths


def published_cases(content: Path) -> dict[str, str]:
    """URL path -> case file, for the corpus's stories that say where they are published
    (a Slug equal to the file name, a Date, no URL/Save_as/Status override)."""
    urls = {}
    for source in sorted((content / "articles").rglob("*.md")):
        if source.is_symlink() or not source.is_file():  # run-time cases: FIFOs, links
            continue
        try:
            header = source.read_text(encoding="utf-8").split("\n\n", 1)[0]
        except (OSError, UnicodeDecodeError):
            continue
        fields = {}
        for line in header.splitlines():
            key, sep, value = line.partition(":")
            if sep:
                fields[key.strip().lower()] = value.strip()
        if fields.get("slug") != source.stem or not re.match(r"\d{4}-", fields.get("date", "")):
            continue
        if {"url", "save_as", "status"} & fields.keys():
            continue
        urls[f"/{fields['date'][:4]}/{source.stem}/"] = source.relative_to(content).as_posix()
    return urls


def prepare_corpus(base: Path) -> Corpus:
    """A copy of the corpus at base/content with the run-time cases added.

    The folder is named `content` and commands run from `base`, so both tools name files
    `content/<relative path>`; pelicanconf.py is copied beside it because the checker reads
    STRICT_CONTENT_IFRAME_HOSTS from the settings file next to the content folder.
    """
    base.mkdir(parents=True, exist_ok=True)
    content = base / "content"
    shutil.copytree(CORPUS, content, symlinks=True)
    shutil.copy2(SETTINGS, base / "pelicanconf.py")
    expected = load_expected()
    expected.update(make_runtime_cases(content))
    return Corpus(base, content, expected)


# -- building and checking -------------------------------------------------------------------


@dataclass
class Run:
    command: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def log(self) -> str:
        return self.stdout + self.stderr


def _run(command: list[str], cwd: Path, timeout: float) -> Run:
    # Pelican's rich log handler wraps at the terminal's width (80 when captured).
    env = {**os.environ, "COLUMNS": "500"}
    try:
        done = subprocess.run(
            command,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            encoding="utf-8",
            errors="backslashreplace",
        )
    except subprocess.TimeoutExpired as stopped:
        out = stopped.stdout or b""  # bytes, even with text=True
        out = out.decode("utf-8", "replace") if isinstance(out, bytes) else out
        raise AssertionError(
            f"{' '.join(command)} did not finish in {timeout:.0f} s:\n{out[-3000:]}"
        ) from None
    return Run(command, done.returncode, done.stdout, done.stderr)


def build(corpus: Corpus, output: Path, *, strict: bool = True, timeout: float = 300) -> Run:
    """The site's build of the corpus copy (scripts/build.py, pelicanconf.py), as `make html`."""
    work = output.parent
    overrides = {
        "SEARCH_INDEX_DIR": str(work / f"{output.name}.index"),
        "CACHE_PATH": str(work / f"{output.name}.cache"),
    }
    if not strict:
        overrides["STRICT_CONTENT"] = False
    command = [
        sys.executable,
        str(ROOT / "scripts" / "build.py"),
        "content",
        "-o",
        str(output),
        "-s",
        str(SETTINGS),
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]
    return _run(command, corpus.base, timeout)


def check(corpus: Corpus, timeout: float = 300) -> Run:
    """`make check` on the corpus copy (scripts/check_content.py content)."""
    command = [sys.executable, str(ROOT / "scripts" / "check_content.py"), "content"]
    return _run(command, corpus.base, timeout)


# "content/<path>:<line>: …" or "content/<path>: …", possibly after an absolute prefix.
_LOCATION = re.compile(
    r"(?:^|(?<=[\s/'\"“(]))content/(?P<path>[^:\s]+?)(?::(?P<line>\d+))?:(?=\s|$)"
)
_BUILD_ERROR = re.compile(r"^\s*(?:\[[^\]]*\]\s*)?(ERROR|CRITICAL)\b")


def locations(line: str) -> Location | None:
    """The file (and line) an error line is about: the first content/… path in it."""
    match = _LOCATION.search(line)
    if not match:
        return None
    return match["path"], int(match["line"] or 0)


def build_errors(run: Run) -> set[Location]:
    """(file, line) of every ERROR/CRITICAL line of a build's log."""
    found = set()
    for line in run.log.splitlines():
        if _BUILD_ERROR.match(line):
            where = locations(line)
            if where:
                found.add(where)
    return found


def check_errors(run: Run) -> set[Location]:
    """(file, line) of every error (not warning) of check_content.py's report."""
    found, in_errors = set(), False
    for line in run.stdout.splitlines():
        if line.startswith("LỖI ("):
            in_errors = True
            continue
        if not line.strip() or line.startswith("CẢNH BÁO ("):
            in_errors = False
            continue
        if in_errors:
            where = locations(line)
            if where:
                found.add(where)
    return found


def format_locations(found: set[Location] | list[Location]) -> str:
    return "\n".join(f"  content/{path}:{line}" for path, line in sorted(found)) or "  (none)"


# -- importing the hostile pages ---------------------------------------------------------------


def import_hostile_pages(content: Path, pages: Path = PAGES, timeout: float = 300) -> Run | None:
    """Import every pages/*.html from a static server on 127.0.0.1 with scripts/import_news.py
    into `content` (as `make import` does); None when the corpus has no pages."""
    files = sorted(pages.glob("*.html")) if pages.is_dir() else []
    if not files:
        return None
    with serve_directory(pages) as base:
        urls = [f"{base}/{quote(page.name)}" for page in files]
        command = [
            sys.executable,
            str(ROOT / "scripts" / "import_news.py"),
            "--content",
            str(content),
            *urls,
        ]
        return _run(command, ROOT, timeout)


# -- the published pages -------------------------------------------------------------------------

FEED_ENTRY_PAGES = "_hostile-feeds"
_ATOM = "{http://www.w3.org/2005/Atom}"


def site_pages(output: Path) -> list[str]:
    """Every HTML page of a built site, as a URL path."""
    paths = []
    for page in sorted(output.rglob("*.html")):
        relative = page.relative_to(output).as_posix()
        # admin/ is the editors' desk: Decap CMS's own page and scripts, no content of a story.
        if relative.startswith((FEED_ENTRY_PAGES + "/", "admin/")):
            continue
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def feeds(output: Path) -> list[Path]:
    """The Atom and RSS feeds of a built site (site-wide, per category, per model)."""
    return sorted(p for p in output.rglob("*.xml") if p.name != "sitemap.xml")


def feed_entry_pages(output: Path) -> list[str]:
    """Each feed's entries shown as a feed reader shows them: the HTML of every entry's
    content and summary put into a page of its own (written under the output folder, so
    relative addresses resolve on the site). Returns their URL paths."""
    folder = output / FEED_ENTRY_PAGES
    folder.mkdir(exist_ok=True)
    urls = []
    for feed in feeds(output):
        tree = ET.parse(feed)
        parts = []
        for entry in [*tree.iter(f"{_ATOM}entry"), *tree.iter("item")]:
            for tag in (
                f"{_ATOM}title",
                f"{_ATOM}summary",
                f"{_ATOM}content",
                "title",
                "description",
            ):
                node = entry.find(tag)
                if node is None or node.text is None:
                    continue
                is_html = node.get("type") == "html" or tag in ("description",)
                parts.append(f"<section>{node.text if is_html else escape(node.text)}</section>")
        name = feed.relative_to(output).as_posix().replace("/", "__") + ".html"
        (folder / name).write_text(
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{escape(name)}'
            f"</title></head><body>{''.join(parts)}</body></html>",
            encoding="utf-8",
        )
        urls.append(f"/{FEED_ENTRY_PAGES}/{quote(name)}")
    return urls


# -- the browser harness ----------------------------------------------------------------------

# Installed before any page script. A click on an http(s) link and a submit of a form to the
# site itself are what readers do, not something the page does by itself: they are cancelled
# so the page stays loaded (share links would go to Facebook). A click on any other link
# (javascript:, vbscript:, data:…) and a submit elsewhere go ahead, so that a surviving
# payload runs and the listeners see it.
INIT_SCRIPT = r"""
(() => {
  const resolve = (raw) => { try { return new URL(raw, document.baseURI); } catch { return null; } };
  addEventListener("click", (event) => {
    const link = event.target && event.target.closest ? event.target.closest("a, area") : null;
    if (!link) return;
    const raw = link.getAttribute("href") ?? link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
    if (raw === null) return;
    const url = resolve(raw);
    if (url && (url.protocol === "http:" || url.protocol === "https:")) event.preventDefault();
  }, true);
  addEventListener("submit", (event) => {
    const form = event.target;
    const submitter = event.submitter;
    const raw = (submitter && submitter.getAttribute("formaction")) ?? form.getAttribute("action") ?? "";
    const url = resolve(raw);
    if (url && (url.protocol === "http:" || url.protocol === "https:") && url.origin === location.origin) {
      event.preventDefault();
    }
  }, true);
})();
"""

EVENT_TYPES = [
    "focus",
    "focusin",
    "blur",
    "focusout",
    "mouseover",
    "mouseenter",
    "mousemove",
    "mousedown",
    "mouseup",
    "click",
    "dblclick",
    "contextmenu",
    "mouseout",
    "mouseleave",
    "wheel",
    "pointerover",
    "pointerenter",
    "pointermove",
    "pointerdown",
    "pointerup",
    "pointerout",
    "pointerleave",
    "touchstart",
    "touchend",
    "keydown",
    "keypress",
    "keyup",
    "input",
    "change",
    "select",
    "copy",
    "paste",
    "drag",
    "dragstart",
    "dragenter",
    "dragover",
    "drop",
    "animationstart",
    "animationend",
    "animationiteration",
    "transitionend",
    "toggle",
    "load",
    "error",
    "scroll",
    "resize",
    "submit",
    "invalid",
    "search",
    "begin",
    "beginEvent",
    "end",
    "endEvent",
]

# Every element gets every event above and every event it has an on… attribute for. After
# an element whose click may run a javascript: navigation (a link to anything but http(s), a
# form control), the script yields, so that the navigation runs before the next click
# cancels it.
DISPATCH_SCRIPT = r"""
async (types) => {
  const make = (type) => {
    const init = { bubbles: true, cancelable: true, composed: true, view: window };
    if (type.startsWith("pointer")) return new PointerEvent(type, init);
    if (/^(mouse|click|dblclick|contextmenu)/.test(type)) return new MouseEvent(type, init);
    if (type === "wheel") return new WheelEvent(type, init);
    if (/^(focus|blur)/.test(type)) return new FocusEvent(type, { bubbles: type.endsWith("in") || type.endsWith("out"), composed: true });
    if (type.startsWith("key")) return new KeyboardEvent(type, { ...init, key: "Enter" });
    if (type.startsWith("animation")) return new AnimationEvent(type, { ...init, animationName: "x" });
    if (type.startsWith("transition")) return new TransitionEvent(type, { ...init, propertyName: "color" });
    return new Event(type, { bubbles: true, cancelable: true });
  };
  const pause = () => new Promise((done) => setTimeout(done, 20));
  // A click that follows a link or sends a form to something other than http(s): the
  // navigation it queued must run before the next click cancels it.
  const mayRunOnClick = (el) => {
    if (el.closest("button, input, select, form, [onclick]")) return true;
    const link = el.closest("a, area");
    if (!link) return false;
    const raw = link.getAttribute("href") ?? link.getAttributeNS("http://www.w3.org/1999/xlink", "href");
    if (raw === null) return false;
    try { return !/^https?:$/.test(new URL(raw, document.baseURI).protocol); } catch { return true; }
  };
  const elements = Array.from(document.querySelectorAll("*"));
  for (const el of elements) {
    const own = Array.from(el.attributes)
      .map((a) => a.name.toLowerCase())
      .filter((name) => name.startsWith("on"))
      .map((name) => name.slice(2));
    try { if (typeof el.focus === "function") el.focus({ preventScroll: true }); } catch {}
    for (const type of new Set([...types, ...own])) {
      try { el.dispatchEvent(make(type)); } catch {}
    }
    if (mayRunOnClick(el)) await pause();
  }
  return elements.length;
}
"""

# What is left in the DOM once the events are over: the page is whole (a `<!--<script>` in a
# JSON-LD block swallows the rest of the page), every JSON-LD block is JSON, and no element
# carries active markup that no event could trigger here (an on… attribute, a URL whose scheme
# runs or renders code, srcdoc, base, meta refresh, object, embed, template, ping, a style with
# expression() or javascript:, an SVG animation of an on… or href attribute).
INTEGRITY_SCRIPT = r"""
() => {
  const problems = [];
  for (const block of document.querySelectorAll('script[type="application/ld+json"]')) {
    try { JSON.parse(block.textContent); } catch (e) { problems.push("JSON-LD is not JSON: " + String(e).slice(0, 120)); }
  }
  if (document.querySelector(".site-header") && !document.querySelector(".site-footer")) {
    problems.push("the page has no footer: the rest of the page was swallowed");
  }
  return problems;
}
"""

MARKUP_SCRIPT = r"""
() => {
  const found = [];
  const safe = new Set(["http:", "https:", "mailto:", "tel:"]);
  const urlAttributes = ["href", "src", "action", "formaction", "data", "poster", "background",
                         "cite", "xlink:href", "ping", "codebase"];
  const describe = (el) => "<" + el.tagName.toLowerCase() + ">";
  for (const el of document.querySelectorAll("*")) {
    for (const attr of Array.from(el.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${describe(el)} ${name}=`);
      else if (name === "srcdoc") found.push(`${describe(el)} srcdoc=`);
      else if (urlAttributes.includes(name) || name === "srcset") {
        const values = name === "srcset" ? attr.value.split(",").map((c) => c.trim().split(/\s+/)[0]) : [attr.value];
        for (const value of values) {
          let url = null;
          try { url = new URL(value, document.baseURI); } catch { continue; }
          if (!safe.has(url.protocol)) found.push(`${describe(el)} ${name}=${value.slice(0, 60)}`);
        }
      }
    }
    const tag = el.tagName.toLowerCase();
    if (["base", "object", "embed", "frame", "template"].includes(tag)) found.push(describe(el));
    if (el.hasAttribute("ping")) found.push(`${describe(el)} ping=`);
    const style = el.getAttribute("style") || "";
    if (/expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding/i.test(style)) found.push(`${describe(el)} style=${style.slice(0, 60)}`);
    const animated = (el.getAttribute("attributeName") || "").toLowerCase();
    if (["set", "animate"].includes(tag) && (animated.startsWith("on") || animated.endsWith("href"))) {
      found.push(`${describe(el)} attributeName=${animated}`);
    }
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") found.push("<meta http-equiv=refresh>");
  }
  return found.slice(0, 30);
}
"""


@dataclass
class Findings:
    """What one page did by itself or on an event; empty when nothing fired."""

    url: str
    dialogs: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    popups: list[str] = field(default_factory=list)
    sockets: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # script errors while the page loads
    markup: list[str] = field(default_factory=list)  # active markup left in the DOM
    notes: list[str] = field(default_factory=list)  # not failures: what the harness did

    @property
    def fired(self) -> bool:
        return bool(
            self.dialogs
            or self.foreign_requests
            or self.navigations
            or self.popups
            or self.sockets
            or self.titles
            or self.broken
            or self.errors
            or self.markup
        )

    def __str__(self) -> str:
        parts = [
            f"{name}={values}"
            for name, values in (
                ("dialogs", self.dialogs),
                ("requests to other hosts", self.foreign_requests),
                ("navigations", self.navigations),
                ("popups", self.popups),
                ("web sockets", self.sockets),
                ("titles", self.titles),
                ("broken", self.broken),
                ("script errors while loading", self.errors),
                ("active markup in the DOM", self.markup),
            )
            if values
        ]
        return f"{self.url}: " + ("; ".join(parts) or "nothing fired")


def chromium_problem() -> str | None:
    """Why Chromium cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing: run `make browser` (installs Debian's chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make venv`"
    return None


class Harness:
    """One headless Chromium; `probe(url)` loads a page in a fresh tab and reports what fired.

    Requests are allowed only to `allowed_origins` (the local servers); every other one is
    aborted and recorded.
    """

    def __init__(
        self, browser, allowed_origins: list[str], *, tabs: int = 40, settle_ms: int = 200
    ) -> None:
        self.allowed = tuple(origin.rstrip("/") for origin in allowed_origins)
        self.tabs = tabs
        self.settle_ms = settle_ms
        self.context = browser.new_context(locale="vi-VN", service_workers="block")
        self.context.add_init_script(INIT_SCRIPT)
        self.current: Findings | None = None
        self.page = None
        self.opened = False
        self.phase = "opening"
        self.context.route("**/*", self._route)
        self.context.on("page", self._on_popup)

    def close(self) -> None:
        self.context.close()

    def _is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        return any(url == origin or url.startswith(origin + "/") for origin in self.allowed) or (
            parts.scheme in ("data", "blob", "about")
        )

    def _route(self, route) -> None:
        request = route.request
        findings = self.current
        local = self._is_local(request.url)
        try:
            main = self.page is not None and request.frame == self.page.main_frame
        except Exception:  # a request without a frame (a worker's): not a navigation
            main = False
        leaving = findings is not None and main and request.is_navigation_request()
        if leaving and not self.opened:  # the page being opened
            self.opened = True
            leaving = False
        if not local and findings is not None:
            findings.foreign_requests.append(request.url)
        if leaving:
            # Before any event, a page that leaves does it by itself (meta refresh, a script
            # setting location). During the events the harness clicks every control, and the
            # site's own ones (search filters) may load another page of the site: noted only.
            if local and self.phase != "events":
                findings.navigations.append(request.url)
            elif local:
                findings.notes.append(f"clicked through to {request.url}")
            # A 204 answer to a navigation leaves the current document in place, so the
            # rest of the page is still exercised.
            route.fulfill(status=204, body="")
            return
        if not local:
            route.abort()
            return
        route.continue_()

    def _on_popup(self, page) -> None:
        if self.page is not None and page is not self.page and self.current is not None:
            self.current.popups.append(page.url)
            with contextlib.suppress(Exception):
                page.close()

    def probe(self, url: str, *, wait_for: str | None = None) -> Findings:
        findings = Findings(url)
        self.current, self.opened, self.phase = findings, False, "opening"
        page = self.context.new_page()
        self.page = page
        page.on(
            "dialog",
            lambda dialog: (
                findings.dialogs.append(f"{dialog.type}: {dialog.message}"),
                dialog.dismiss(),
            ),
        )
        page.on("websocket", lambda socket: findings.sockets.append(socket.url))
        # The site's own scripts load without an error (tests/test_site_browser.py); an error
        # while loading is injected or swallowed markup. During the events it may be the
        # site's code meeting events no reader sends: not counted.
        page.on(
            "pageerror",
            lambda error: (
                findings.errors.append(str(error)[:160]) if self.phase != "events" else None
            ),
        )
        try:
            page.goto(url, wait_until="load", timeout=30_000)
            if wait_for:
                try:
                    page.wait_for_function(wait_for, timeout=15_000)
                except Exception:
                    findings.notes.append(f"gave up waiting for {wait_for}")
            self.phase = "loaded"
            page.wait_for_timeout(self.settle_ms)
            self.phase = "events"
            self._dispatch_everywhere(page, findings)
            page.wait_for_timeout(self.settle_ms)
            self._press_tab(page, findings)
            page.wait_for_timeout(self.settle_ms)
            self._read_signals(page, findings)
        finally:
            self.current, self.page = None, None
            with contextlib.suppress(Exception):
                page.close()
        return findings

    def _dispatch_everywhere(self, page, findings: Findings) -> None:
        for frame in list(page.frames):
            try:
                count = frame.evaluate(DISPATCH_SCRIPT, EVENT_TYPES)
                findings.notes.append(f"events on {count} elements of {frame.url[:80]}")
            except Exception as error:  # a frame that went away or is another origin's
                findings.notes.append(
                    f"no events in {frame.url[:80]}: {str(error).splitlines()[0][:120]}"
                )

    def _press_tab(self, page, findings: Findings) -> None:
        try:
            focusable = page.evaluate(
                "document.querySelectorAll('a[href], area[href], button, input, select, textarea,"
                " summary, iframe, [tabindex], [contenteditable]').length"
            )
            for _ in range(min(int(focusable) + 1, self.tabs)):
                page.keyboard.press("Tab")
        except Exception as error:
            findings.notes.append(f"Tab stopped: {str(error).splitlines()[0][:120]}")

    def _read_signals(self, page, findings: Findings) -> None:
        for frame in list(page.frames):
            try:
                title = frame.evaluate("document.title")
            except Exception:
                continue
            if PWNED_TITLE in (title or ""):
                findings.titles.append(f"{frame.url[:80]}: {title}")
        with contextlib.suppress(Exception):
            findings.broken.extend(page.main_frame.evaluate(INTEGRITY_SCRIPT))
        with contextlib.suppress(Exception):
            findings.markup.extend(page.main_frame.evaluate(MARKUP_SCRIPT))
