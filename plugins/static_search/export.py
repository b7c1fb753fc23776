"""Export the Whoosh index as a sharded static index for the browser.

Layout under `<output>/<STATIC_SEARCH_DIR>/` (see README.md):

    manifest.json              fixed name, small: ranking parameters, glossary, the
                               shard count and the shard directory pages' hashes
    docs.<hash>.json.gz        per-document facets (year, day, kind, models, places),
                               Whoosh order, N and the chunk directory pages' hashes
    d/t<page>.<hash>.json.gz   shard directory page: the hashes of SHARD_PAGE shards
    d/f<page>.<hash>.json.gz   chunk directory page: the chunks of CHUNK_SPAN ids
    t/<shard>.<hash>.json.gz   term shards: {folded key: {term: [df, doc steps, weights]}}
                               (a pair: [df, doc steps]), numbers as characters
    f/<first>.<hash>.json.gz   fragments {id: [title, url, date, kind, models, text]}

A syllable's postings hold document numbers and the weights q of the Whoosh
index (vnsearch.analysis), never scores; a pair "a_b" lists the documents where
the two folded syllables are adjacent (from the stored adjacency text). The
global statistic N lives in the docs file, so editing one article rewrites only
the shards of the terms it gained or lost (and those whose df moved).

With a cache folder (static_search passes <CACHE_PATH>/static-search), every
shard and fragment chunk is known by a fingerprint of what it encodes: one
whose terms or documents did not change since the last export is not encoded
again but carried over by its content-hashed name, as a hard link to the file
kept in the cache (the build writes a new output folder each time, so without
it every file would be rewritten). Only the changed shards, chunks and the two
small tables are encoded.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import operator
import os
import pickle
import re
import shutil
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count, repeat
from pathlib import Path

import numpy as np

from static_search import incremental
from static_search.reader import IndexSnapshot, identity, read_snapshot
from tdbvantq import text as vntext
from tdbvantq.search import analysis, ranking, snippet
from tdbvantq.search.searcher import day_key
from tdbvantq.writes import AtomicBatch, exclusive_lock, write_atomically, write_cache_file

FORMAT = "static-search-4"
MANIFEST = "manifest.json.gz"
SHARD_HASH = 6  # hex digits of content hash in shard file names
CHUNK_HASH = 6  # ... and in fragment chunk names
# Directory pages (d/): the shards' hashes SHARD_PAGE shards a page, the fragment
# chunks' CHUNK_SPAN documents a page. What a first query fetches besides its
# shards and chunks is then a few pages of half a kilobyte, whatever the archive's
# size: one list of every hash grows with it (100 KB gzipped at 100,000 stories).
SHARD_PAGE = 128
CHUNK_SPAN = 256
# Shards stay near shard_bytes up to this many (at 100,000 stories about 65,536):
# a capped count makes every shard, and so every query, grow with the archive.
MAX_SHARDS = 1 << 20


@dataclass
class ExportReport:
    documents: int
    terms: int
    shards: int
    chunks: int
    written: int  # files written (new content)
    removed: int  # stale files removed
    bytes: int  # total size of the static index
    reused: int = 0  # shards and chunks carried over from the cache, not encoded again
    patched: int | None = None  # shards patched by the incremental path (None: full export)


def term_hash(text: str) -> int:
    """FNV-1a (32 bit) over UTF-8 bytes; search-engine.js has the same function."""
    value = 0x811C9DC5
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def shard_key(term: str) -> str:
    """A term's folded form: every spelling of a syllable ("đảng", "đang", "dạng",
    "dang") shares one key and one shard, as a folded query needs them all."""
    return vntext.fold_cached(term)  # many spellings, few keys


def shard_of(term: str, count: int) -> int:
    return term_hash(shard_key(term)) % count


# Numbers as JSON string characters (`number_lists`, search-engine.js `decodeNumbers`):
# n < NUMBER_SPAN is one character U+0030 + n (one UTF-8 byte up to 79, two up to
# 1,999); a larger n is two, U+E000 + n // NUMBER_SPAN then U+0030 + n % NUMBER_SPAN.
# Neither range meets the surrogates or the list separator ",".
NUMBER_BASE = 0x30
NUMBER_SPAN = 0xA000
NUMBER_HIGH = 0xE000
NUMBER_MAX = 0x1F00 * NUMBER_SPAN - 1


def number_chars(values: list[int]) -> str:
    """Non-negative integers as one string, one or two characters each."""
    if len(values) == 1 and 0 <= values[0] < NUMBER_SPAN:  # most pairs: one document
        return chr(NUMBER_BASE + values[0])
    if values and min(values) >= 0 and max(values) < NUMBER_SPAN:  # nearly always
        return array("I", map(NUMBER_BASE.__add__, values)).tobytes().decode("utf-32-le")
    out = []
    for value in values:
        if not 0 <= value <= NUMBER_MAX:
            raise ValueError(f"number out of range for the static index: {value}")
        if value >= NUMBER_SPAN:
            out.append(chr(NUMBER_HIGH + value // NUMBER_SPAN))
            value %= NUMBER_SPAN
        out.append(chr(NUMBER_BASE + value))
    return "".join(out)


def numbers_of(text: str) -> list[int]:
    """number_chars undone (search-engine.js decodeNumbers)."""
    values, high = [], 0
    for char in text:
        code = ord(char)
        if code >= NUMBER_HIGH:
            high = (code - NUMBER_HIGH) * NUMBER_SPAN
            continue
        values.append(high + code - NUMBER_BASE)
        high = 0
    return values


def encode_postings(items: list[tuple[int, int]]) -> tuple[str, str]:
    """Sorted (doc, q) pairs -> the doc steps and the weights, each as number
    characters (`number_chars`; the first step from −1). Steps and weights apart:
    a shard is 27% smaller gzipped than with [Δdoc, q, Δdoc, q, …] in JSON."""
    items = sorted(items)
    docs = [doc for doc, _ in items]
    return (
        number_chars(list(map(operator.sub, docs, [-1, *docs[:-1]]))),
        number_chars([q for _, q in items]),
    )


def encode_ids(ids: list[int], presorted: bool = False) -> str:
    """Doc ids -> their steps in id order (the first from −1), as number characters."""
    if len(ids) == 1:  # most pairs: one document
        return number_chars([ids[0] + 1])
    if not presorted:
        ids = sorted(ids)
    return number_chars(list(map(operator.sub, ids, [-1, *ids[:-1]])))


def is_pair(term: str) -> bool:
    return analysis.BIGRAM_JOINER in term


def key_of(term: str) -> str:
    """The key a term is filed under in its shard: a pair is already folded."""
    return term if is_pair(term) else shard_key(term)


def term_entry(df: int, items: list[tuple[int, int]]) -> bytes:
    """The JSON of a syllable term's entry: [df, doc steps, weights]."""
    return _json([df, *encode_postings(items)])


