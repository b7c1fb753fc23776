"""Export the Whoosh index as a sharded static index for the browser.

Layout under `<output>/<STATIC_SEARCH_DIR>/` (see README.md):

    manifest.json              fixed name, small: ranking parameters, glossary, the
                               shard count and the shard directory pages' hashes
    docs.<hash>.json.gz        per-document facets (year, kind, models), Whoosh order,
                               N and the chunk directory pages' hashes
    d/t<page>.<hash>.json.gz   shard directory page: the hashes of SHARD_PAGE shards
    d/f<page>.<hash>.json.gz   chunk directory page: the chunks of CHUNK_SPAN ids
    t/<shard>.<hash>.json.gz   term shards: {folded key: {term: [df, postings]}}
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
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from static_search.reader import IndexSnapshot, read_snapshot
from tdbvantq import text as vntext
from tdbvantq.search import analysis, ranking, snippet
from tdbvantq.search.searcher import day_key
from tdbvantq.writes import AtomicBatch, exclusive_lock, write_atomically

FORMAT = "static-search-3"
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


def encode_postings(items: list[tuple[int, int]]) -> list[int]:
    """Sorted (doc, q) pairs -> [Δdoc, q, Δdoc, q, ...] (the first Δ from −1)."""
    encoded: list[int] = []
    previous = -1
    for doc, q in sorted(items):
        encoded += (doc - previous, q)
        previous = doc
    return encoded


def encode_ids(ids: list[int], presorted: bool = False) -> list[int]:
    """Doc ids -> [Δdoc, ...] in id order (the first Δ from −1)."""
    if len(ids) == 1:  # most pairs: one document
        return [ids[0] + 1]
    if not presorted:
        ids = sorted(ids)
    return list(map(operator.sub, ids, [-1, *ids[:-1]]))


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


def _gzip(data: bytes) -> bytes:
    # Level 6: 1% larger than 9 on the shards, at well under half the CPU.
    return gzip.compress(data, compresslevel=6, mtime=0)


def _digest(data: bytes, size: int = 10) -> str:
    return hashlib.sha256(data).hexdigest()[:size]


def _code_version() -> str:
    """sha256 of this module and the modules whose output it encodes: a changed
    encoder never carries over a file an older one wrote."""
    digest = hashlib.sha256(FORMAT.encode())
    for name in (__name__, "vntext", "vnsearch.analysis"):
        module = sys.modules.get(name)
        path = Path(str(getattr(module, "__file__", "") or ""))
        if path.is_file():
            digest.update(path.read_bytes())
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

    def keep(self, fingerprint: str, relative: str, data: bytes) -> None:
        self.batch.put(self.folder / "files" / relative, data)
        self.used[fingerprint] = [relative, len(data)]

    def save(self) -> None:
        self.batch.commit()
        write_atomically(
            self.folder / self.STATE,
            json.dumps({"version": self.version, "files": self.used}, sort_keys=True),
        )
        wanted = {relative for relative, _ in self.used.values()}
        for sub in ("t", "f"):
            folder = self.folder / "files" / sub
            if folder.is_dir():
                for path in folder.iterdir():
                    if f"{sub}/{path.name}" not in wanted:
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

    def put(self, relative: str, data: bytes) -> None:
        path = self.root / relative
        self.kept.add(path)
        self.bytes += len(data)
        if path.exists() and path.read_bytes() == data:
            return
        self.batch.put(path, data)
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
        fingerprint = self.cache.fingerprint(kind, value)
        found = self.cache.find(fingerprint)
        if found is None:
            data = encode()
            relative = name(data)
            self.put(relative, data)
            self.cache.keep(fingerprint, relative, data)
            return relative
        relative, source = found
        path = self.root / relative
        self.kept.add(path)
        self.bytes += source.stat().st_size
        self.reused += 1
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
    chunk_bytes: int = 6000,
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
        terms, stop_spellings = _collect_terms(postings, documents, snapshot.total_docs)
        terms.update(_collect_pairs(snapshot, documents))
        term_count = len(terms)
        shard_names = _write_shards(writer, terms, shard_bytes)
        shard_pages = _write_shard_pages(writer, shard_names)
        del terms  # the largest structure of the export: gone before the chunks are read
        chunks = _write_chunks(writer, snapshot, documents, chunk_bytes)
        chunk_pages = _write_chunk_pages(writer, chunks, len(documents))
        docs_data = _gzip(_json(_docs_table(snapshot, documents, chunk_pages)))
        docs_name = f"docs.{_digest(docs_data)}.json.gz"
        writer.put(docs_name, docs_data)
        manifest = _manifest(docs_name, shard_names, shard_pages, snapshot.glossary, stop_spellings)
        manifest["synonyms"] = snapshot.synonyms  # the editors' rules, as vnsearch plans with them
        # The manifest goes last: until it is replaced, readers keep the old file set.
        writer.put(MANIFEST, _gzip(_json(manifest)))
        removed = writer.remove_stale()
    finally:
        snapshot.close()
    return ExportReport(
        documents=len(documents),
        terms=term_count,
        shards=len(shard_names),
        chunks=len(chunks),
        written=writer.written,
        removed=removed,
        reused=writer.reused,
        bytes=writer.bytes,
    )


def _collect_terms(
    postings, documents: list, total_docs: int
) -> tuple[dict[str, bytes], list[str]]:
    """syllable term -> the JSON of [df, encoded postings] in the static ids, and
    the stop spellings: the terms in more than ranking.STOP_DF_RATIO of the
    documents (vnsearch's scored_units; their folded forms are the stop syllables).

    Each entry is kept as its JSON text, encoded once as it is read: a list of
    Python ints takes 4-8 times the memory, and the export holds every term of
    the site at once (the largest part of a big build's peak memory)."""
    my_id = {d.docnum: i for i, d in enumerate(documents)}
    terms: dict[str, bytes] = {}
    stop_limit = ranking.STOP_DF_RATIO * total_docs
    stop_spellings = []
    for term, df, items in postings:
        if df > stop_limit:
            stop_spellings.append(term)
        live = [(my_id[docnum], q) for docnum, q in items if docnum in my_id]
        if live:
            terms[term] = _json([df, encode_postings(live)])
    return terms, sorted(stop_spellings)


def _collect_pairs(snapshot: IndexSnapshot, documents: list) -> dict[str, bytes]:
    """pair "a_b" -> the JSON of [df, encoded ids] of the documents where a and b
    are adjacent."""
    # A pair in one document holds that id; in more, an array of 4-byte ids: a list
    # costs 36 bytes an entry, 1.8 GB for the 50 million (pair, story) of 100,000 stories.
    holders: dict[str, int | array] = {}
    get = holders.get
    for doc_id, document in enumerate(documents):
        for pair in analysis.adjacent_pairs_in_order(snapshot.adjacency(document)):
            ids = get(pair)
            if ids is None:
                holders[pair] = doc_id
            elif ids.__class__ is int:
                holders[pair] = array("i", (ids, doc_id))
            else:
                ids.append(doc_id)  # in id order: encode_ids needs no sort
    return {
        pair: b"[1,[%d]]" % (ids + 1)
        if ids.__class__ is int
        else _json([len(ids), encode_ids(ids.tolist(), presorted=True)])
        for pair, ids in holders.items()
    }


def _write_shards(writer: _Writer, terms: dict[str, bytes], shard_bytes: int) -> list[str]:
    """Term shards, a power of two of them, each about `shard_bytes`; their short hashes."""
    # The JSON's size, estimated as 3 bytes an integer of the postings (an entry
    # [df,[a,b,c]] holds as many commas as postings integers): the shard count
    # stays what it was when the entries were lists.
    raw_size = sum(
        len(term.encode("utf-8")) + 10 + 3 * entry.count(b",") for term, entry in terms.items()
    )
    count = 1
    while count < MAX_SHARDS and raw_size / count > shard_bytes:
        count *= 2
    # {key: {term: entries}}: a folded query finds every spelling under its key.
    shards: list[dict] = [{} for _ in range(count)]
    shard_of_key: dict[str, int] = {}
    for term, entry in terms.items():
        key = term if analysis.BIGRAM_JOINER in term else shard_key(term)  # pairs are folded
        index = shard_of_key.get(key)
        if index is None:
            index = shard_of_key[key] = term_hash(key) % count
        shards[index].setdefault(key, {})[term] = entry
    names = []
    for index, shard in enumerate(shards):
        relative = writer.put_encoded(
            "shard",
            (index, count, shard),
            functools.partial(_encode_shard, shard),
            lambda data, index=index: f"t/{index:x}.{_digest(data, SHARD_HASH)}.json.gz",
        )
        names.append(relative.split(".")[1])  # t/<index>.<digest>.json.gz
    return names


def _encode(value) -> bytes:
    return _gzip(_json(value))


def _encode_shard(shard: dict[str, dict[str, bytes]]) -> bytes:
    """The gzipped JSON of {key: {term: entry}}, byte for byte what _json gives
    for the same values (keys sorted, no spaces), from the entries' JSON texts."""
    parts = []
    for key in sorted(shard):
        spellings = shard[key]
        inner = b",".join(_json(term) + b":" + spellings[term] for term in sorted(spellings))
        parts.append(_json(key) + b":{" + inner + b"}")
    return _gzip(b"{" + b",".join(parts) + b"}")


def _write_chunks(
    writer: _Writer, snapshot: IndexSnapshot, documents: list, chunk_bytes: int
) -> list[tuple[int, str]]:
    """Fragment chunks of consecutive documents, each about `chunk_bytes`: [(first id, hash)]."""
    chunks: list[tuple[int, str]] = []
    pending: dict[str, list] = {}
    pending_size = 0
    for doc_id, document in enumerate(documents):
        fragment = _fragment(snapshot.texts(document))
        pending[str(doc_id)] = fragment
        # Size estimate without encoding twice: the text fields dominate.
        pending_size += sum(len(part) for part in fragment[:4]) + len(fragment[5]) + 40
        # A chunk never spans two directory pages: a page lists the chunks of its ids.
        last_of_page = (doc_id + 1) % CHUNK_SPAN == 0
        if pending_size >= chunk_bytes or last_of_page or doc_id == len(documents) - 1:
            first = int(next(iter(pending)))
            # The first id makes the name unique: two chunks of equal short hash
            # must never overwrite each other.
            relative = writer.put_encoded(
                "chunk",
                pending,
                functools.partial(_encode, pending),
                lambda data, first=first: f"f/{first:x}.{_digest(data, CHUNK_HASH)}.json.gz",
            )
            chunks.append((first, relative.split(".")[1]))
            pending, pending_size = {}, 0
    return chunks


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
    """Every place slug of the documents, sorted, and its display name."""
    names: dict[str, str] = {}
    for document in documents:
        doc_slugs = [s for s in str(document.stored.get("place_slugs", "")).split(",") if s]
        doc_names = list(document.stored.get("place_names", []))
        for i, slug in enumerate(doc_slugs):
            names.setdefault(slug, doc_names[i] if i < len(doc_names) else slug)
    return sorted(names), names


def _docs_table(snapshot: IndexSnapshot, documents: list, chunk_pages: list[str]) -> dict:
    """Per-document facets, Whoosh's order, N and the chunk directory pages' hashes."""
    slugs, names = _model_table(documents)
    places, place_names = _place_table(documents)
    place_index = {slug: i for i, slug in enumerate(places)}
    slug_index = {slug: i for i, slug in enumerate(slugs)}
    order = {d.docnum: rank for rank, d in enumerate(sorted(documents, key=lambda d: d.docnum))}
    return {
        "count": len(documents),
        "total_docs": snapshot.total_docs,
        "years": [str(d.stored.get("year", "")) for d in documents],
        # Day of the year (1-366; 0 without a date): with "years", the sort key of
        # "newest first" (vnsearch.searcher.day_key), a few bytes a document.
        "days": [day_key(str(d.stored.get("date", ""))) % 1000 for d in documents],
        "kinds": "".join("m" if d.stored.get("kind") == "model" else "a" for d in documents),
        "models": [
            [slug_index[s] for s in str(d.stored.get("model_slugs", "")).split(",") if s]
            for d in documents
        ],
        "model_slugs": slugs,
        "model_names": [names[s] for s in slugs],
        "places": [
            [place_index[s] for s in str(d.stored.get("place_slugs", "")).split(",") if s]
            for d in documents
        ],
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
