"""The static index exported for the browser: the browser engine (run under Node)
ranks exactly as the Whoosh engine on the ranking tests' corpus and queries;
exports are incremental, atomic and clean up after themselves."""

from __future__ import annotations

import gzip
import json
import random
import re
import shutil
from array import array
from dataclasses import replace
from itertools import accumulate
from pathlib import Path

import numpy as np
import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, SYNONYMS, articles, models, ranking_queries
from static_search import export
from static_search.export import (
    MANIFEST,
    browser_params,
    encode_ids,
    encode_postings,
    export_static_index,
    numbers_of,
    shard_of,
    term_hash,
)
from support import tree_bytes
from support.search import assert_browser_equals_terminal, run_node
from tdbvantq.search import SearchEngine, build_index

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    base = tmp_path_factory.mktemp("static")
    index_dir, static_dir = base / "index", base / "static"
    build_index(index_dir, collect_documents(articles(), models()), ACRONYMS, SYNONYMS)
    report = export_static_index(index_dir, static_dir, shard_bytes=4000, chunk_bytes=3000)
    return index_dir, static_dir, report


def test_browser_top5_equals_cli_top5_on_ranking_queries(exported):
    index_dir, static_dir, report = exported
    assert report.shards > 1 and report.chunks > 1  # the fixture really is sharded
    queries = ranking_queries()
    assert_browser_equals_terminal(static_dir, index_dir, queries, snippets=True)


def test_browser_newest_first_equals_the_cli_on_ranking_queries(exported):
    index_dir, static_dir, _ = exported
    queries = ranking_queries()
    asks = [{"query": q, "limit": 10, "sort": "newest"} for q in queries]
    asks += [{"query": "an ninh", "limit": 10, "sort": "newest", "year": "2024"}]
    browser = run_node(static_dir, asks)
    reordered = 0
    with SearchEngine(index_dir) as engine:
        for ask, answer in zip(asks, browser, strict=True):
            options = {k: v for k, v in ask.items() if k != "query"}
            cli = engine.search(ask["query"], **options)
            relevance = engine.search(ask["query"], limit=10, year=ask.get("year"))
            assert answer["total"] == cli.total == relevance.total, ask
            assert [r["url"] for r in answer["results"]] == [r.url for r in cli.results], ask
            assert cli.facets == relevance.facets, ask
            days = [r.date[:10] for r in cli.results]
            assert days == sorted(days, reverse=True), ask
            reordered += [r.url for r in cli.results] != [r.url for r in relevance.results]
    assert reordered > len(asks) // 4  # the order really changes


@pytest.mark.parametrize(
    "query, filters",
    [("an ninh", {"year": "2024"}), ("dong ho tu quan", {"model": "dong-ho-tu-quan"})],
)
def test_filters_match_the_cli(exported, query, filters):
    index_dir, static_dir, _ = exported
    (answer,) = run_node(static_dir, [{"query": query, "limit": 5, **filters}])
    with SearchEngine(index_dir) as engine:
        cli = engine.search(query, limit=5, **filters)
    assert answer["total"] == cli.total > 0
    assert [r["url"] for r in answer["results"]] == [r.url for r in cli.results]
    counts = {slug: count for slug, _name, count in answer["facets"]["models"]}
    if "model" in filters:
        assert counts[filters["model"]] == cli.total


FACET_CASES = [
    ("an ninh", {}),
    ("an ninh", {"year": "2024"}),
    ("an ninh", {"model": "camera-an-ninh"}),
    ("dong ho tu quan", {"model": "dong-ho-tu-quan"}),
    ("to lien gia", {"year": "2023"}),
    ("PCCC", {"year": "2024", "model": "to-lien-gia-tu-quan"}),
]


