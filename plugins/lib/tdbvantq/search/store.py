"""Index generations in SEARCH_INDEX_DIR: one writer, build aside, atomic swap.

See README.md ("Layout of SEARCH_INDEX_DIR") for the scheme.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from tdbvantq.search._whoosh import FileStorage, W3Codec, index
from tdbvantq.search.analysis import AcronymMatcher
from tdbvantq.search.bulkwrite import BulkFieldWriter, BulkPool, add_document
from tdbvantq.search.generations import (  # moved there: a rebuild's own process needs only them
    LOCK,
    IndexMissing,
    PendingGenerations,
    _clean_stale,
    _point_to,
    current_generation,
    writer_lock,
)
from tdbvantq.search.schema import FORMAT, TERMS, SearchDocument, build_schema, whoosh_fields
from tdbvantq.text import load_glossary, load_synonyms
from tdbvantq.writes import move_into_place, sync_filesystem, write_atomically

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"
GLOSSARY = "glossary.txt"
SYNONYMS = "synonyms.txt"  # copy of the editors' synonyms (vntext.synonyms) used at build time


@dataclass
class BuildReport:
    added: int
    changed: int
    removed: int
    unchanged: int
    generation: str
    written: bool  # False: nothing changed, nothing touched
    rebuilt_reason: str = ""  # why the previous index was not reused, if it was not


def _index_files(generation: Path) -> dict[str, int]:
    return {
        p.name: p.stat().st_size
        for p in generation.iterdir()
        if p.is_file()
        and p.name not in (MANIFEST, GLOSSARY, SYNONYMS)
        and not p.name.endswith("LOCK")
    }


def file_checksum(path: Path) -> str:
    """CRC-32 of a file's bytes (damage detection, not tamper-proofing: it is fast)."""
    value = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            value = zlib.crc32(block, value)
    return f"{value:08x}"


def _checksums(generation: Path, base: Path | None, known: dict[str, str]) -> dict[str, str]:
    """Checksums of a generation's files; a file hard-linked from `base` keeps its known one."""
    sums = {}
    for name in _index_files(generation):
        path = generation / name
        if base is not None and name in known and (base / name).exists():
            if os.path.samefile(path, base / name):
                sums[name] = known[name]
                continue
        sums[name] = file_checksum(path)
    return sums


def damaged_index(generation: Path, reason: str) -> IndexMissing:
    """The one error for a generation that does not match its manifest or does not open."""
    reason = " ".join(str(reason).split())  # one line, whatever the underlying error said
    return IndexMissing(
        f"{generation}: damaged search index ({reason})",
        f"{generation}: chỉ mục tìm kiếm bị hỏng ({reason})",
    )


def verify_generation(generation: Path, *, checksums: bool = False) -> dict:
    """The generation's manifest, once its files are checked against it.

    Sizes always (cheap, on every open); with `checksums`, every file's CRC-32
    too (when the index is opened for writing: a damaged generation is never
    the base of the next one).
    """
    manifest = read_manifest(generation)
    files = _index_files(generation)
    expected = manifest.get("files")
    if not isinstance(expected, dict) or expected != files:
        differ = sorted(set(files) ^ set(expected or {})) or sorted(
            name for name in files if files[name] != expected.get(name)
        )
        raise damaged_index(
            generation, f"{', '.join(differ)}: size or presence differs from {MANIFEST}"
        )
    if checksums:
        sums = manifest.get("checksums")
        if not isinstance(sums, dict):
            raise damaged_index(generation, f"{MANIFEST} has no checksums (older index)")
        for name in sorted(files):
            if sums.get(name) != file_checksum(generation / name):
                raise damaged_index(generation, f"{name}: checksum differs from {MANIFEST}")
    return manifest


def open_generation(generation: Path):
    """Open a generation's Whoosh index; IndexMissing if it does not open."""
    verify_generation(generation)
    try:
        return index.open_dir(str(generation))
    except Exception as error:  # Whoosh raises many kinds on damaged files
        raise damaged_index(generation, str(error)) from None