def pair_entry(ids: list[int]) -> bytes:
    """The JSON of a pair's entry, [df, doc steps], from its sorted static ids."""
    if len(ids) == 1 and ids[0] + 1 < NUMBER_SPAN and ids[0] + 1 != _BACKSLASH:  # most pairs
        return b'[1,"%s"]' % chr(NUMBER_BASE + ids[0] + 1).encode("utf-8")
    return _json([len(ids), encode_ids(ids, presorted=True)])


_BACKSLASH = ord("\\") - NUMBER_BASE  # the one number character JSON escapes


def json_bytes(value) -> bytes:
    return _json(value)


def browser_params() -> dict:
    """Every ranking and snippet constant the browser engine uses, read from vnsearch
    (written once, in Python; search-engine.js and search-snippet.js have none)."""
    return {
        "K1": ranking.BM25_K1,
        "weightScale": ranking.WEIGHT_SCALE,
        "joiner": analysis.BIGRAM_JOINER,
        "E": ranking.EXACT_WEIGHT,
        "S": ranking.SYNONYM_WEIGHT,
        "phraseOnlyUnits": ranking.PHRASE_ONLY_UNITS,
        "phraseOnlyMaxDocs": ranking.PHRASE_ONLY_MAX_DOCS,
        "C": ranking.COORD_EXPONENT,
        "Q": ranking.PHRASE_WEIGHT,
        "msmAllUnits": ranking.MSM_ALL_UNITS,
        "msmNoUnits": ranking.MSM_NO_UNITS,
        "maxSyllables": ranking.MAX_QUERY_SYLLABLES,
        "maxQueryChars": ranking.MAX_QUERY_CHARS,
        "maxAcronymRun": ranking.MAX_ACRONYM_RUN,
        # Question words (not query units): the one list, vnsearch.ranking's.
        "questionWords": list(ranking.QUESTION_WORDS),
        "questionFrames": list(ranking.QUESTION_FRAMES),
        "foldedQuestionWords": list(ranking.FOLDED_QUESTION_WORDS),
        # Clause punctuation that ends an adjacency run: vnsearch's own pattern.
        "boundary": analysis.BOUNDARY.pattern,
        "snippet": {
            "maxText": snippet.MAX_TEXT,
            "window": snippet.WINDOW,
            "focusChars": snippet.FOCUS_CHARS,
            "adjacentGain": snippet.ADJACENT_GAIN,
            "distinctGain": snippet.DISTINCT_GAIN,
        },
    }


# One encoder for the whole export: json.dumps with options builds a new JSONEncoder at
# every call, and the export encodes hundreds of thousands of small values.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _json(value) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


# What json escapes in a string when ensure_ascii is off: the quote, the backslash and
# the control characters. A term without them is its own JSON between quotes.
_JSON_ESCAPED = re.compile(r'[\x00-\x1f"\\]')


def _json_str(text: str) -> bytes:
    """`_json(text)` for a string, without the encoder for the common case (the
    shards' 265,000 keys and terms at 1,000 stories)."""
    if _JSON_ESCAPED.search(text) is None:
        return b'"' + text.encode("utf-8") + b'"'
    return _json(text)


def _gzip(data: bytes) -> bytes:
    # Level 6: 1% larger than 9 on the shards, at well under half the CPU.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _digest(data: bytes, size: int = 10) -> str:
    return hashlib.sha256(data).hexdigest()[:size]


def _code_version() -> str:
    """sha256 of this module and the modules whose output it encodes: a changed
    encoder never carries over a file an older one wrote."""
    digest = hashlib.sha256(FORMAT.encode())
    here = Path(__file__).parent
    files = sorted(here.glob("*.py"))
    for package in (vntext, analysis):  # tdbvantq.text and tdbvantq.search
        files += sorted(Path(str(package.__file__)).parent.glob("*.py"))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class _Feed:
    """A file-like sink that hashes what pickle writes, without keeping it."""

    def __init__(self, digest) -> None:
        self.write = digest.update


class _EncodedCache:
    """Files of earlier exports, by the fingerprint of what each encodes.

    `state.json` maps a fingerprint to the file's name (relative to the static
    index) and size; the files sit under `files/` with those names. Entries the
    current export does not use are dropped when it ends, with their files."""

    STATE = "state.json"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.version = _code_version()
        self.known: dict[str, list] = {}
        self.used: dict[str, list] = {}
        self.batch = AtomicBatch()
        self.next_state: incremental.ExportState | None = None  # saved with the files
        self.doc_names: set[str] | None = None  # files in docs/ (listed when first needed)
        try:
            state = json.loads((folder / self.STATE).read_text(encoding="utf-8"))
            if isinstance(state, dict) and state.get("version") == self.version:
                self.known = dict(state.get("files") or {})
        except (OSError, ValueError):
            pass  # no cache yet, or a damaged one: encode everything

    @staticmethod
    def fingerprint(kind: str, value: object) -> str:
        # pickle is a fraction of the JSON + gzip it saves. Without its memo
        # (`fast`), equal values in the same order give equal bytes in any
        # process: the memo writes a string seen twice as a reference or not
        # depending on object identity. A different order only costs an encoding.
        digest = hashlib.blake2b(digest_size=16)
        pickler = pickle.Pickler(_Feed(digest), protocol=5)
        pickler.fast = True
        pickler.dump((kind, value))
        return digest.hexdigest()

    def find(self, fingerprint: str) -> tuple[str, Path] | None:
        entry = self.known.get(fingerprint)
        if not entry:
            return None
        relative, size = entry
        path = self.folder / "files" / relative
        try:
            if path.stat().st_size != size:
                return None
            os.utime(path)  # used by this build, like every cache under CACHE_PATH
        except OSError:
            return None
        self.used[fingerprint] = entry
        return relative, path

    def keep(self, fingerprint: str, relative: str, data: bytes) -> str:
        """Stage the file of `fingerprint`; returns the temporary file holding it
        (the output's copy is a hard link to it: the bytes are written once)."""
        self.used[fingerprint] = [relative, len(data)]
        return self.batch.put(self.folder / "files" / relative, data)

    def state(self, shard_bytes: int) -> incremental.ExportState | None:
        """What the last export with these settings left for the next one to patch."""
        return incremental.load_state(self.folder, self.state_version(shard_bytes))

    def state_version(self, shard_bytes: int) -> str:
        return f"{self.version}/{shard_bytes}"

    def save(self) -> None:
        self.batch.commit()
        state = self.folder / incremental.STATE
        if self.next_state is None:
            state.unlink(missing_ok=True)
        write_atomically(
            self.folder / self.STATE,
            json.dumps({"version": self.version, "files": self.used}, sort_keys=True),
        )
        if self.next_state is not None:
            # After the files it names are in place (a killed export leaves the old
            # state, whose files the next export finds missing: it then exports in full).
            write_atomically(state, pickle.dumps(self.next_state, protocol=5), durable=False)
        self._prune_docs()
        wanted = {relative for relative, _ in self.used.values()}
        for sub in ("t", "f"):
            folder = self.folder / "files" / sub
            if folder.is_dir():
                for path in folder.iterdir():
                    if f"{sub}/{path.name}" not in wanted:
                        path.unlink(missing_ok=True)

    def _prune_docs(self) -> None:
        """Keep the terms of the live documents (the next export's old versions)."""
        folder = self.folder / "docs"
        if not folder.is_dir():
            return
        if self.next_state is None:
            shutil.rmtree(folder, ignore_errors=True)
            return
        wanted = {incremental.doc_file(self.folder, i).name for i in self.next_state.present}
        for path in folder.iterdir():
            if path.name not in wanted:
                path.unlink(missing_ok=True)