@pytest.mark.parametrize("query, filters", FACET_CASES)
def test_facets_are_the_same_in_the_cli_and_the_browser(exported, query, filters):
    """One facet rule: each facet counts the matches that pass every other filter."""
    index_dir, static_dir, _ = exported
    (answer,) = run_node(static_dir, [{"query": query, "limit": 5, **filters}])
    with SearchEngine(index_dir) as engine:
        cli = engine.search(query, limit=5, **filters)
        unfiltered = engine.search(query, limit=5)
    browser_models = [(slug, count) for slug, _name, count in answer["facets"]["models"]]
    browser_years = [(year, count) for year, count in answer["facets"]["years"]]
    assert browser_models == list(cli.facets["models"].items())
    assert browser_years == list(cli.facets["years"].items())
    assert answer["total"] == cli.total
    if filters.get("year") and not filters.get("model"):
        # choosing a year keeps every year of the matches on offer
        assert cli.facets["years"] == unfiltered.facets["years"]


def test_with_many_directory_pages_the_browser_still_equals_the_cli(tmp_path, monkeypatch):
    """At 100,000 stories a query reads a few of ~256 shard pages and ~100 chunk pages:
    the same with pages of 2 shards and 3 documents, one document a chunk."""
    from static_search import export

    monkeypatch.setattr(export, "SHARD_PAGE", 2)
    monkeypatch.setattr(export, "CHUNK_SPAN", 3)
    index_dir, static_dir = tmp_path / "index", tmp_path / "static"
    build_index(index_dir, collect_documents(articles(), models()), ACRONYMS, SYNONYMS)
    report = export_static_index(index_dir, static_dir, shard_bytes=500, chunk_bytes=1)
    shards, fragments, pages = _listed_files(static_dir)
    assert len(shards) == report.shards > 8 and len(fragments) == report.chunks
    assert len(pages) == -(-report.shards // 2) + -(-report.documents // 3)
    assert {str(p.relative_to(static_dir)) for p in static_dir.rglob("*.json.gz")} >= pages
    queries = ranking_queries()[:20]
    browser = run_node(static_dir, [{"query": q, "limit": 5} for q in queries])
    with SearchEngine(index_dir) as engine:
        for query, answer in zip(queries, browser, strict=True):
            cli = engine.search(query, limit=5)
            assert answer["total"] == cli.total, query
            assert [r["url"] for r in answer["results"]] == [r.url for r in cli.results], query
            assert [r["snippet"] for r in answer["results"]] == [r.snippet for r in cli.results]


def test_hash_and_postings_encoding_are_the_documented_ones():
    # FNV-1a 32-bit reference values (the JS side tests the same ones).
    assert term_hash("") == 0x811C9DC5
    assert term_hash("a") == 0xE40C292C
    assert term_hash("foobar") == 0xBF9CF968
    assert shard_of("duong", 64) == term_hash("duong") % 64
    assert shard_of("dong_ho", 64) == term_hash("dong_ho") % 64
    assert shard_of("đường", 64) == term_hash("duong") % 64  # every spelling: one shard
    # syllables: doc steps and weights; pairs: doc steps (the first step from -1),
    # numbers as characters U+0030 + n
    assert encode_postings([(5, 1), (0, 3), (6, 2)]) == ("151", "312")
    assert encode_ids([5, 0, 6]) == "151"
    assert encode_ids([40960]) == "\ue0011"


def test_the_bulk_encoders_give_what_the_one_at_a_time_ones_give():
    """The cold export hashes every key and encodes every entry in numpy: the same
    values as term_hash, term_entry and pair_entry, long texts, steps of two
    characters and the escaped backslash (step 44) included."""
    rng = random.Random(5)
    texts = ["", "a", "foobar", "đường", "dong_ho", "~chet|qua-doi|tu-tran|tu-vong", 'a"b\\c']
    texts += [
        "".join(rng.choice("aăâbđeêuưy_") for _ in range(rng.randrange(30))) for _ in range(200)
    ]
    assert export.term_hashes(texts).tolist() == [term_hash(text) for text in texts]
    lists = [sorted(rng.sample(range(rng.choice([50, 2000, 300000])), rng.randrange(1, 6)))]
    lists += [[43], [44], [45], [40959], [40960], [3, 47], [100000, 100044]]
    lists += [sorted(rng.sample(range(200000), rng.randrange(1, 9))) for _ in range(300)]
    postings = sorted((doc, number) for number, ids in enumerate(lists) for doc in ids)
    entries = export._pair_entries(
        array("i", [number * 3 for _, number in postings]), array("i", [doc for doc, _ in postings])
    )
    assert entries == [export.pair_entry(ids) for ids in lists]
    weights = [
        [rng.choice([1, 44, 79, 80, 1999, 2000, 40960, 99999]) for _ in ids] for ids in lists
    ]
    values = [
        (doc, q)
        for ids, qs in zip(lists, weights, strict=True)
        for doc, q in zip(ids, qs, strict=True)
    ]
    bounds = np.cumsum([0] + [len(ids) for ids in lists])
    steps = [step for ids in lists for step in np.diff(ids, prepend=-1).tolist()]
    encoded = export._number_runs(np.array(steps), bounds)
    encoded_q = export._number_runs(np.array([q for _, q in values]), bounds)
    for ids, qs, doc_steps, q_steps in zip(lists, weights, encoded, encoded_q, strict=True):
        entry = b'[%d,"%s","%s"]' % (len(ids), doc_steps, q_steps)
        assert entry == export.term_entry(len(ids), list(zip(ids, qs, strict=True)))


def test_a_shards_json_is_joined_as_the_json_encoder_writes_it(tmp_path):
    """_write_shards joins each shard's JSON from its terms' pieces: the same bytes as
    json of {key: {term: entry}} with sorted keys, escapes and empty shards included."""
    terms = {
        "đường": b'[1,"1","9"]',
        "dương": b'[2,"12","34"]',
        "duong_pho": b'[1,"5"]',
        'a"b\\c': b'[1,"2","3"]',
        "x\x00y": b'[1,"3","3"]',
        "hoa": b'[1,"4","4"]',
        "hòa": b'[1,"7","8"]',
    }
    writer = export._Writer(tmp_path / "out")
    names, _files = export._write_shards(writer, terms, 4)
    writer.remove_stale()
    for index, name in enumerate(names):
        data = (tmp_path / "out" / "t" / f"{index:x}.{name}.json.gz").read_bytes()
        expected: dict = {}
        for term, entry in terms.items():
            if export.shard_of(term, 4) == index:
                expected.setdefault(export.key_of(term), {})[term] = json.loads(entry)
        assert gzip.decompress(data) == export._json(expected)
    assert export._json_contents(["a", "b"]) == [b"a", b"b"]


def _split(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def _gunzip_json(path: Path):
    return json.loads(gzip.decompress(path.read_bytes()))


def _listed_files(static_dir: Path) -> tuple[set[str], set[str], set[str]]:
    """The shards, fragment chunks and directory pages the manifest and docs table
    lead to, as the browser finds them (through the directory pages)."""
    manifest = _gunzip_json(static_dir / MANIFEST)
    table = _gunzip_json(static_dir / manifest["docs"])
    shards, fragments, pages = set(), set(), set()
    size = manifest["shard_hash"]
    for page, digest in enumerate(_split(manifest["shard_pages"], size)):
        pages.add(name := f"d/t{page:x}.{digest}.json.gz")
        first = page * manifest["shard_page"]
        hashes = _split(_gunzip_json(static_dir / name), size)
        shards |= {f"t/{first + i:x}.{h}.json.gz" for i, h in enumerate(hashes)}
    assert len(shards) == manifest["shard_count"]
    size = manifest["chunk_hash"]
    for page, digest in enumerate(_split(table["chunk_pages"], size)):
        pages.add(name := f"d/f{page:x}.{digest}.json.gz")
        listed = _gunzip_json(static_dir / name)
        starts = list(accumulate(listed["starts"], initial=page * table["chunk_span"]))[1:]
        hashes = _split(listed["hashes"], size)
        fragments |= {f"f/{s:x}.{h}.json.gz" for s, h in zip(starts, hashes, strict=True)}
    return shards, fragments, pages


def _doc_ids(shard: bytes) -> set[int]:
    ids: set[int] = set()
    if not shard:
        return ids
    for group in json.loads(gzip.decompress(shard)).values():
        for _df, steps, *_weights in group.values():
            doc = -1
            for delta in numbers_of(steps):
                doc += delta
                ids.add(doc)
    return ids


def test_unchanged_rebuild_rewrites_nothing_and_an_edit_touches_only_its_files(tmp_path):
    docs = [source.document() for source in collect_documents(articles(), models())]
    index_dir, static_dir = tmp_path / "index", tmp_path / "static"
    build_index(index_dir, docs, ACRONYMS)
    first = export_static_index(index_dir, static_dir, shard_bytes=2000, chunk_bytes=3000)
    before = tree_bytes(static_dir)
    again = export_static_index(index_dir, static_dir, shard_bytes=2000, chunk_bytes=3000)
    assert again.written == 0 and again.removed == 0 and tree_bytes(static_dir) == before

    # Edit one sentence of one article. What may change: the shards holding that
    # article's terms, its one fragment chunk, the docs table and the manifest.
    target = next(i for i, d in enumerate(docs) if d.url == "2024/sua-duong-lien-thon/")
    docs[target] = replace(docs[target], body=docs[target].body + "\nCổng làng mới khánh thành.")
    build_index(index_dir, docs, ACRONYMS)
    edited = export_static_index(index_dir, static_dir, shard_bytes=2000, chunk_bytes=3000)
    after = tree_bytes(static_dir)
    changed = {name for name in after if before.get(name) != after[name]}
    gone = set(before) - set(after)
    assert edited.removed == len(gone) > 0
    manifest = _gunzip_json(static_dir / MANIFEST)
    shards, fragments, pages = _listed_files(static_dir)
    assert set(after) == shards | fragments | pages | {MANIFEST, manifest["docs"]}
    edited_id = next(
        int(doc_id)
        for name in fragments
        for doc_id, fragment in json.loads(gzip.decompress(after[name])).items()
        if fragment[1] == "2024/sua-duong-lien-thon/"
    )
    assert len(changed & fragments) == 1
    assert len(fragments) == first.chunks > 1
    changed_shards = changed & shards
    assert 0 < len(changed_shards) < first.shards
    old_shards = {
        name.split(".")[0]: data for name, data in before.items() if name.startswith("t/")
    }
    for name in changed_shards:
        holders = _doc_ids(after[name]) | _doc_ids(old_shards.get(name.split(".")[0], b""))
        assert edited_id in holders, name
    (answer,) = run_node(static_dir, [{"query": "cổng làng khánh thành", "limit": 1}])
    assert answer["results"][0]["url"] == "2024/sua-duong-lien-thon/"


def test_missing_index_is_a_clear_error_not_a_traceback(tmp_path):
    from tdbvantq.search import IndexMissing

    with pytest.raises(IndexMissing, match="no search index"):
        export_static_index(tmp_path / "nowhere", tmp_path / "static")
    assert not (tmp_path / "static").exists()


def test_export_leaves_no_temporary_files(exported, tmp_path):
    _, static_dir, _ = exported
    copy = tmp_path / "copy"
    shutil.copytree(static_dir, copy)
    assert not [p for p in copy.rglob("*") if p.name.endswith(".tmp")]


def test_browser_code_takes_every_constant_from_the_manifest(exported):
    """Ranking and snippet constants are written once, in Python: the manifest carries
    them and the browser engine's source holds none of their values."""
    _, static_dir, _ = exported
    manifest = json.loads(gzip.decompress((static_dir / MANIFEST).read_bytes()))
    params = manifest["params"]
    assert params == browser_params()
    source = "".join(
        (ROOT / "theme" / "static" / "js" / name).read_text(encoding="utf-8")
        for name in ("search-engine.js", "search-snippet.js")
    )
    js = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.S)  # code, not comments
    numbers = [
        params["maxQueryChars"],
        params["maxAcronymRun"],
        params["maxSyllables"],
        *params["snippet"].values(),
    ]
    for value in (v for v in numbers if v >= 10):  # small ones: read by name, below
        assert not re.search(rf"(?<![\w.]){value}(?![\w.])", js), value
    for name in ("params.maxAcronymRun", "adjacentGain", "distinctGain", "params.joiner"):
        assert name in js, name


def test_fragment_chunks_with_equal_short_hashes_never_overwrite_each_other(tmp_path, monkeypatch):
    """Chunk names carry their first id: with one hex digit of hash, collisions are
    certain, and every document's fragment must still be where the docs table says."""
    from static_search import export

    monkeypatch.setattr(export, "CHUNK_HASH", 1)
    docs = [source.document() for source in collect_documents(articles(), models())]
    index_dir, static_dir = tmp_path / "index", tmp_path / "static"
    build_index(index_dir, docs, ACRONYMS)
    report = export_static_index(index_dir, static_dir, chunk_bytes=1)  # one document a chunk
    assert report.chunks == len(docs) > 16
    _, fragments, _ = _listed_files(static_dir)
    hashes = [name.split(".")[1] for name in fragments]
    assert len(fragments) == len(docs)
    assert len(set(hashes)) < len(hashes)  # short hashes do collide
    for name in fragments:
        start = int(name.split(".")[0].removeprefix("f/"), 16)
        assert str(start) in _gunzip_json(static_dir / name)


def test_with_a_cache_an_edit_encodes_only_its_files_and_links_the_others(tmp_path):
    """The build exports into a new folder each time: with the cache, an unchanged
    shard or chunk is a hard link to the cached file (not encoded or written again),
    and the result is byte for byte the export made without a cache."""
    docs = [source.document() for source in collect_documents(articles(), models())]
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    build_index(index_dir, docs, ACRONYMS)
    sizes = {"shard_bytes": 2000, "chunk_bytes": 3000}
    cold = export_static_index(index_dir, tmp_path / "out-1", cache=cache, **sizes)
    pages = len(list((tmp_path / "out-1" / "d").iterdir()))  # directory pages: never cached
    assert cold.reused == 0 and cold.written == cold.shards + cold.chunks + pages + 2

    target = next(i for i, d in enumerate(docs) if d.url == "2024/sua-duong-lien-thon/")
    docs[target] = replace(docs[target], body=docs[target].body + "\nCổng làng mới khánh thành.")
    build_index(index_dir, docs, ACRONYMS)
    warm = export_static_index(index_dir, tmp_path / "out-2", cache=cache, **sizes)
    plain = export_static_index(index_dir, tmp_path / "plain", **sizes)
    assert tree_bytes(tmp_path / "out-2") == tree_bytes(
        tmp_path / "plain"
    )  # same bytes, same names
    assert warm.written + warm.reused == plain.written
    # one chunk, the docs table, the manifest, the directory pages, some shards
    assert 0 < warm.written - 3 - pages < cold.shards
    cached = {p.name: p for p in cache.rglob("*.json.gz")}
    linked = [
        p
        for p in (tmp_path / "out-2").rglob("*.json.gz")
        if p.name in cached and p.samefile(cached[p.name])
    ]
    assert len(linked) >= warm.reused > cold.shards // 2
    # The cache keeps only the files of the last export.
    assert set(cached) == {p.name for p in (tmp_path / "out-2").rglob("*.json.gz")} - {MANIFEST} - {
        p.name for p in (tmp_path / "out-2").glob("docs.*")
    } - {p.name for p in (tmp_path / "out-2" / "d").iterdir()}


def test_a_shard_key_or_term_is_encoded_as_the_json_encoder_does():
    # _json_str skips the encoder for text it would not escape: the same bytes
    # for every ASCII character, Vietnamese, separators and astral characters.
    texts = [chr(c) for c in range(128)] + [f"a{chr(c)}b" for c in range(128)]
    texts += ["đảng", "ngân_hàng", "Ấ\u2028\u2029\x7f", "😀", "", 'x"y\\z', "\u0085"]
    for text in texts:
        assert (
            export._json_str(text)
            == export._json(text)
            == json.dumps(text, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        )


def test_a_cold_export_with_a_cache_writes_each_shard_and_chunk_once(tmp_path):
    """A cold export's shards and chunks are written into the cache and the output
    holds hard links to them: the same bytes as an export without a cache, every
    cached file one of the output's, and no temporary file left anywhere."""
    docs = [source.document() for source in collect_documents(articles(), models())]
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    build_index(index_dir, docs, ACRONYMS)
    sizes = {"shard_bytes": 2000, "chunk_bytes": 3000}
    cold = export_static_index(index_dir, tmp_path / "out", cache=cache, **sizes)
    export_static_index(index_dir, tmp_path / "plain", **sizes)
    assert tree_bytes(tmp_path / "out") == tree_bytes(tmp_path / "plain")
    cached = {p.relative_to(cache / "files"): p for p in (cache / "files").rglob("*.json.gz")}
    assert len(cached) == cold.shards + cold.chunks
    for relative, path in cached.items():
        assert (tmp_path / "out" / relative).samefile(path)
        assert path.stat().st_nlink == 2
    leftovers = [p for p in tmp_path.rglob("*.tmp")]
    assert leftovers == []


def test_incremental_exports_after_edits_additions_and_removals_equal_plain_ones(tmp_path):
    """The cached path patches the last export's shards: after each of a run of
    updates (edits leaving deleted copies in the index, an edit undone, a story added
    and one removed) the export is byte for byte the one made without a cache, and
    the edits are patched, not exported in full."""
    docs = [source.document() for source in collect_documents(articles(), models())]
    index_dir, cache = tmp_path / "index", tmp_path / "cache"
    sizes = {"shard_bytes": 2000, "chunk_bytes": 3000}
    first = docs.pop()  # added back later, at its place in the date order
    target = next(i for i, d in enumerate(docs) if d.url == "2024/sua-duong-lien-thon/")
    original = docs[target]
    steps = [
        ("edit", lambda: replace(original, body=original.body + "\nCổng làng mới khánh thành.")),
        ("edit", lambda: replace(original, title=original.title + " mới")),
        ("undo", lambda: original),
        ("add", None),
        ("remove", None),
    ]
    build_index(index_dir, docs, ACRONYMS)
    export_static_index(index_dir, tmp_path / "out-0", cache=cache, **sizes)
    for step, (kind, change) in enumerate(steps, start=1):
        if kind == "add":
            docs.append(first)
        elif kind == "remove":
            docs.pop(0)
        else:
            docs[target] = change()
        build_index(index_dir, docs, ACRONYMS)
        warm = export_static_index(index_dir, tmp_path / f"out-{step}", cache=cache, **sizes)
        export_static_index(index_dir, tmp_path / f"plain-{step}", **sizes)
        assert tree_bytes(tmp_path / f"out-{step}") == tree_bytes(tmp_path / f"plain-{step}"), kind
        if kind in ("edit", "undo"):
            assert warm.patched is not None and warm.patched < warm.shards // 2, kind
    (answer,) = run_node(tmp_path / "out-3", [{"query": "cổng làng khánh thành", "limit": 1}])
    assert answer["total"] == 0 or answer["results"][0]["url"] != "2024/sua-duong-lien-thon/"
    (answer,) = run_node(tmp_path / "out-1", [{"query": "cổng làng khánh thành", "limit": 1}])
    assert answer["results"][0]["url"] == "2024/sua-duong-lien-thon/"


def test_the_forward_lists_give_each_documents_terms_in_the_order_read():
    """_Forward regroups the postings by document: each document's (term, q) in the
    order the terms were read, as one list per document appended to would give."""
    rng = random.Random(24)
    forward, expected = export._Forward(), {}
    for number in range(300):
        term = f"t{number}"
        items = sorted((doc, rng.randrange(1, 60000)) for doc in rng.sample(range(50), 7))
        forward.add(term, items)
        for doc, q in items:
            expected.setdefault(doc, []).append((term, q))
    forward.add("unused", [])
    for doc in rng.sample(range(60), 60):  # any order; 50-59 hold no term
        assert forward.of(doc) == expected.get(doc, [])
