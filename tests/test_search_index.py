"""The index on disk: incremental by content hash, one writer, build aside and
swap, interrupted builds, corrupt or foreign directories."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from search_index.plugin import collect_documents, index_documents
from sitebench.search_corpus import ACRONYMS, FIXTURES, SEED, articles, models
from support import ROOT, run_pelican, whoosh_matcher_postings
from support.locks import wait_until_blocked
from tdbvantq import text as vntext
from tdbvantq.search import (
    IndexMissing,
    SearchDocument,
    SearchEngine,
    build_index,
    current_generation,
    search,
)
from tdbvantq.search.analysis import AcronymMatcher, quantize, quantize_all
from tdbvantq.search.ranking import FIELD_WEIGHTS, REFERENCE_LENGTHS
from tdbvantq.search.schema import TERMS, analyze
from tdbvantq.search.store import LOCK, writer_lock


def corpus():
    """Plain SearchDocuments (the plugin's lazy sources, materialized) that tests can edit."""
    return [source.document() for source in collect_documents(articles(), models())]


def snapshot(index_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file under the index with its size and modification time."""
    return {
        str(p.relative_to(index_dir)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(index_dir.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def test_unchanged_build_touches_nothing(tmp_path):
    docs = corpus()
    first = build_index(tmp_path, docs, ACRONYMS)
    assert first.written and first.added == len(docs)
    before = snapshot(tmp_path)
    time.sleep(0.01)
    again = build_index(tmp_path, corpus(), ACRONYMS)
    assert not again.written
    assert (again.added, again.changed, again.removed, again.unchanged) == (0, 0, 0, len(docs))
    assert snapshot(tmp_path) == before


def test_add_edit_delete_touch_only_those_documents(tmp_path):
    docs = corpus()
    build_index(tmp_path, docs[:-1], ACRONYMS)
    assert search(tmp_path, "dong ho tu quan").results

    report = build_index(tmp_path, docs, ACRONYMS)  # add the last one
    assert (report.added, report.changed, report.removed) == (1, 0, 0)

    edited = docs[1]
    edited.body += "\n\nNgười dân thôn Hạ Lang còn góp tiền mua bình chữa cháy lắp ở nhà văn hóa."
    report = build_index(tmp_path, docs, ACRONYMS)
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    assert search(tmp_path, "Hạ Lang").results[0].url == edited.url

    gone = docs.pop(2)
    report = build_index(tmp_path, docs, ACRONYMS)
    assert (report.added, report.changed, report.removed) == (0, 0, 1)
    with SearchEngine(tmp_path) as engine:
        assert engine.searcher.document_number(id=gone.id) is None
        assert all(r.url != gone.url for r in engine.search(gone.title, limit=50).results)
        assert engine.searcher.doc_count() == len(docs)


def test_reader_keeps_its_generation_while_a_build_swaps(tmp_path):
    docs = corpus()
    build_index(tmp_path, docs, ACRONYMS)
    with SearchEngine(tmp_path) as old:
        docs[0].title = "Hội thi tìm hiểu pháp luật về cư trú"
        report = build_index(tmp_path, docs, ACRONYMS)
        assert report.written and current_generation(tmp_path).name == report.generation
        assert old.generation.name != report.generation
        # The open reader still answers from the generation it opened.
        assert old.search("dong ho tu quan").results
        assert all(r.title != docs[0].title for r in old.search("cư trú", limit=50).results)
    assert search(tmp_path, "cư trú").results[0].title == "Hội thi tìm hiểu pháp luật về cư trú"


def test_one_writer_at_a_time(tmp_path):
    docs = corpus()
    done = threading.Event()
    with writer_lock(tmp_path):
        worker = threading.Thread(target=lambda: (build_index(tmp_path, docs), done.set()))
        worker.start()
        # The worker is seen blocked in flock() on the index's lock, or it got past it.
        wait_until_blocked(tmp_path / LOCK, done.is_set)
        assert not done.is_set()
        assert not (tmp_path / "CURRENT").exists()
    worker.join(timeout=60)
    assert done.is_set() and (tmp_path / "CURRENT").exists()


KILL_SCRIPT = """
from sitebench.xquad import load_xquad
from pathlib import Path
from dataclasses import replace
from tdbvantq.search import build_index
docs, _ = load_xquad(Path({xquad!r}))
# Large enough that the build is still writing when the signal comes, on a fast machine too.
docs = [replace(d, id=f"{{d.id}}-{{i}}") for i in range(16) for d in docs]
print("building", flush=True)
build_index({index!r}, docs)
"""


@pytest.mark.shared_data
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_killed_build_leaves_the_previous_index_readable(tmp_path, signum):
    xquad = ROOT.parent / "shared" / "benchmarks" / "xquad" / "xquad.vi.json"
    index = tmp_path / "index"
    build_index(index, corpus(), ACRONYMS)
    before = search(index, "dong ho tu quan").results[0].url
    generation = current_generation(index).name

    script = KILL_SCRIPT.format(
        xquad=str(xquad),
        index=str(index),
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "building"
        deadline = time.monotonic() + 60
        while not list(index.glob("gen-*.tmp")):  # the new generation is being written
            assert time.monotonic() < deadline and child.poll() is None, "build never started"
            time.sleep(0.02)
        time.sleep(0.3)
        child.send_signal(signum)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode != 0
    assert list(index.glob("gen-*.tmp"))  # it really died mid-build
    assert current_generation(index).name == generation
    assert search(index, "dong ho tu quan").results[0].url == before

    # The next build clears the leftovers and works (the kernel dropped the lock).
    report = build_index(index, corpus()[:5], ACRONYMS)
    assert report.written and report.removed == len(corpus()) - 5
    assert not list(index.glob("gen-*.tmp"))


def _corrupt_pointer(index: Path) -> None:
    (index / "CURRENT").write_text("{ not json", encoding="utf-8")


def _corrupt_segments(index: Path) -> None:
    for path in current_generation(index).iterdir():
        if path.suffix in (".toc", ".seg") or path.name.startswith("_MAIN"):
            path.write_bytes(b"\x00garbage")


def _truncate_segments(index: Path) -> None:
    for path in current_generation(index).glob("*.seg"):
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size // 2)


def _foreign(index: Path) -> None:
    shutil.rmtree(index)
    index.mkdir()
    (index / "notes.txt").write_text("Ghi chú của biên tập viên\n", encoding="utf-8")


@pytest.mark.parametrize(
    "damage", [_corrupt_pointer, _corrupt_segments, _truncate_segments, _foreign]
)
def test_corrupt_or_foreign_directory_is_rebuilt_with_a_warning(tmp_path, caplog, damage):
    build_index(tmp_path, corpus(), ACRONYMS)
    damage(tmp_path)
    with caplog.at_level(logging.WARNING, logger="tdbvantq.search"):
        report = build_index(tmp_path, corpus(), ACRONYMS)
    assert report.written and report.added == len(corpus())
    assert report.rebuilt_reason
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert search(tmp_path, "dong ho tu quan").results
    if damage is _foreign:
        assert (tmp_path / "notes.txt").read_text(encoding="utf-8").startswith("Ghi chú")


def make_content(folder: Path, names: list[str]) -> None:
    (folder / "articles").mkdir(parents=True)
    shutil.copy(SEED, folder / "articles" / SEED.name)
    for name in names:
        shutil.copy(FIXTURES / "articles" / name, folder / "articles" / name)


def build(content: Path, tmp: Path, index: Path):
    result = run_pelican(content, tmp / "output", extra={"SEARCH_INDEX_DIR": str(index)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_pelican_builds_add_edit_delete(tmp_path):
    content, index = tmp_path / "content", tmp_path / "index"
    make_content(content, ["phong-hien-dong-ho.md", "giam-trom-cap.md"])
    build(content, tmp_path, index)
    first = current_generation(index).name
    top = {r.url for r in search(index, "dong ho tu quan").results[:2]}
    assert top == {"2023/bam-co-so-xay-dung-phong-trao/", "2023/phong-hien-dong-ho/"}

    before = snapshot(index)
    build(content, tmp_path, index)  # nothing changed: nothing touched
    assert snapshot(index) == before and current_generation(index).name == first

    shutil.copy(FIXTURES / "articles" / "ra-quan-dip-tet.md", content / "articles")
    build(content, tmp_path, index)
    assert search(index, "ATGT").results[0].url == "2024/ra-quan-dip-tet/"

    path = content / "articles" / "giam-trom-cap.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("trộm cắp tài sản", "trộm cắp xe máy"),
        encoding="utf-8",
    )
    build(content, tmp_path, index)
    assert search(index, "trộm cắp xe máy").results[0].url == "2024/giam-trom-cap/"

    os.remove(content / "articles" / "phong-hien-dong-ho.md")
    build(content, tmp_path, index)
    assert all(r.url != "2023/phong-hien-dong-ho/" for r in search(index, "Phong Hiền").results)
    with SearchEngine(index) as engine:
        assert engine.searcher.doc_count() == 3


def test_pelican_build_over_a_corrupt_index_warns_and_rebuilds(tmp_path):
    content, index = tmp_path / "content", tmp_path / "index"
    make_content(content, [])
    index.mkdir()
    (index / "CURRENT").write_text("garbage", encoding="utf-8")
    result = build(content, tmp_path, index)
    assert "rebuilding" in result.stdout + result.stderr
    assert search(index, "dong ho tu quan").results


def test_bulk_postings_equal_whoosh_matchers_across_segments_and_deletions(tmp_path):
    docs = corpus()
    build_index(tmp_path, docs[:10], ACRONYMS)
    build_index(tmp_path, docs[1:], ACRONYMS)  # one deletion, a second segment
    with SearchEngine(tmp_path) as engine:
        reader = engine.reader
        assert not engine.searcher.is_atomic() and reader.has_deletions()
        for term in ["dòng", "họ", "tự", "quản", "pccc", "panthers", "đường"]:
            assert list(engine.postings.postings(term)) == whoosh_matcher_postings(engine, term)
        bulk = list(engine.postings.all_postings())
        expected = [
            (
                btext.decode("utf-8"),
                reader.doc_frequency(TERMS, btext),
                whoosh_matcher_postings(engine, btext.decode("utf-8")),
            )
            for btext, _info in reader.iter_field(TERMS)
        ]
        assert len(bulk) > 100
        assert bulk == expected


def test_posting_arrays_hold_what_all_postings_yields(tmp_path):
    """The static export's array reader: every live posting, by term then docnum,
    across segments and deletions, as all_postings gives them one term at a time."""
    docs = corpus()
    build_index(tmp_path, docs[:10], ACRONYMS)
    build_index(tmp_path, docs[1:], ACRONYMS)  # one deletion, a second segment
    with SearchEngine(tmp_path) as engine:
        terms, numbers, docnums, weights = engine.postings.posting_arrays()
        expected = [
            (term, docnum, q)
            for term, _df, items in engine.postings.all_postings()
            for docnum, q in items
        ]
        assert engine.postings.deleted_docnums()
        assert terms == sorted(terms, key=lambda t: t.encode("utf-8"))
        names = [terms[n] for n in numbers.tolist()]
        got = list(zip(names, docnums.tolist(), weights.tolist(), strict=True))
        assert len(got) > 100
        assert got == expected


def test_folded_clause_sums_the_spellings_of_a_syllable(tmp_path):
    docs = corpus()
    build_index(tmp_path, docs[:10], ACRONYMS)
    build_index(tmp_path, docs[1:], ACRONYMS)  # one deletion, a second segment
    with SearchEngine(tmp_path) as engine:
        spellings = engine.postings.variants("duong")
        assert {"đường", "dương"} <= set(spellings)
        assert all(vntext.fold(term) == "duong" for term in spellings)
        expected: dict[int, int] = {}
        for term in spellings:
            for docnum, q in whoosh_matcher_postings(engine, term):
                expected[docnum] = expected.get(docnum, 0) + q
        df, got = engine.postings.clause("duong", folded=True)
        assert got == expected and len(got) > 3
        # df sums the spellings' live documents: docs[0]'s deleted copy holds "duong"
        # too, and Whoosh's own counts still include it (live counts, issue 24).
        assert df == sum(len(whoosh_matcher_postings(engine, t)) for t in spellings)
        assert df == sum(engine.reader.doc_frequency(TERMS, t) for t in spellings) - 1
        # The exact clause reads one spelling only.
        df_exact, exact = engine.postings.clause("đường", folded=False)
        assert set(exact) < set(got) and df_exact < df


def test_posting_weights_are_bm25f_pseudo_frequencies():
    """q = round(8 · Σ_f W_f · tf_f / (0.25 + 0.75 · len_f / REF_f)), from the document's text."""
    doc = SearchDocument(
        id="a",
        kind="article",
        url="a/",
        title="Camera an ninh ở xã",
        body="Xã lắp camera. Camera giúp giữ an ninh.",
    )
    weights = analyze(doc, AcronymMatcher(None)).weights
    title_scale = FIELD_WEIGHTS["title"] / (0.25 + 0.75 * 5 / REFERENCE_LENGTHS["title"])
    body_scale = FIELD_WEIGHTS["body"] / (0.25 + 0.75 * 8 / REFERENCE_LENGTHS["body"])
    assert weights["camera"] == round(8 * (title_scale + 2 * body_scale))
    assert weights["lắp"] == round(8 * body_scale)
    assert weights["ninh"] == round(8 * (title_scale + body_scale))


def test_acronyms_are_indexed_where_their_expansion_is_written(tmp_path):
    glossary = tmp_path / "acronyms.txt"
    glossary.write_text("PCCC = phòng cháy, chữa cháy\n", encoding="utf-8")
    docs = [
        SearchDocument(id="a", kind="article", url="a/", title="Tập huấn phòng cháy chữa cháy"),
        SearchDocument(id="b", kind="article", url="b/", title="Tổ PCCC ra mắt"),
        SearchDocument(id="c", kind="article", url="c/", title="Phòng họp cháy đèn"),
    ]
    build_index(tmp_path / "index", docs, glossary)
    assert {r.id for r in search(tmp_path / "index", "pccc").results} == {"a", "b"}
    # Another glossary indexes every document again (the acronym goes away).
    glossary.write_text("ANTT = an ninh trật tự\n", encoding="utf-8")
    report = build_index(tmp_path / "index", docs, glossary)
    assert report.added == 3
    assert {r.id for r in search(tmp_path / "index", "pccc").results} == {"b"}


def test_extraction_version_follows_the_extraction_code(tmp_path, monkeypatch):
    """Editing the code that makes the documents re-extracts them: no hand-bumped number."""
    import importlib.util

    from search_index import plugin

    source = tmp_path / "extract_demo.py"
    source.write_text("def title(x):\n    return x.title\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("extract_demo", source)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    before = plugin.code_version(module)
    assert plugin.code_version(module) == before
    source.write_text("def title(x):\n    return x.title.strip()\n", encoding="utf-8")
    assert plugin.code_version(module) != before

    (document,) = list(plugin.collect_documents(articles()[:1], []))
    old_hash = document.content_hash()
    monkeypatch.setattr(plugin, "EXTRACTION_VERSION", "edited")
    assert document.content_hash() != old_hash


def test_an_index_of_the_previous_format_is_rebuilt_with_a_warning_not_misread(tmp_path, caplog):
    from tdbvantq.search import FORMAT

    docs = corpus()
    build_index(tmp_path, docs, ACRONYMS)
    # What the previous format version wrote: the same files, an older format name.
    previous = "vnsearch-" + str(int(FORMAT.rsplit("-", 1)[1]) - 1)
    generation = current_generation(tmp_path)
    for path in (tmp_path / "CURRENT", generation / "manifest.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["format"] = previous
        path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexMissing, match=f"not a {FORMAT} index"):
        search(tmp_path, "dong ho tu quan")  # refused, never read with today's rules
    with caplog.at_level(logging.WARNING, logger="tdbvantq.search"):
        report = build_index(tmp_path, docs, ACRONYMS)
    assert report.written and report.added == len(docs) and FORMAT in report.rebuilt_reason
    assert any("rebuilding it from scratch" in r.getMessage() for r in caplog.records)
    assert search(tmp_path, "dong ho tu quan").results


def test_idf_never_goes_negative_when_a_folded_df_passes_n():
    """A folded clause's df sums its spellings' dfs and can exceed N."""
    from tdbvantq.search.schema import idf

    assert idf(100, 250) == idf(100, 100) > 0
    assert idf(100, 1) > idf(100, 50) > idf(100, 100)


def test_background_job_gives_the_result_the_logs_and_the_pending_generation(tmp_path, caplog):
    """The build's search work in a spawned process: same index, its warnings logged
    by the parent, and its generation current only when the parent commits."""
    from search_index.background import BackgroundJob
    from tdbvantq.search import PendingGenerations

    (tmp_path / "stray.txt").write_text("not an index", encoding="utf-8")  # warns, rebuilds
    docs = collect_documents(articles(), models())  # the plugin's lazy documents, pickled
    pending = PendingGenerations()  # the build's
    with caplog.at_level(logging.WARNING):
        written = BackgroundJob(
            index_documents, tmp_path, docs, ACRONYMS, [], None, PendingGenerations()
        ).wait()
        assert not (tmp_path / "CURRENT").exists()  # written aside, not current yet
        assert not pending.names and len(written.names) == 1  # the child's own copy came back
        pending.adopt(written)  # what search_index.finish_index does
        generation = pending.generation(tmp_path)
        assert current_generation(tmp_path, pending) == generation
        pending.commit()
    assert current_generation(tmp_path) == generation
    assert any("rebuilding it from scratch" in r.getMessage() for r in caplog.records)
    assert search(tmp_path, "dòng họ tự quản").results


def test_background_job_raises_the_error_of_the_child(tmp_path):
    from search_index.background import BackgroundJob

    with pytest.raises(IndexMissing) as raised:
        BackgroundJob(SearchEngine, tmp_path / "no-index").wait()
    assert "no-index" in str(raised.value) and "no-index" in raised.value.user_message


def test_inline_and_background_builds_give_the_same_index(tmp_path):
    """SEARCH_INDEX_BACKGROUND=False indexes in the build's process: same results."""
    answers = {}
    for background in (True, False):
        index_dir = tmp_path / f"index-{background}"
        built = run_pelican(
            ROOT / "content",
            tmp_path / f"out-{background}",
            extra={
                "SEARCH_INDEX_DIR": str(index_dir),
                "SEARCH_INDEX_BACKGROUND": background,
            },
        )
        assert built.returncode == 0, built.stderr
        answers[background] = [r.url for r in search(index_dir, "camera an ninh").results]
        assert (tmp_path / f"out-{background}" / "search" / "manifest.json.gz").is_file()
    assert answers[True] and answers[True] == answers[False]


def test_quantize_all_rounds_as_quantize_does():
    """Every document's weights are quantized at once in numpy: halves round to even,
    as Python's round does, and nothing goes below 1."""
    import random

    rng = random.Random(3)
    weights = [0.0, 0.01, 0.0625, 0.1875, 0.3125, 2.5 / 8, 3.5 / 8, 1e-9, 123.456]
    weights += [rng.random() * rng.choice([0.1, 1, 10, 1000]) for _ in range(5000)]
    weights += [(n + 0.5) / 8 for n in range(200)]  # exact halves after scaling
    assert quantize_all(weights) == [quantize(w) for w in weights]
    assert all(type(q) is int for q in quantize_all(weights))