class _Writer:
    """Writes files atomically through safe_write, skips files whose content is
    already there. Files are staged as they come and put in place together, in
    the order given (the manifest last), by `remove_stale()`: one flush of the
    disk for the whole export instead of one per file. With a cache, a shard or
    chunk whose fingerprint is known is linked from it instead of encoded."""

    def __init__(self, root: Path, cache: _EncodedCache | None = None) -> None:
        self.root = root
        self.kept: set[Path] = set()
        self.written = 0
        self.reused = 0
        self.bytes = 0
        self.batch = AtomicBatch()
        self.cache = cache

    def put(self, relative: str, data: bytes, staged: str | None = None) -> None:
        """Stage `data` as `relative`; with `staged` (a temporary file of the cache
        holding the same bytes), as a hard link to it."""
        path = self.root / relative
        self.kept.add(path)
        self.bytes += len(data)
        if path.exists() and path.read_bytes() == data:
            return
        if staged is None:
            self.batch.put(path, data)
        else:
            self.batch.link(path, Path(staged))
        self.written += 1

    def put_encoded(
        self, kind: str, value: object, encode: Callable[[], bytes], name: Callable[[bytes], str]
    ) -> str:
        """The file for `value`: carried over from the cache when it encodes the
        same value, else `encode()`d and named `name(data)`. Returns its name."""
        if self.cache is None:
            data = encode()
            relative = name(data)
            self.put(relative, data)
            return relative
        return self.put_known(self.cache.fingerprint(kind, value), encode, name)

    def put_known(
        self, fingerprint: str, encode: Callable[[], bytes], name: Callable[[bytes], str]
    ) -> str:
        """put_encoded for a value whose fingerprint is known."""
        assert self.cache is not None
        relative = self.carry(fingerprint)
        if relative is None:
            data = encode()
            relative = name(data)
            # Written once, into the cache; the output links to it, as a carried-over
            # file does (the cache's batch is committed first, `remove_stale`).
            self.put(relative, data, staged=self.cache.keep(fingerprint, relative, data))
        return relative

    def carry(self, fingerprint: str) -> str | None:
        """The cached file of `fingerprint`, linked into the output; None if not cached."""
        assert self.cache is not None
        found = self.cache.find(fingerprint)
        if found is None:
            return None
        relative, source = found
        path = self.root / relative
        self.kept.add(path)
        self.bytes += source.stat().st_size
        self.reused += 1
        if not path.exists():
            # A new name in the folder (the build's fresh staging folder): linked in
            # place at once, whole, as the batch would (content-hashed names: no reader
            # knows the name before the manifest names it).
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, path)
                return relative
            except OSError:
                pass
        if not (path.exists() and os.path.samefile(path, source)):
            self.batch.link(path, source)
        return relative

    def remove_stale(self) -> int:
        """Put every staged file in place, then remove the files no longer used."""
        if self.cache is not None:
            self.cache.save()  # first: the links below point at its files
        self.batch.commit()
        removed = 0
        for sub in ("t", "f", "d", "."):
            folder = self.root / sub
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.is_file() and path not in self.kept and _ours(path.name):
                    path.unlink()
                    removed += 1
        return removed


def _ours(name: str) -> bool:
    return name.endswith(".json.gz") or (name.startswith(".") and name.endswith(".tmp"))


def _document_order(snapshot: IndexSnapshot) -> list:
    # Stable ids: oldest first, so new articles append instead of renumbering.
    return sorted(
        snapshot.documents,
        key=lambda d: (str(d.stored.get("date", "")), str(d.stored.get("id", ""))),
    )


def _fragment(stored: dict) -> list:
    parts = [stored.get("summary_text", ""), stored.get("body_text", "")]
    text = "\n".join(p for p in parts if p)[: snippet.MAX_TEXT] or stored.get("title_text", "")
    return [
        stored.get("title_text", ""),
        stored.get("url", ""),
        stored.get("date", ""),
        stored.get("kind", ""),
        list(stored.get("model_names", [])),
        text,
    ]


def export_static_index(
    index_dir: Path | str,
    target: Path | str,
    *,
    shard_bytes: int = 12000,
    chunk_bytes: int = 1500,
    generation: Path | None = None,
    cache: Path | None = None,
) -> ExportReport:
    """Write the static index for the Whoosh index at `index_dir` (its current
    generation, or `generation`) into `target`; with `cache`, carry over the
    shards and chunks that did not change since the export that filled it."""
    if cache is None:
        return _export(index_dir, target, shard_bytes, chunk_bytes, generation, None)
    Path(cache).mkdir(parents=True, exist_ok=True)
    with exclusive_lock(Path(cache)):  # builds sharing a cache take turns
        return _export(
            index_dir, target, shard_bytes, chunk_bytes, generation, _EncodedCache(Path(cache))
        )