def read_manifest(generation: Path) -> dict:
    try:
        data = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise IndexMissing(
            f"{generation / MANIFEST}: unreadable ({error})",
            f"{generation / MANIFEST}: không đọc được ({error})",
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexMissing(
            f"{generation}: not a {FORMAT} index", f"{generation}: không phải chỉ mục {FORMAT}"
        )
    return data


def _next_name(index_dir: Path) -> str:
    numbers = [0]
    for entry in index_dir.iterdir():
        match = re.match(r"^gen-(\d{6})(\.tmp)?$", entry.name)
        if match:
            numbers.append(int(match.group(1)))
    return f"gen-{max(numbers) + 1:06d}"


def _hardlink_tree(source: Path, target: Path) -> None:
    """Whoosh segment files are write-once, so a new generation can share them."""
    target.mkdir()
    for entry in source.iterdir():
        if entry.is_file() and not entry.name.endswith("LOCK"):
            try:
                os.link(entry, target / entry.name)
            except OSError:
                shutil.copy2(entry, target / entry.name)


def manifest_checksums(generation: Path | None) -> dict[str, str]:
    if generation is None:
        return {}
    try:
        return dict(read_manifest(generation).get("checksums") or {})
    except IndexMissing:
        return {}


def _file_hash(path: Path | None) -> str:
    if path is None or not Path(path).exists():
        return ""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class IndexSource(Protocol):
    """A document as the index builder needs it: an id, a hash, and (only when
    the hash changed) the document itself. SearchDocument is one; the Pelican
    plugin passes lazy ones so an unchanged build extracts no text."""

    id: str

    def content_hash(self) -> str: ...

    def document(self) -> SearchDocument: ...


# Postings per block (Whoosh's default is 128). A query reads a common
# syllable's postings whole, and each block costs Python calls to write and
# to read: 1,024 took a quarter off both on the news corpus.
POSTINGS_BLOCK = 1024
# Whoosh sorts the postings in memory up to this estimate, then spills runs to
# disk and merges them in Python. 10,000 stories (2.5 million postings) fit:
# 34 s of CPU instead of 60 s with 128 MB.
POOL_MB = 1024


class _Codec(W3Codec):
    # The posting weights already hold the length normalization: Whoosh's
    # per-posting lookup of the document's field length when it writes a
    # segment (a column read for every posting) is a third of that work, for nothing.
    length_stats = False

    def __init__(self, bulk: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.bulk = bulk

    def field_writer(self, storage, segment):
        if self.bulk:  # the same files, without Whoosh's Python calls per posting
            return BulkFieldWriter(self, storage, segment)
        return super().field_writer(storage, segment)


def _writer(ix, bulk: bool = True):
    """The index's writer; `bulk` False: Whoosh's own posting loops (the same bytes,
    tests/test_search_bulkwrite.py compares them)."""
    # One process: two (Whoosh's MpWriter) cost a third more CPU in pickling
    # and left two segments for every query to read.
    writer = ix.writer(limitmb=POOL_MB, codec=_Codec(bulk, blocklimit=POSTINGS_BLOCK))
    if bulk:
        writer.pool = BulkPool(writer._tempstorage, writer.newsegment, POOL_MB, TERMS)
    return writer


def _glossaries_hash(glossary_path: Path | str | None, synonyms_path: Path | str | None) -> str:
    """What the index depends on besides the documents: acronyms and synonyms, which are
    indexed in every document where their phrases are written."""
    glossary_hash = _file_hash(glossary_path)
    if _file_hash(synonyms_path):
        glossary_hash += "+" + _file_hash(synonyms_path)
    return glossary_hash


def build_index(
    index_dir: Path | str,
    documents: Iterable[IndexSource],
    glossary_path: Path | str | None = None,
    synonyms_path: Path | str | None = None,
    pending: PendingGenerations | None = None,
) -> BuildReport:
    """Bring the index at `index_dir` in line with `documents`, touching only what changed.

    With `pending`, the new generation is added to it instead of becoming current
    (see PendingGenerations); the base is then the build's own pending one, if any.
    """
    index_dir = Path(index_dir)
    docs: dict[str, IndexSource] = {}
    for doc in documents:
        docs[doc.id] = doc
    wanted = {doc_id: doc.content_hash() for doc_id, doc in docs.items()}
    glossary_hash = _glossaries_hash(glossary_path, synonyms_path)
    glossaries = (glossary_path, synonyms_path)

    with writer_lock(index_dir):
        base, manifest, previous, reason = None, {}, {}, ""
        try:
            base = current_generation(index_dir, pending)
            manifest = verify_generation(base, checksums=True)
            open_generation(base).close()
            previous = dict(manifest.get("documents", {}))
        except IndexMissing as error:
            if any(p.name not in (LOCK,) for p in index_dir.iterdir()):
                reason = str(error)
                log.warning("search index: %s; rebuilding it from scratch", error)
            base, previous = None, {}

        same_glossary = base is not None and manifest.get("glossary_hash", "") == glossary_hash
        if base is not None and not same_glossary:
            # Acronyms are indexed where their expansions are written: a new
            # glossary means indexing every document again.
            base, previous = None, {}
        added = [i for i in wanted if i not in previous]
        changed = [i for i in wanted if i in previous and previous[i] != wanted[i]]
        removed = [i for i in previous if i not in wanted]
        unchanged = len(wanted) - len(added) - len(changed)
        if base is not None and not (added or changed or removed):
            return BuildReport(0, 0, 0, unchanged, base.name, written=False)

        def write(start: Path | None, changes: tuple[list[str], list[str], list[str]]) -> str:
            return _write_generation(
                index_dir, start, docs, wanted, *changes, glossaries, glossary_hash, pending
            )

        try:
            name = write(base, (added, changed, removed))
        except Exception as error:  # a generation that opens but cannot be updated
            if base is None:
                raise
            reason = f"{base}: update failed ({error})"
            log.warning("search index: %s; rebuilding it from scratch", reason)
            added, changed, removed = list(wanted), [], []
            name = write(None, (added, changed, removed))
        return BuildReport(
            len(added), len(changed), len(removed), unchanged, name, True, rebuilt_reason=reason
        )


def _write_generation(
    index_dir: Path,
    base: Path | None,
    docs: dict[str, IndexSource],
    wanted: dict[str, str],
    added: list[str],
    changed: list[str],
    removed: list[str],
    glossary_paths: tuple[Path | str | None, Path | str | None],
    glossary_hash: str,
    pending: PendingGenerations | None,
) -> str:
    """Write the next generation aside (from `base`, or from scratch) and make it
    current (or add it to `pending`)."""
    glossary_path, synonyms_path = glossary_paths
    name = _next_name(index_dir)
    staging = index_dir / f"{name}.tmp"
    _clean_stale(index_dir, keep={base.name} if base else set())
    if base is not None:
        _hardlink_tree(base, staging)
        ix = index.open_dir(str(staging))
    else:
        staging.mkdir()
        ix = FileStorage(str(staging)).create_index(build_schema())
    if added or changed or removed:
        acronyms = AcronymMatcher(
            load_glossary(glossary_path) if glossary_path else None, load_synonyms(synonyms_path)
        )
        writer = _writer(ix)
        try:
            for doc_id in removed + changed:
                writer.delete_by_term("id", doc_id)
            for doc_id in changed + added:
                fields = whoosh_fields(docs[doc_id].document(), wanted[doc_id], acronyms)
                if isinstance(writer.pool, BulkPool):
                    add_document(writer, fields)
                else:
                    writer.add_document(**fields)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
    ix.close()
    for source, copy in ((glossary_path, GLOSSARY), (synonyms_path, SYNONYMS)):
        if source is not None and Path(source).exists():
            write_atomically(staging / copy, Path(source).read_bytes())
        else:
            (staging / copy).unlink(missing_ok=True)
    manifest = {
        "format": FORMAT,
        "documents": wanted,
        "glossary_hash": glossary_hash,
        "files": _index_files(staging),
        "checksums": _checksums(staging, base, manifest_checksums(base)),
    }
    # Whoosh does not fsync its files: one flush of the file system before the
    # manifest, which is written last (a generation without it is never current).
    sync_filesystem(staging)
    write_atomically(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False))
    move_into_place(staging, index_dir / name)
    if pending is not None:
        pending.add(index_dir, name)  # current once the build's output is swapped in
    else:
        _point_to(index_dir, name)
        _clean_stale(index_dir, keep={name})
    return name
