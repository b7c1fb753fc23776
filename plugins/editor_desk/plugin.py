"""Serve the editors' desk (Decap CMS) at /admin/ from the build, with no CDN.

After Pelican has written the site, this copies Decap's prebuilt bundle from
node_modules/ (pinned in package-lock.json) and the desk's own modules
(static/) into OUTPUT_PATH/admin/, and writes admin/index.html, admin/config.yml
(collections generated from the site's header definitions: fields.py),
admin/schema.json (what the header format needs) and admin/rules.json (the
checker's rules: rules.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import time
from html import escape
from pathlib import Path
from typing import Any

from pelican import signals

from editor_desk import fields
from editor_desk.rules import rule_data
from tdbvantq import paths
from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.settings import PluginSettings, flag, folder, text
from tdbvantq.writes import link_or_copy, write_atomically

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC = Path(__file__).resolve().parent / "static"
# Kept copies of an earlier version of a file are removed a day after their last use.
KEPT_DAYS = 1
FORMAT = "pelican-md"
SETTINGS = PluginSettings(
    "editor_desk",
    [
        flag("DESK_ENABLED", True, "False builds the site without /admin/"),
        text("DESK_PATH", "admin", "the desk's folder in the output"),
        folder(
            "DESK_DECAP_DIR",
            str(PROJECT_ROOT / "node_modules" / "decap-cms" / "dist"),
            "Decap CMS's prebuilt bundle (npm package decap-cms)",
        ),
        text("DESK_CONTENT_DIR", "content", "the content folder, relative to the repository root"),
        text(
            "DESK_LOCAL_BACKEND",
            "http://127.0.0.1:8081/api/v1",
            "decap-server's API for `make edit`; None turns the local backend off",
            optional=True,
        ),
        text("DESK_REPO", "OWNER/REPO", "the GitHub repository the published desk edits"),
        text("DESK_BRANCH", "main", "its branch"),
        text("DESK_AUTH_BASE_URL", None, "the OAuth proxy's address (decap-proxy)", optional=True),
        flag(
            "DESK_EDITORIAL_WORKFLOW",
            False,
            "True: draft → in review → ready as branches and pull requests (GitHub backend)",
        ),
    ],
)


class DeskError(ContentError):
    """Decap's bundle is missing; the message says how to install it."""


def model_options(data: dict[str, Any]) -> list[dict[str, str]]:
    options = []
    for model in data["models"]:
        options.append({"label": model["name"], "value": model["name"]})
        for alias in model["aliases"]:
            options.append({"label": f"{alias} (tên khác của {model['name']})", "value": alias})
    return options


_URL_PARTS = {
    "{date:%Y}": "{{year}}",
    "{date:%m}": "{{month}}",
    "{date:%d}": "{{day}}",
    "{slug}": "{{filename}}",
}


def preview_path(pattern: str) -> str | None:
    """A Pelican URL setting ("{date:%Y}/{slug}/") as Decap's preview_path, or None when it
    uses anything else. The slug is the file's name (SLUGIFY_SOURCE = "basename")."""
    out = pattern
    for pelican_part, decap_part in _URL_PARTS.items():
        out = out.replace(pelican_part, decap_part)
    return (
        None
        if re.search(r"\{(?!\{)[^}]*\}(?!\})", out.replace("{{", "").replace("}}", ""))
        else out
    )


def github_backend(read: Any) -> dict[str, Any]:
    """The published desk's backend: the GitHub repository, with Vietnamese commit messages."""
    backend: dict[str, Any] = {
        "name": "github",
        "repo": read("DESK_REPO"),
        "branch": read("DESK_BRANCH"),
        "commit_messages": {
            "create": "Thêm {{collection}} “{{slug}}”",
            "update": "Sửa {{collection}} “{{slug}}”",
            "delete": "Xóa {{collection}} “{{slug}}”",
            "uploadMedia": "Tải lên “{{path}}”",
            "deleteMedia": "Xóa “{{path}}”",
        },
    }
    if read("DESK_AUTH_BASE_URL"):
        backend["base_url"] = read("DESK_AUTH_BASE_URL")
        backend["auth_endpoint"] = "auth"
    return backend