def _export(
    index_dir: Path | str,
    target: Path | str,
    shard_bytes: int,
    chunk_bytes: int,
    generation: Path | None,
    cache: _EncodedCache | None,
) -> ExportReport:
    snapshot, postings = read_snapshot(index_dir, generation)
    try:
        documents = _document_order(snapshot)
        writer = _Writer(Path(target), cache)
        state = cache.state(shard_bytes) if cache is not None else None
        shards = _patched_shards(writer, snapshot, documents, state, shard_bytes)
        if shards is None:
            shards = _all_shards(writer, snapshot, postings, documents, shard_bytes)
        shard_pages = _write_shard_pages(writer, shards.names)
        sizes = dict(state.sizes) if state is not None else {}
        chunks = _write_chunks(writer, snapshot, documents, chunk_bytes, sizes)
        chunk_pages = _write_chunk_pages(writer, chunks, len(documents))
        docs_data = _gzip(_json(_docs_table(snapshot, documents, chunk_pages)))
        docs_name = f"docs.{_digest(docs_data)}.json.gz"
        writer.put(docs_name, docs_data)
        manifest = _manifest(
            docs_name, shards.names, shard_pages, snapshot.glossary, shards.stop_spellings
        )
        manifest["synonyms"] = snapshot.synonyms  # the editors' rules, as vnsearch plans with them
        # The manifest goes last: until it is replaced, readers keep the old file set.
        writer.put(MANIFEST, _gzip(_json(manifest)))
        if cache is not None:
            cache.next_state = _next_state(cache, shard_bytes, snapshot, documents, shards, sizes)
        removed = writer.remove_stale()
    finally:
        snapshot.close()
    return ExportReport(
        documents=len(documents),
        terms=shards.term_count,
        shards=len(shards.names),
        chunks=len(chunks),
        written=writer.written,
        removed=removed,
        reused=writer.reused,
        bytes=writer.bytes,
        patched=shards.patched,
    )


@dataclass
class _Shards:
    """The term shards written, and what the next export needs to patch them."""

    names: list[str]  # each shard's short hash
    files: list[tuple[str, str]]  # (fingerprint, file) of each shard, with a cache
    stop_spellings: list[str]
    term_count: int
    raw_size: int
    df: dict[str, int]  # syllable term -> its live documents
    live_terms: set[str]
    patched: int | None = None  # shards encoded again by the incremental path


def _next_state(
    cache: _EncodedCache,
    shard_bytes: int,
    snapshot: IndexSnapshot,
    documents: list,
    shards: _Shards,
    sizes: dict,
) -> incremental.ExportState:
    order = [identity(document.stored) for document in documents]
    present = Counter(order)
    return incremental.ExportState(
        version=cache.state_version(shard_bytes),
        count=len(shards.names),
        shards=shards.files,
        order=order,
        present=present,
        df=shards.df,
        live_terms=shards.live_terms,
        raw_size=shards.raw_size,
        term_count=shards.term_count,
        sizes={ident: sizes[ident] for ident in order},
    )


def _all_shards(
    writer: _Writer, snapshot: IndexSnapshot, postings, documents: list, shard_bytes: int
) -> _Shards:
    """Every term of the index, read and encoded (a cold export, or one the
    incremental path cannot patch)."""
    forward = _Forward() if writer.cache is not None else None
    terms, df, live_terms = _collect_terms(snapshot.posting_arrays(), documents, forward)
    pairs, pair_postings = _collect_pairs(snapshot, documents, forward, writer.cache)
    terms.update(pairs)
    raw_size = _raw_size(terms, df, pair_postings)
    names, files = _write_shards(writer, terms, _shard_count(raw_size, shard_bytes))
    stop = incremental.stop_spellings(df, live_terms, snapshot.total_docs)
    return _Shards(names, files, stop, len(terms), raw_size, df, live_terms)


class _Forward:
    """Each live document's terms and q, gathered from the postings as they are read
    (the index has no forward lists): the incremental path's record of what each
    document put in the shards. Every posting's document, term number and q go into
    three flat arrays, a term at a time (C loops, 12 bytes a posting); they are
    grouped by document, in term order, when the first document is asked for."""

    def __init__(self) -> None:
        self.terms: list[str] = []
        self._docs, self._numbers, self._weights = array("i"), array("i"), array("i")
        self._spans: dict[int, tuple[int, int]] | None = None

    def add(self, term: str, items: list[tuple[int, int]]) -> None:
        if not items:
            return
        docs, weights = zip(*items, strict=True)
        self._numbers.extend(repeat(len(self.terms), len(docs)))
        self.terms.append(term)
        self._docs.extend(docs)
        self._weights.extend(weights)

    def add_arrays(
        self, terms: list[str], numbers: np.ndarray, docnums: np.ndarray, weights: np.ndarray
    ) -> None:
        """Every posting at once: `numbers` index `terms`, by term then docnum (what
        `add` a term at a time in term order gives)."""
        assert not self.terms
        self.terms = list(terms)
        self._numbers = array("i", numbers.astype(np.int32).tobytes())
        self._docs = array("i", docnums.astype(np.int32).tobytes())
        self._weights = array("i", weights.astype(np.int32).tobytes())

    def of(self, docnum: int) -> list[tuple[str, int]]:
        if self._spans is None:
            self._group()
        assert self._spans is not None
        start, end = self._spans.pop(docnum, (0, 0))
        numbers, weights = self._numbers[start:end].tolist(), self._weights[start:end].tolist()
        terms = self.terms
        return [(terms[n], q) for n, q in zip(numbers, weights, strict=True)]

    def _group(self) -> None:
        """The postings sorted by document, stably (each document's terms stay in the
        order they were read), and each document's span of them."""
        docs = np.frombuffer(self._docs, np.int32)
        order = np.argsort(docs, kind="stable")
        self._numbers = np.frombuffer(self._numbers, np.int32)[order]
        self._weights = np.frombuffer(self._weights, np.int32)[order]
        ordered = docs[order]
        firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else []
        bounds = [*np.asarray(firsts).tolist(), len(ordered)]
        self._spans = {
            int(ordered[first]): (first, bounds[i + 1]) for i, first in enumerate(bounds[:-1])
        }
        self._docs = array("i")


