"""Minify the theme's JavaScript and CSS in the built site with esbuild.

The sources in theme/static/ stay readable (and `node --test` tests the JS);
only the copies Pelican wrote into the output are replaced. Entry points listed
in MINIFY_BUNDLES are bundled with the modules they import, so a page loads
one small file; every other .js file is minified on its own (still an ES module
with its imports intact), and so is every .css file. Modules are treated as
opaque inputs: esbuild parses them, nothing here rewrites their text.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import subprocess
import tempfile
from pathlib import Path

from pelican import signals

from tdbvantq.errors import ContentError, hide_tracebacks
from tdbvantq.settings import PluginSettings, flag, folder, text, text_list
from tdbvantq.writes import write_atomically

log = logging.getLogger(__name__)
# Bump when what is done with esbuild's output changes: every kept output is made again.
CACHE_VERSION = "1"

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SETTINGS = PluginSettings(
    "minify_assets",
    [
        flag("MINIFY_ASSETS", True, "False copies the sources unchanged"),
        text_list(
            "MINIFY_BUNDLES",
            ["js/search.js"],
            "entries bundled with their imports, relative to THEME_STATIC_DIR in the output",
        ),
        folder(
            "ESBUILD",
            str(PROJECT_ROOT / "node_modules" / ".bin" / "esbuild"),
            "the esbuild command",
        ),
        # Browsers with ES modules, DecompressionStream and optional chaining.
        text("MINIFY_TARGET", "es2020", "esbuild's --target"),
    ],
)


class MinifyError(ContentError):
    """esbuild is missing or refused a file; the message names the file (and the
    fix). A ContentError: Pelican logs it as that one line, without a traceback."""


def _require(esbuild: str) -> None:
    if not Path(esbuild).exists():
        raise MinifyError(
            f"esbuild not found at {esbuild}: run `npm ci` (or `make html`, which does), "
            "or set MINIFY_ASSETS = False"
        )


def _esbuild(esbuild: str, args: list[str], cwd: Path) -> None:
    _require(esbuild)
    done = subprocess.run(
        [esbuild, *args, "--log-level=error"], cwd=cwd, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise MinifyError(f"esbuild failed in {cwd}:\n{done.stderr.strip()}")


def inputs_key(static_dir: Path, bundles: list[str], esbuild: str, target: str) -> str:
    """What esbuild's output is made of: every file under `static_dir` (a bundle may
    import any of them), its name and bytes, the options, and the esbuild binary
    (its real path, size and mtime: `npm ci` of another version replaces it)."""
    _require(esbuild)
    binary = os.stat(os.path.realpath(esbuild))
    digest = hashlib.sha256(CACHE_VERSION.encode())
    for part in (os.path.realpath(esbuild), binary.st_size, binary.st_mtime_ns, target, *bundles):
        digest.update(f"\x1f{part}".encode())
    for path in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        name = path.relative_to(static_dir).as_posix()
        digest.update(f"\x1e{name}\x1f{len(data)}\x1f".encode() + data)
    return digest.hexdigest()[:32]


def _cached(path: Path, names: list[str]) -> dict[str, bytes] | None:
    """The minified files kept at `path`, if it holds exactly `names` (else None: made again)."""
    try:
        kept = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(kept, dict) or sorted(kept) != names:
        return None
    return kept if all(isinstance(data, bytes) for data in kept.values()) else None


def minify_cached(
    static_dir: Path, bundles: list[str], esbuild: str, target: str, cache: Path
) -> list[Path]:
    """`minify_output`, with esbuild's output kept in `cache` keyed on all its inputs:
    a rebuild whose theme files did not change writes the same bytes without running
    esbuild (four processes, ~0.05 s of CPU, ~0.1 s of wall time)."""
    sources = _sources(static_dir)
    path = cache / f"{inputs_key(static_dir, bundles, esbuild, target)}.pickle"
    kept = _cached(path, sources)
    if kept is None:
        kept = _minified(static_dir, sources, bundles, esbuild, target)
        write_atomically(path, pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        for old in cache.glob("*.pickle"):  # made from older inputs: never used again
            if old != path:
                old.unlink(missing_ok=True)
    return _write(static_dir, kept)


def _sources(static_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(static_dir).as_posix()
        for pattern in ("*.js", "*.css")
        for p in static_dir.rglob(pattern)
    )


def _write(static_dir: Path, minified: dict[str, bytes]) -> list[Path]:
    written = []
    for name in sorted(minified):
        target_path = static_dir / name
        # Synced with the whole output before it goes live (scripts/build.py's swap).
        write_atomically(target_path, minified[name], durable=False)
        written.append(target_path)
    return written


def minify_output(static_dir: Path, bundles: list[str], esbuild: str, target: str) -> list[Path]:
    """Minify every .js and .css file under `static_dir` in place; bundle the `bundles` entries.

    Returns the files written. Nothing in `static_dir` changes unless esbuild
    succeeded on every file.
    """
    sources = _sources(static_dir)
    return _write(static_dir, _minified(static_dir, sources, bundles, esbuild, target))


def _minified(
    static_dir: Path, sources: list[str], bundles: list[str], esbuild: str, target: str
) -> dict[str, bytes]:
    """esbuild's output for each of `sources` (names relative to `static_dir`)."""
    missing = [entry for entry in bundles if entry not in sources]
    if missing:
        raise MinifyError(f"MINIFY_BUNDLES: {', '.join(missing)} not found in {static_dir}")
    common = ["--minify", f"--target={target}", "--charset=utf8"]
    with tempfile.TemporaryDirectory(prefix="minify-js-") as temp:
        out = Path(temp)
        for entry in bundles:
            _esbuild(
                esbuild,
                [entry, "--bundle", "--format=esm", *common, f"--outfile={out / entry}"],
                static_dir,
            )
        scripts = [name for name in sources if name.endswith(".js") and name not in bundles]
        styles = [name for name in sources if name.endswith(".css") and name not in bundles]
        if scripts:
            _esbuild(
                esbuild,
                [*scripts, "--format=esm", *common, f"--outdir={out}", "--outbase=."],
                static_dir,
            )
        if styles:
            _esbuild(esbuild, [*styles, *common, f"--outdir={out}", "--outbase=."], static_dir)
        return {name: (out / name).read_bytes() for name in sources}


def minify_site(pelican) -> None:
    settings = pelican.settings
    if not SETTINGS.read(settings, "MINIFY_ASSETS"):
        return
    static_dir = Path(pelican.output_path) / settings.get("THEME_STATIC_DIR", "theme")
    if not static_dir.is_dir():
        return
    written = minify_cached(
        static_dir,
        list(SETTINGS.read(settings, "MINIFY_BUNDLES")),
        str(SETTINGS.read(settings, "ESBUILD")),
        SETTINGS.read(settings, "MINIFY_TARGET"),
        Path(settings["CACHE_PATH"]) / "minify-assets",
    )
    log.info("minify_assets: minified %d files in %s", len(written), static_dir)


def register() -> None:
    SETTINGS.register()
    hide_tracebacks()
    signals.finalized.connect(minify_site)