def desk_config(settings: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
    """Decap's configuration (written as JSON, which YAML reads)."""
    read = lambda name: SETTINGS.read(settings, name)  # noqa: E731
    content = read("DESK_CONTENT_DIR").strip("/")
    options = model_options(rules)
    config: dict[str, Any] = {
        "locale": "vi",
        "backend": github_backend(read),
        "media_folder": f"{content}/images",
        "public_folder": "{static}/images",
        "collections": [
            {
                "name": "articles",
                "label": "Bài viết",
                "label_singular": "bài viết",
                "folder": f"{content}/articles",
                "path": "{{year}}/{{slug}}",
                "slug": "{{fields.slug}}",
                "create": True,
                "extension": "md",
                "format": FORMAT,
                "identifier_field": "title",
                "summary": "{{title}} — {{date}}",
                "sortable_fields": ["date", "title"],
                "media_folder": f"/{content}/images/{{{{fields.slug}}}}",
                "public_folder": "{static}/images/{{fields.slug}}",
                "fields": fields.collection_fields("article", options),
            },
            {
                "name": "models",
                "label": "Mô hình",
                "label_singular": "mô hình",
                "folder": f"{content}/models",
                "slug": "{{fields.slug}}",
                "create": True,
                "extension": "md",
                "format": FORMAT,
                "identifier_field": "name",
                "summary": "{{name}}",
                "fields": fields.collection_fields("model", options),
            },
            {
                "name": "pages",
                "label": "Trang",
                "label_singular": "trang",
                "folder": f"{content}/pages",
                "slug": "{{fields.slug}}",
                "create": True,
                "extension": "md",
                "format": FORMAT,
                "identifier_field": "title",
                "fields": fields.collection_fields("page", options),
            },
        ],
    }
    # "Xem bản hoàn chỉnh" opens the page at the address the build gives it (the site's own
    # URL settings); desk.js sets site_url to the page's origin when SITEURL is relative.
    for collection, setting in zip(
        config["collections"], ("ARTICLE_URL", "MODEL_URL", "PAGE_URL"), strict=True
    ):
        path = preview_path(str(settings.get(setting, "")))
        if path:
            collection["preview_path"] = path
            if "{{year}}" in path:
                collection["preview_path_date_field"] = "date"
    if read("DESK_EDITORIAL_WORKFLOW"):
        config["publish_mode"] = "editorial_workflow"
    if read("DESK_LOCAL_BACKEND"):
        config["local_backend"] = {"url": read("DESK_LOCAL_BACKEND")}
    return config


def index_html(sitename: str) -> str:
    title = escape(f"Bàn biên tập – {sitename}")
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="robots" content="noindex, nofollow">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<script src="desk-manual-init.js"></script>
<script src="decap-cms.js"></script>
<script type="module" src="desk.js"></script>
</head>
<body>
<noscript>Bàn biên tập cần JavaScript.</noscript>
</body>
</html>
"""


def _copy(source: Path, target: Path, kept: Path | None = None) -> None:
    """Copy unless the same file is already there (`make serve`/`make edit` rebuild into the
    same output while the desk is open, and may be loading a chunk); atomically otherwise.
    With `kept` (a cache folder): a hard link to the copy kept there (`_kept_copy`)."""
    stat = source.stat()
    if target.is_file():
        have = target.stat()
        if have.st_size == stat.st_size and have.st_mtime_ns == stat.st_mtime_ns:
            return
    if kept is not None:
        with contextlib.suppress(OSError):  # the cache cannot be written: copied, as before
            link_or_copy(_kept_copy(source, stat, kept), target)
            return
    # Not flushed one by one: the output is synced once, before it goes live
    # (scripts/build.py's swap); a flush each made 104 files cost ~0.5 s of wall time.
    write_atomically(target, source.read_bytes(), durable=False)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _kept_copy(source: Path, stat: os.stat_result, kept: Path) -> Path:
    """The copy of `source` in the cache folder `kept`, named by its name, size and
    mtime (a new version of the file is a new name); made when missing, atomically, with
    the source's mtime. Every build links the desk's ~100 files (6.5 MB, Decap's bundle)
    from there instead of writing them again. The copy is the cache's own file, never
    the source's (an editor saving the source in place does not change a published
    desk), and is only ever replaced whole (`write_atomically`), never written in place:
    a site linking it keeps its bytes."""
    copy = kept / f"{stat.st_size}-{stat.st_mtime_ns}-{source.name}"
    try:
        have = copy.stat()
    except FileNotFoundError:
        have = None
    if have is None or have.st_size != stat.st_size or have.st_mtime_ns != stat.st_mtime_ns:
        write_atomically(copy, source.read_bytes(), durable=False)
        os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return copy


def _forget_old_copies(kept: Path, current: set[str]) -> None:
    """Remove the kept copies of earlier versions (a name this build did not use) when
    no build has used them for a day (`KEPT_DAYS`): a desk built from another version
    meanwhile (a build sharing the folder) keeps its copies."""
    cutoff = time.time() - KEPT_DAYS * 86400
    with contextlib.suppress(OSError):
        for entry in os.scandir(kept):
            if entry.name in current or not entry.is_file(follow_symlinks=False):
                continue
            with contextlib.suppress(OSError):
                if entry.stat(follow_symlinks=False).st_ctime < cutoff:
                    os.unlink(entry.path)


MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")
# Sources of the pages this build publishes, noted when the generators are done (drafts and
# stories not yet due are out of their lists by then) and read when the desk is written.
_published: dict[str, set[str]] = {}


def note_published(generators: list[Any]) -> None:
    if not generators:
        return
    root = str(Path(generators[0].settings["PATH"]).resolve())
    inside = root.rstrip(os.sep) + os.sep
    folders: dict[str, str] = {}
    found: set[str] = set()
    for generator in generators:
        for kind in ("articles", "translations", "pages", "hidden_pages", "hidden_translations"):
            for item in getattr(generator, kind, None) or []:
                source = paths.real_path(os.fspath(getattr(item, "source_path", "") or ""), folders)
                if source == root:
                    found.add(".")
                elif source.startswith(inside):
                    found.add(Path(source[len(inside) :]).as_posix())
    _published[root] = found


def linkable_files(content_root: Path, output: Path) -> list[str]:
    """What a link in a story may point to, as far as the published site shows it: the
    Markdown files of published pages (and model files), and the other files the build
    copied into the output. A draft's name or photo never reaches admin/rules.json."""
    root = content_root.resolve()
    published = _published.get(str(root))
    files = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(root).as_posix()
        if path.suffix in MARKDOWN:
            if published is None or relative in published or relative.startswith("models/"):
                files.append(relative)
        elif (output / relative).is_file():
            files.append(relative)
    return files


def _kept_folder(settings: dict[str, Any]) -> Path | None:
    """Where the desk's files are kept between builds (`<CACHE_PATH>/editor-desk`);
    None without a cache folder, or where it cannot be made: the files are copied."""
    cache = settings.get("CACHE_PATH")
    if not cache:
        return None
    kept = Path(cache) / "editor-desk"
    try:
        kept.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return kept


def write_desk(output: Path, settings: dict[str, Any], content_root: Path) -> Path:
    decap = Path(SETTINGS.read(settings, "DESK_DECAP_DIR"))
    bundle = decap / "decap-cms.js"
    if not bundle.is_file():
        raise DeskError(
            f"editor_desk: {bundle} not found: run `npm ci` (or `make html`, which does), "
            "or set DESK_ENABLED = False"
        )
    fields.check_coverage()
    desk = output / SETTINGS.read(settings, "DESK_PATH").strip("/")
    desk.mkdir(parents=True, exist_ok=True)
    kept = _kept_folder(settings)
    # Decap loads its chunks (and two WebAssembly files) from beside decap-cms.js.
    sources = [
        path
        for path in [
            bundle,
            *decap.glob("*.decap-cms.js"),
            *decap.glob("*.wasm"),
            decap / "decap-cms.js.LICENSE.txt",
        ]
        if path.is_file()
    ]
    sources += [path for path in STATIC.iterdir() if path.suffix in (".js", ".css")]
    for path in sources:
        _copy(path, desk / path.name, kept)
    if kept is not None:
        used = {f"{st.st_size}-{st.st_mtime_ns}-{p.name}" for p in sources for st in [p.stat()]}
        _forget_old_copies(kept, used)
    rules = rule_data(
        content_root,
        settings.get("STRICT_CONTENT_IFRAME_HOSTS"),
        files=linkable_files(content_root, output),
    )
    dump = lambda value: json.dumps(value, ensure_ascii=False, indent=1).encode() + b"\n"  # noqa: E731
    write_atomically(desk / "rules.json", dump(rules), durable=False)
    schema = fields.format_schema()
    schema["content_dir"] = SETTINGS.read(settings, "DESK_CONTENT_DIR").strip("/")
    write_atomically(desk / "schema.json", dump(schema), durable=False)
    config = desk_config(settings, rules)
    write_atomically(
        desk / "config.yml",
        b"# Generated by plugins/editor_desk at each build (JSON is YAML).\n" + dump(config),
        durable=False,
    )
    page = index_html(settings.get("SITENAME", "")).encode()
    write_atomically(desk / "index.html", page, durable=False)
    return desk


def build_desk(pelican) -> None:
    settings = pelican.settings
    if not SETTINGS.read(settings, "DESK_ENABLED"):
        return
    desk = write_desk(Path(pelican.output_path), settings, Path(settings["PATH"]))
    log.info("editor_desk: wrote the editors' desk into %s", desk)


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.all_generators_finalized.connect(note_published)
    signals.finalized.connect(build_desk)