def _collect_terms(
    postings: tuple[list[str], np.ndarray, np.ndarray, np.ndarray],
    documents: list,
    forward: _Forward | None = None,
) -> tuple[dict[str, bytes], dict[str, int], set[str]]:
    """syllable term -> the JSON of [df, encoded postings] in the static ids; every
    term's df (its live documents, as tdbvantq.search counts it: the deleted copies
    an edit leaves in the index are left out, so an edit moves only the entries of
    the terms it changes) and the terms a live document holds.

    `postings` is `PostingReader.posting_arrays()`. Each entry is kept as its JSON
    text: a list of Python ints takes 4-8 times the memory, and the export holds
    every term of the site at once (the largest part of a big build's peak memory).
    The entries are encoded all at once by numpy (`_number_runs`), as `term_entry`
    encodes one."""
    texts, numbers, docnums, weights = postings
    static = np.full(int(docnums.max()) + 1 if len(docnums) else 0, -1, np.int32)
    for i, document in enumerate(documents):
        if document.docnum < len(static):
            static[document.docnum] = i
    ids = static[docnums]
    live = ids >= 0
    if not live.all():
        numbers, docnums, weights, ids = numbers[live], docnums[live], weights[live], ids[live]
    if forward is not None:
        forward.add_arrays(texts, numbers, docnums, weights)
    order = np.lexsort((ids, numbers))  # each term's postings by static id
    numbers, ids, weights = numbers[order], ids[order], weights[order]
    del order
    df = np.bincount(numbers, minlength=len(texts))
    held = np.flatnonzero(df)
    df = df[held]
    bounds = np.zeros(len(df) + 1, np.int64)
    np.cumsum(df, out=bounds[1:])
    steps = np.diff(ids, prepend=-1)
    steps[bounds[:-1]] = ids[bounds[:-1]] + 1
    del ids
    names = [texts[i] for i in held.tolist()]
    counts = df.tolist()
    entries = [
        b'[%d,"%s","%s"]' % item
        for item in zip(
            counts, _number_runs(steps, bounds), _number_runs(weights, bounds), strict=True
        )
    ]
    return dict(zip(names, entries, strict=True)), dict(zip(names, counts, strict=True)), set(names)


def _collect_pairs(
    snapshot: IndexSnapshot,
    documents: list,
    forward: _Forward | None = None,
    cache: _EncodedCache | None = None,
) -> tuple[dict[str, bytes], int]:
    """pair "a_b" -> the JSON of [df, encoded ids] of the documents where a and b
    are adjacent, and the number of (pair, document). With `forward`, each document's terms and pairs are kept in the
    cache for the incremental path."""
    # Each (pair, document) is two 4-byte numbers: the pair's number (the count of
    # pairs read before its first occurrence: increasing, with gaps) and the document's
    # id, appended in id order. `setdefault` numbers a document's pairs in one C `map`;
    # the lists are then grouped and encoded by numpy (`_pair_entries`), not one Python
    # step a posting.
    numbers: dict[str, int] = {}
    counter = count()
    pair_numbers, doc_ids = array("i"), array("i")
    for doc_id, document in enumerate(documents):
        pairs = analysis.adjacent_pairs_in_order(snapshot.adjacency(document))
        if forward is not None and cache is not None:
            _keep_document(
                cache,
                identity(document.stored),
                incremental.DocTerms(forward.of(document.docnum), pairs),
            )
        pair_numbers.extend(map(numbers.setdefault, pairs, counter))
        doc_ids.extend(repeat(doc_id, len(pairs)))
    entries = dict(zip(numbers, _pair_entries(pair_numbers, doc_ids), strict=True))
    return entries, len(pair_numbers)


def _pair_entries(pair_numbers: array, doc_ids: array) -> list[bytes]:
    """Each pair's entry (`pair_entry` of its ids), pairs in number order."""
    numbers = np.frombuffer(pair_numbers, np.int32)
    order = np.argsort(numbers, kind="stable")  # each pair's ids stay in id order
    ids = np.frombuffer(doc_ids, np.int32)[order]  # int32: 4 bytes a posting
    del order
    df = np.bincount(numbers)
    df = df[df > 0]  # the numbers in use, in order
    bounds = np.zeros(len(df) + 1, np.int64)
    np.cumsum(df, out=bounds[1:])
    steps = np.diff(ids, prepend=-1)
    firsts = bounds[:-1]  # every numbered pair holds at least one document
    steps[firsts] = ids[firsts] + 1
    del ids
    return [
        b'[%d,"%s"]' % item for item in zip(df.tolist(), _number_runs(steps, bounds), strict=True)
    ]


# Values encoded by one numpy pass of `_number_runs` (the rest waits): its arrays
# cost about 40 bytes a value.
_RUN_BATCH = 1 << 22


def _number_runs(values: np.ndarray, bounds: np.ndarray) -> list[bytes]:
    """`number_chars` of each run values[bounds[i]:bounds[i + 1]], as the UTF-8 of its
    JSON string without the quotes (what `_json` writes between them): every run of
    the export at once, in numpy, rather than one call a list."""
    if len(values) and (int(values.min()) < 0 or int(values.max()) > NUMBER_MAX):
        bad = values[(values < 0) | (values > NUMBER_MAX)][0]
        raise ValueError(f"number out of range for the static index: {bad}")
    runs: list[bytes] = []
    first = 0
    while first < len(bounds) - 1:
        # Whole runs, about _RUN_BATCH values (at least one run).
        last = max(first + 1, int(np.searchsorted(bounds, bounds[first] + _RUN_BATCH, "right")) - 1)
        last = min(last, len(bounds) - 1)
        start = int(bounds[first])
        runs += _number_batch(values[start : bounds[last]], bounds[first : last + 1] - start)
        first = last
    return runs


def _number_batch(values: np.ndarray, bounds: np.ndarray) -> list[bytes]:
    high = values // NUMBER_SPAN
    wide = high > 0
    ends = np.cumsum(1 + wide)  # each value's last character + 1
    codes = np.empty(int(ends[-1]) if len(ends) else 0, np.uint32)
    codes[ends - 1] = NUMBER_BASE + values % NUMBER_SPAN
    codes[ends[wide] - 2] = NUMBER_HIGH + high[wide]
    # UTF-8 bytes of each character (all below U+10000), a backslash escaped.
    sizes = 1 + (codes >= 0x80) + (codes >= 0x800) + (codes == ord("\\"))
    offsets = np.zeros(len(codes) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    char_starts = np.zeros(len(values) + 1, np.int64)
    char_starts[1:] = ends
    cuts = offsets[char_starts[bounds]].tolist()
    text = codes.tobytes().decode("utf-32-le").replace("\\", "\\\\").encode("utf-8")
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _keep_document(
    cache: _EncodedCache, ident: tuple[str, str], terms: incremental.DocTerms
) -> None:
    """Keep one document's terms for the next export (cache `docs/`), unless kept."""
    folder = cache.folder / "docs"
    if cache.doc_names is None:  # the folder listed once, not one stat a document
        folder.mkdir(parents=True, exist_ok=True)
        cache.doc_names = set(os.listdir(folder))
    name = incremental.doc_name(ident)
    if name in cache.doc_names:
        return
    cache.doc_names.add(name)
    # A cold export writes one a document, not flushed: a damaged file fails to
    # load, and the export is then a full one.
    write_cache_file(f"{folder}/{name}", pickle.dumps(terms, protocol=5))


def _raw_size(terms: dict[str, bytes], df: dict[str, int], pair_postings: int) -> int:
    """The JSON's size, estimated as 3 bytes an integer of the postings (an entry
    [df,[a,b,c]] holds as many commas as postings integers): the shard count stays
    what it was when the entries were lists. The sum of `incremental.entry_size`
    over the terms, from the counts: two integers a syllable's posting, one a pair's."""
    names = len("".join(terms).encode("utf-8"))
    return names + 10 * len(terms) + 3 * (2 * sum(df.values()) + pair_postings)


def _shard_count(raw_size: int, shard_bytes: int) -> int:
    """A power of two of shards, each about `shard_bytes`."""
    count = 1
    while count < MAX_SHARDS and raw_size / count > shard_bytes:
        count *= 2
    return count


def term_hashes(texts: list[str]) -> np.ndarray:
    """`term_hash` of each text (uint32), a byte column at a time in numpy."""
    data = [text.encode("utf-8") for text in texts]
    lengths = np.fromiter(map(len, data), np.int64, len(data))
    by_length = np.argsort(-lengths, kind="stable")  # the texts still going come first
    flat = np.frombuffer(b"".join(data), np.uint8)
    starts = (np.cumsum(lengths) - lengths)[by_length]
    remaining = lengths[by_length]
    hashes = np.full(len(data), 0x811C9DC5, np.uint32)
    prime = np.uint32(0x01000193)
    for column in range(int(lengths.max()) if len(data) else 0):
        going = int(np.count_nonzero(remaining > column))
        byte = flat[starts[:going] + column]
        hashes[:going] = (hashes[:going] ^ byte) * prime  # uint32: wraps as & 0xFFFFFFFF
    out = np.empty_like(hashes)
    out[by_length] = hashes
    return out


def _write_shards(
    writer: _Writer, terms: dict[str, bytes], count: int
) -> tuple[list[str], list[tuple[str, str]]]:
    """The term shards; their short hashes and (with a cache) (fingerprint, file).

    A shard is {key: {term: entry}} (a folded query finds every spelling under its
    key), its JSON with keys sorted and no spaces, as `_json` writes it. Every term
    is put in its place by one sort, and each shard's JSON is joined from the
    entries' texts."""
    names = list(terms)
    keys = [term if analysis.BIGRAM_JOINER in term else shard_key(term) for term in names]
    unique = list(dict.fromkeys(keys))
    key_number = {key: i for i, key in enumerate(unique)}
    of_term = np.fromiter(map(key_number.__getitem__, keys), np.int64, len(keys))
    key_shard = (term_hashes(unique) % np.uint32(count)).astype(np.int64)
    key_rank = _ranks(unique)
    order = np.lexsort((_ranks(names), key_rank[of_term], key_shard[of_term]))
    numbers = of_term[order]
    shards = key_shard[numbers]
    ordered = order.tolist()
    entries = list(terms.values())
    pieces = _shard_pieces(
        [names[i] for i in ordered],
        [keys[i] for i in ordered],
        [entries[i] for i in ordered],
        numbers,
        shards,
    )
    ends = np.searchsorted(shards, np.arange(count + 1)).tolist()
    shard_names, files = [], []
    for index in range(count):
        raw = b"{" + b"".join(pieces[ends[index] : ends[index + 1]]) + b"}"
        fingerprint, relative = _put_shard(writer, index, count, raw)
        shard_names.append(relative.split(".")[1])  # t/<index>.<digest>.json.gz
        files.append((fingerprint, relative))
    return shard_names, files


def _shard_pieces(
    names: list[str], keys: list[str], entries: list[bytes], numbers: np.ndarray, shards: np.ndarray
) -> list[bytes]:
    """The JSON of each term in its shard, terms in shard, key and term order: joined,
    a shard's pieces are its JSON between the outer braces. A term opens its key's
    object (after a comma unless it is its shard's first) or follows a comma, and
    the last of its key closes the object."""
    changed = numbers[1:] != numbers[:-1]
    opens = np.r_[True, changed].tolist() if len(numbers) else []
    closes = np.r_[changed, True].tolist() if len(numbers) else []
    firsts = np.r_[True, shards[1:] != shards[:-1]].tolist() if len(numbers) else []
    return [
        ((b'"%s":{"' if first else b',"%s":{"') % key if opening else b',"')
        + name
        + b'":'
        + entry
        + (b"}" if closing else b"")
        for name, key, entry, opening, closing, first in zip(
            _json_contents(names), _json_contents(keys), entries, opens, closes, firsts, strict=True
        )
    ]


def _json_contents(texts: list[str]) -> list[bytes]:
    """The UTF-8 of each text's JSON string without the quotes (`_json_str`)."""
    if not texts:
        return []
    joined = "\0".join(texts)
    plain = joined.count("\0") == len(texts) - 1  # no text holds the separator
    if plain and _JSON_ESCAPED.search(joined.replace("\0", " ")) is None:  # nearly always
        return joined.encode("utf-8").split(b"\0")
    return [_json_str(text)[1:-1] for text in texts]


def _ranks(texts: list[str]) -> np.ndarray:
    """Each text's place in sorted order (code point order, as `sorted`)."""
    ranks = np.empty(len(texts), np.int64)
    ranks[sorted(range(len(texts)), key=texts.__getitem__)] = np.arange(len(texts))
    return ranks


def _put_shard(writer: _Writer, index: int, count: int, raw: bytes) -> tuple[str, str]:
    """Stage shard `index` of `count` from its JSON `raw` (known by a hash of it)."""

    def name(data: bytes) -> str:
        return f"t/{index:x}.{_digest(data, SHARD_HASH)}.json.gz"

    encode = functools.partial(_gzip, raw)
    if writer.cache is None:
        return "", writer.put_encoded("shard", None, encode, name)
    digest = hashlib.blake2b(b"shard %d %d\0" % (index, count), digest_size=16)
    digest.update(raw)
    return digest.hexdigest(), writer.put_known(digest.hexdigest(), encode, name)


def _patched_shards(
    writer: _Writer,
    snapshot: IndexSnapshot,
    documents: list,
    state: incremental.ExportState | None,
    shard_bytes: int,
) -> _Shards | None:
    """The shards after an update, the last export's patched where the changed
    documents' terms are and carried over elsewhere; None when that cannot be done."""
    if state is None or writer.cache is None:
        return None
    cache = writer.cache
    change = incremental.find_change(snapshot, documents, state, cache.folder)
    if change is None:
        return None
    for ident, terms in change.data.items():
        if terms.pairs is not None:  # a live document's: the next export may need it
            _keep_document(cache, ident, terms)
    by_shard: dict[int, list[str]] = {}
    for term in incremental.new_postings(state, change)[2]:
        by_shard.setdefault(term_hash(key_of(term)) % state.count, []).append(term)
    old: dict[int, dict] = {}
    for index in by_shard:
        try:
            old[index] = incremental.read_shard(cache.folder / "files" / state.shards[index][1])
        except (OSError, ValueError, EOFError):
            return None
    merged = {key: spellings for content in old.values() for key, spellings in content.items()}
    result = incremental.patch(state, change, merged)
    changed = {
        index
        for index, terms in by_shard.items()
        if any(result.entries[term] != _entry_in(old[index], term) for term in terms)
    }
    carried = [fp for index, (fp, _) in enumerate(state.shards) if index not in changed]
    if _shard_count(result.raw_size, shard_bytes) != state.count or any(
        cache.find(fingerprint) is None for fingerprint in carried
    ):
        return None
    names, files = [], []
    for index, (fingerprint, relative) in enumerate(state.shards):
        if index in changed:
            shard = _patched_shard(old[index], by_shard[index], result.entries)
            fingerprint, relative = _put_shard(writer, index, state.count, _json(shard))
        else:
            writer.carry(fingerprint)
        names.append(relative.split(".")[1])
        files.append((fingerprint, relative))
    stop = incremental.stop_spellings(result.df, result.live_terms, snapshot.total_docs)
    shards = _Shards(
        names, files, stop, result.term_count, result.raw_size, result.df, result.live_terms
    )
    shards.patched = len(changed)
    return shards


def _patched_shard(
    shard: dict[str, dict[str, list]], terms: list[str], entries: dict[str, list | None]
) -> dict[str, dict[str, list]]:
    """One shard's content: its old entries (changed in place), the touched `terms`
    replaced. Its JSON (`_json`: keys sorted, no spaces) is _write_shards', byte for byte."""
    for term in terms:
        key, entry = key_of(term), entries[term]
        if entry is not None:
            shard.setdefault(key, {})[term] = entry
        elif term in shard.get(key, {}):
            del shard[key][term]
            if not shard[key]:
                del shard[key]
    return shard


def _entry_in(shard: dict[str, dict[str, list]], term: str) -> list | None:
    return shard.get(key_of(term), {}).get(term)


def _encode(value) -> bytes:
    return _gzip(_json(value))


def _write_chunks(
    writer: _Writer, snapshot: IndexSnapshot, documents: list, chunk_bytes: int, sizes: dict
) -> list[tuple[int, str]]:
    """Fragment chunks of consecutive documents, each about `chunk_bytes`: [(first id, hash)].

    With a cache, a chunk is known by its documents' identities (the fragments are
    made of their stored fields) and each document's size estimate is kept in
    `sizes`: a carried-over chunk's texts are not read at all."""
    chunks: list[tuple[int, str]] = []
    fragments: dict[int, list] = {}
    group: list[int] = []
    pending_size = 0
    for doc_id, document in enumerate(documents):
        ident = identity(document.stored)
        size = sizes.get(ident)
        if size is None or writer.cache is None:
            fragment = fragments[doc_id] = _fragment(snapshot.texts(document))
            # Size estimate without encoding twice: the text fields dominate.
            size = sizes[ident] = sum(len(part) for part in fragment[:4]) + len(fragment[5]) + 40
        group.append(doc_id)
        pending_size += size
        # A chunk never spans two directory pages: a page lists the chunks of its ids.
        last_of_page = (doc_id + 1) % CHUNK_SPAN == 0
        if pending_size >= chunk_bytes or last_of_page or doc_id == len(documents) - 1:
            first = group[0]
            # The first id makes the name unique: two chunks of equal short hash
            # must never overwrite each other.
            relative = writer.put_encoded(
                "chunk",
                (first, [identity(documents[i].stored) for i in group]),
                functools.partial(_encode_chunk, snapshot, documents, group, fragments),
                lambda data, first=first: f"f/{first:x}.{_digest(data, CHUNK_HASH)}.json.gz",
            )
            for i in group:
                fragments.pop(i, None)
            chunks.append((first, relative.split(".")[1]))
            group, pending_size = [], 0
    return chunks


def _encode_chunk(
    snapshot: IndexSnapshot, documents: list, group: list[int], fragments: dict[int, list]
) -> bytes:
    return _encode(
        {str(i): fragments.get(i) or _fragment(snapshot.texts(documents[i])) for i in group}
    )


def _write_shard_pages(writer: _Writer, shard_names: list[str]) -> list[str]:
    """The shards' hashes in directory pages of SHARD_PAGE shards, `d/t<page>.<hash>`
    (a JSON string of the hashes, in shard order); the pages' hashes."""
    digests = []
    for page, first in enumerate(range(0, len(shard_names), SHARD_PAGE)):
        data = _gzip(_json("".join(shard_names[first : first + SHARD_PAGE])))
        digest = _digest(data, SHARD_HASH)
        writer.put(f"d/t{page:x}.{digest}.json.gz", data)
        digests.append(digest)
    return digests


def _write_chunk_pages(writer: _Writer, chunks: list[tuple[int, str]], count: int) -> list[str]:
    """The fragment chunks of ids [p * CHUNK_SPAN, (p + 1) * CHUNK_SPAN) in directory
    page p, `d/f<page>.<hash>`: {"starts": first ids as steps from the page's first
    id, "hashes": their hashes concatenated}; the pages' hashes."""
    by_page: list[list[tuple[int, str]]] = [[] for _ in range(-(-count // CHUNK_SPAN))]
    for first, digest in chunks:
        by_page[first // CHUNK_SPAN].append((first, digest))
    digests = []
    for page, listed in enumerate(by_page):
        previous = page * CHUNK_SPAN
        starts = []
        for first, _ in listed:
            starts.append(first - previous)
            previous = first
        data = _gzip(_json({"starts": starts, "hashes": "".join(d for _, d in listed)}))
        digest = _digest(data, CHUNK_HASH)
        writer.put(f"d/f{page:x}.{digest}.json.gz", data)
        digests.append(digest)
    return digests


def _model_table(documents: list) -> tuple[list[str], dict[str, str]]:
    """Every model slug of the documents, sorted, and its display name."""
    names: dict[str, str] = {}
    for document in documents:
        doc_slugs = [s for s in str(document.stored.get("model_slugs", "")).split(",") if s]
        doc_names = list(document.stored.get("model_names", []))
        for i, slug in enumerate(doc_slugs):
            names.setdefault(slug, doc_names[i] if i < len(doc_names) else slug)
    return sorted(names), names


def _place_table(documents: list) -> tuple[list[str], dict[str, str]]:
    """Every place slug of the documents, the most frequent first (ties by slug),
    and its display name: the frequent places get the one-byte characters of
    `number_lists`."""
    names: dict[str, str] = {}
    uses: Counter = Counter()
    for document in documents:
        doc_slugs = [s for s in str(document.stored.get("place_slugs", "")).split(",") if s]
        doc_names = list(document.stored.get("place_names", []))
        uses.update(set(doc_slugs))
        for i, slug in enumerate(doc_slugs):
            names.setdefault(slug, doc_names[i] if i < len(doc_names) else slug)
    return sorted(names, key=lambda slug: (-uses[slug], slug)), names


def number_lists(lists: list[list[int]]) -> str:
    """One short list of numbers per document, each sorted, joined by ",".
    At 100,000 stories the place column is 36 KB gzipped this way, 82 KB as JSON
    arrays: a document without places costs one comma."""
    return ",".join(number_chars(sorted(values)) for values in lists)


def _document_places(documents: list, place_index: dict[str, int]) -> tuple[list[list[int]], bool]:
    """Each document's place ids; when every commune's document also names its
    province ("hue/phuong-phong-thai" with "hue"), the provinces so implied are
    left out (a quarter of the pairs) and the flag says the reader adds them back."""
    slugs = [[s for s in str(d.stored.get("place_slugs", "")).split(",") if s] for d in documents]
    implied = all(s.split("/")[0] in doc for doc in slugs for s in doc)
    if implied:
        parents = [{s.split("/")[0] for s in doc if "/" in s} for doc in slugs]
        slugs = [[s for s in doc if s not in parents[i]] for i, doc in enumerate(slugs)]
    return [sorted({place_index[s] for s in doc}) for doc in slugs], implied


def _docs_table(snapshot: IndexSnapshot, documents: list, chunk_pages: list[str]) -> dict:
    """Per-document facets, Whoosh's order, N and the chunk directory pages' hashes."""
    slugs, names = _model_table(documents)
    places, place_names = _place_table(documents)
    place_index = {slug: i for i, slug in enumerate(places)}
    slug_index = {slug: i for i, slug in enumerate(slugs)}
    order = {d.docnum: rank for rank, d in enumerate(sorted(documents, key=lambda d: d.docnum))}
    doc_places, implied = _document_places(documents, place_index)
    return {
        "count": len(documents),
        "total_docs": snapshot.total_docs,
        "years": [str(d.stored.get("year", "")) for d in documents],
        # Day of the year (1-366; 0 without a date): with "years", the sort key of
        # "newest first" (vnsearch.searcher.day_key), a few bytes a document.
        "days": [day_key(str(d.stored.get("date", ""))) % 1000 for d in documents],
        "kinds": "".join("m" if d.stored.get("kind") == "model" else "a" for d in documents),
        "models": number_lists(
            [
                [slug_index[s] for s in str(d.stored.get("model_slugs", "")).split(",") if s]
                for d in documents
            ]
        ),
        "model_slugs": slugs,
        "model_names": [names[s] for s in slugs],
        "places": number_lists(doc_places),
        "places_imply_provinces": implied,
        "place_slugs": places,
        "place_names": [place_names[s] for s in places],
        # Whoosh's document order (it breaks ties), each as the step from the previous.
        "order": [
            order[d.docnum] - (order[documents[i - 1].docnum] if i else 0)
            for i, d in enumerate(documents)
        ],
        # Fragment chunks: directory page p lists those of ids p * chunk_span onwards.
        "chunk_span": CHUNK_SPAN,
        "chunk_pages": "".join(chunk_pages),
    }


def _manifest(
    docs_name: str,
    shard_names: list[str],
    shard_pages: list[str],
    glossary: dict,
    stop_spellings: list[str],
) -> dict:
    """The one fixed-name file: file names, glossary, stop syllables and every
    ranking and snippet constant (the browser has none of its own). The folded
    stop syllables are dropped from scoring, so the browser never downloads their
    postings; the stop spellings tell which accented query syllables stay dropped
    ("được"), the others being scored on their exact spelling ("dược")."""
    return {
        "format": FORMAT,
        "docs": docs_name,
        "chunk_hash": CHUNK_HASH,
        # Shard i's hash is in directory page i // shard_page: a query fetches the
        # pages of its shards only.
        "shard_count": len(shard_names),
        "shard_page": SHARD_PAGE,
        "shard_pages": "".join(shard_pages),
        "shard_hash": SHARD_HASH,
        "glossary": glossary,
        "stop": sorted({shard_key(term) for term in stop_spellings}),
        "stop_spellings": stop_spellings,
        "params": browser_params(),
    }
