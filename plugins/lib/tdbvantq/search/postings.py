"""Bulk reading of the `terms` field's postings, block by block.

Whoosh's matcher API costs several Python calls per posting; reading each
postings block's id and weight arrays at once is ~10x faster. A posting's
weight is the integer q of vnsearch.analysis (the term's quantized BM25F
pseudo-frequency in that document), kept as the float Whoosh stores (an exact
integer value; converting it would cost as much as reading the block).

A folded clause ("duong") reads every term that folds to it (đường, dương,
đương…): its q in a document is the sum of theirs, its df the sum of their dfs.

Document frequencies and N count live documents only. Whoosh's own counts include
the deleted copy an edit leaves in the index until its segment is merged, so with
them one edit moved the df of every term of the edited story (and N) in both
engines: the browser index re-encoded a third of its shards, and a rebuild ranked
slightly differently from a cold build of the same stories. Live counts make an
updated index rank exactly as a freshly built one.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate, repeat
from operator import itemgetter

import numpy as np

from tdbvantq import text as vntext
from tdbvantq.search.schema import TERMS

# Decoded postings of the terms read last are kept: an accented query reads its
# exact term twice (its exact clause, and a spelling of its folded clause).
RECENT_TERMS = 16
# Merged folded clauses kept (an engine answering many queries: the CLI's batch
# mode). Merging every spelling of a common syllable ("dang": đảng, đang, dạng…)
# was the largest cost of a query at 100,000 stories, and the same syllables
# come back from query to query.
RECENT_CLAUSES = 32
# Postings kept as arrays (docnums and q), at most this many in all (16 bytes
# each): the scoring path reads terms as arrays, and a common syllable's
# spellings come back from query to query in the CLI's batch mode.
RECENT_ARRAY_POSTINGS = 2_000_000

EMPTY_DOCNUMS = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float64)


class PostingReader:
    """Per-searcher cache of spellings and deletions; reads (docnum, q) postings."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.n_docs = searcher.doc_count_all()  # docnums run from 0 to n_docs - 1
        self.n_live = searcher.doc_count()  # the N of the idf: deleted copies left out
        self.n_deleted = self.n_docs - self.n_live
        if searcher.is_atomic():
            self.segments = [(searcher, 0)]
        else:
            self.segments = list(searcher.subsearchers)
        self._deleted_ids: dict[int, frozenset[int]] = {}  # per segment, its own ids
        self._variants: dict[str, list[str]] | None = None
        self._df: dict[str, int] = {}
        self._recent: dict[str, dict[int, float]] = {}
        self._merged: dict[str, tuple[int, dict[int, float]]] = {}
        self._arrays: dict[tuple[str, bool], tuple[int, np.ndarray, np.ndarray]] = {}
        self._arrays_size = 0

    def variants(self, folded: str) -> list[str]:
        """The index terms that fold to `folded`, in term order."""
        if self._variants is None:
            table: dict[str, list[str]] = {}
            for btext in self.searcher.reader().lexicon(TERMS):
                term = btext.decode("utf-8")
                table.setdefault(vntext.fold(term), []).append(term)
            self._variants = table
        return self._variants.get(folded, [])

    def doc_frequency(self, term: str) -> int:
        """The number of live documents holding `term` (Whoosh's df when the index
        holds no deleted copy; otherwise its postings are read to leave them out)."""
        df = self._df.get(term)
        if df is None:
            df = self.searcher.doc_frequency(TERMS, term)
            if df and self.n_deleted:
                df = len(self._read_arrays(term)[0])
            self._df[term] = df
        return df

    def df_over(self, term: str, limit: float) -> bool:
        """Whether more than `limit` live documents hold `term`. Whoosh's df, which
        counts at most n_deleted deleted copies, settles it without reading the
        postings unless it lies within n_deleted of the limit (a stop syllable's
        postings are the longest of the index)."""
        whole = self.searcher.doc_frequency(TERMS, term)
        if whole <= limit:
            return False
        if whole - self.n_deleted > limit:
            return True
        return self.doc_frequency(term) > limit

    def spelling_over(self, folded: str, limit: float) -> bool:
        """Whether a term folding to `folded` is in more than `limit` live documents
        (the stop-syllable test)."""
        return any(self.df_over(term, limit) for term in self.variants(folded))

    def most_common_spelling_df(self, folded: str) -> int:
        """The largest df among the terms that fold to `folded`."""
        return max((self.doc_frequency(term) for term in self.variants(folded)), default=0)

    def clause(self, term: str, folded: bool) -> tuple[int, dict[int, float]]:
        """(df, docnum -> q) of an exact term, or of every term folding to `term`
        (a document holding two spellings gets the sum of their q). The mapping
        may be shared with later calls: read it, never modify it."""
        if not folded:
            weights = self.weights(term)  # first: it leaves the term's live df known
            return self.doc_frequency(term), weights
        if term in self._merged:
            found = self._merged.pop(term)
            self._merged[term] = found  # now the most recently used
            return found
        df, docnums, weights = self.clause_arrays(term, folded)
        merged = dict(zip(docnums.tolist(), weights.tolist(), strict=True))
        if len(self._merged) >= RECENT_CLAUSES:
            del self._merged[next(iter(self._merged))]  # the least recently used
        self._merged[term] = (df, merged)
        return df, merged

    def clause_arrays(self, term: str, folded: bool) -> tuple[int, np.ndarray, np.ndarray]:
        """(df, docnums, q) of a clause as arrays, docnums ascending: ``clause``'s
        postings, what scoring reads (kept for the next calls: never modify them)."""
        key = (term, folded)
        found = self._arrays.pop(key, None)
        if found is None:
            found = self._read_clause_arrays(term, folded)
            self._arrays_size += len(found[1])
            while self._arrays and self._arrays_size > RECENT_ARRAY_POSTINGS:
                oldest = next(iter(self._arrays))  # the least recently used
                self._arrays_size -= len(self._arrays.pop(oldest)[1])
        self._arrays[key] = found
        return found

    def _read_clause_arrays(self, term: str, folded: bool) -> tuple[int, np.ndarray, np.ndarray]:
        terms = self.variants(term) if folded else [term]
        df = 0
        spellings = []
        for text in terms:
            if self.n_deleted and text not in self._df:
                # Read once: the live postings give the live df.
                arrays = self._read_arrays(text) if self.searcher.doc_frequency(TERMS, text) else ()
                self._df[text] = len(arrays[0]) if arrays else 0
                if self._df[text]:
                    df += self._df[text]
                    spellings.append(arrays)
                continue
            term_df = self.doc_frequency(text)
            if term_df:
                df += term_df
                spellings.append(self._read_arrays(text))
        if not spellings:
            return df, EMPTY_DOCNUMS, EMPTY_WEIGHTS
        if len(spellings) == 1:
            return (df, *spellings[0])
        # q are integers: their sums are exact in any order. A dense column per
        # document, since a folded syllable's spellings overlap.
        total = np.zeros(self.n_docs, dtype=np.float64)
        present = np.zeros(self.n_docs, dtype=bool)
        for docnums, weights in spellings:
            total[docnums] += weights  # a term lists a document once
            present[docnums] = True
        docnums = np.flatnonzero(present)
        return df, docnums, total[docnums]

    def _read_arrays(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(docnums ascending, q) of the live documents holding one term."""
        id_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        for segment_index, (subsearcher, offset) in enumerate(self.segments):
            reader = subsearcher.reader()
            if (TERMS, text) not in reader:
                continue
            btext = reader._text_to_bytes(TERMS, text)
            matcher = reader._terms.matcher(TERMS, btext, reader.schema[TERMS].format, scorer=None)
            ids, weights = _matcher_arrays(matcher)
            deleted = self._deleted(segment_index, reader)
            if deleted:
                # Documents edited or removed since the segment was written.
                live = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
                ids, weights = ids[live], weights[live]
            id_parts.append(ids + offset if offset else ids)
            weight_parts.append(weights)
        if not id_parts:
            return EMPTY_DOCNUMS, EMPTY_WEIGHTS
        if len(id_parts) == 1:
            return id_parts[0], weight_parts[0]
        return np.concatenate(id_parts), np.concatenate(weight_parts)

    def weights(self, text: str) -> dict[int, float]:
        """docnum -> q of the live documents holding one term (kept for the next
        calls: read it, never modify it)."""
        found = self._recent.pop(text, None)
        if found is None:
            _df, docnums, weights = self.clause_arrays(text, False)
            found = dict(zip(docnums.tolist(), weights.tolist(), strict=True))
            if len(self._recent) >= RECENT_TERMS:
                del self._recent[next(iter(self._recent))]  # the least recently used
        self._recent[text] = found
        return found

    def postings(self, text: str) -> Iterator[tuple[int, int]]:
        """(docnum, q) of the live documents holding one term, in docnum order."""
        return iter(sorted(self.weights(text).items()))

    def _deleted(self, segment_index: int, reader) -> frozenset[int]:
        if segment_index not in self._deleted_ids:
            ids = reader._perdoc.deleted_docs() if reader.has_deletions() else ()
            self._deleted_ids[segment_index] = frozenset(ids)
        return self._deleted_ids[segment_index]

    def all_postings(self) -> Iterator[tuple[str, int, list[tuple[int, int]]]]:
        """(term, df, [(docnum, q)] of live documents) for every term, in term order.

        One pass over each segment's term table, with no per-term lookup: the
        exporter's bulk path. df is Whoosh's, deleted documents included (the exporter
        counts the live items instead, as `doc_frequency` does). The
        segments' sorted term tables are merged as they are read, so one term's
        postings are held at a time: merging every term first held every posting
        of the index as a tuple, ~90 bytes each (2.7 GB at 100,000 stories).
        """
        streams = []
        for segment_index, (subsearcher, offset) in enumerate(self.segments):
            reader = subsearcher.reader()
            if TERMS in reader.schema and reader.doc_count_all() > 0:
                streams.append(self._segment_postings(segment_index, reader, offset))
        current, df, items = None, 0, []
        # heapq.merge keeps the segments' order for equal terms: docnums stay sorted.
        for btext, segment_df, segment_items in heapq.merge(*streams, key=itemgetter(0)):
            if btext != current:
                if current is not None:
                    yield current.decode("utf-8"), df, items
                current, df, items = btext, 0, []
            df += segment_df
            items += segment_items
        if current is not None:
            yield current.decode("utf-8"), df, items

    def posting_arrays(self) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """`all_postings` as arrays: the terms in term order, and for every posting of a
        live document its term's number in that list, its docnum and its q (int32
        arrays, by term then docnum). The static export's bulk path: three arrays of
        4 bytes a posting instead of a tuple each, filled by C loops a block at a time."""
        numbers: dict[bytes, int] = {}
        parts = []
        for segment_index, (subsearcher, offset) in enumerate(self.segments):
            reader = subsearcher.reader()
            if TERMS in reader.schema and reader.doc_count_all() > 0:
                term_numbers, docnums, weights = self._segment_arrays(reader, numbers)
                deleted = self._deleted(segment_index, reader)
                if deleted:
                    live = ~np.isin(docnums, np.fromiter(deleted, np.int32, len(deleted)))
                    term_numbers, docnums, weights = (
                        term_numbers[live],
                        docnums[live],
                        weights[live],
                    )
                parts.append((term_numbers, docnums + np.int32(offset), weights))
        texts = sorted(numbers)  # term order: the byte order of the UTF-8 texts
        rank = np.zeros(len(texts), np.int32)
        rank[[numbers[text] for text in texts]] = np.arange(len(texts), dtype=np.int32)
        if not parts:
            empty = np.zeros(0, np.int32)
            return [], empty, empty, empty
        term_numbers, docnums, weights = (
            np.concatenate(column) for column in zip(*parts, strict=True)
        )
        term_numbers = rank[term_numbers]
        order = np.lexsort((docnums, term_numbers))
        terms = [text.decode("utf-8") for text in texts]
        return terms, term_numbers[order], docnums[order], weights[order]

    def _segment_arrays(
        self, reader, numbers: dict[bytes, int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Term numbers (from `numbers`, new terms added), docnums of the segment and
        q of every posting of one segment, deleted documents included."""
        field_format = reader.schema[TERMS].format
        terms = reader._terms
        term_numbers, docnums, weights = array("i"), array("i"), array("d")
        for btext, info in reader.iter_field(TERMS):
            number = numbers.setdefault(btext, len(numbers))
            matcher = terms._codec.postings_reader(
                terms._postfile, info, field_format, term=(TERMS, btext)
            )
            before = len(docnums)
            for ids, block_weights in _matcher_blocks(matcher):
                docnums.extend(ids)
                weights.extend(block_weights)
            term_numbers.extend(repeat(number, len(docnums) - before))
        return (
            np.frombuffer(term_numbers, np.int32),
            np.frombuffer(docnums, np.int32),
            # q: an integer stored as a float, exactly
            np.frombuffer(weights, np.float64).astype(np.int32),
        )

    def deleted_docnums(self) -> list[int]:
        """Every deleted document still in a segment (edited or removed, not yet merged
        away), as docnums of the whole index: Whoosh's df still counts them."""
        found: list[int] = []
        for segment_index, (subsearcher, offset) in enumerate(self.segments):
            local = self._deleted(segment_index, subsearcher.reader())
            found += sorted(offset + docnum for docnum in local)
        return found

    def document_terms(self, docnums: Iterable[int]) -> dict[int, list[tuple[str, int]]]:
        """(term, q) of each of `docnums`, live or deleted, in term order: the index has
        no forward lists, so every term of each segment holding one of them is read.
        The static export's incremental path asks for the few documents an update
        added, which sit in the update's own small segment."""
        wanted = set(docnums)
        found: dict[int, list[tuple[str, int]]] = {docnum: [] for docnum in wanted}
        ends = [offset for _, offset in self.segments[1:]] + [self.n_docs]
        for (subsearcher, offset), end in zip(self.segments, ends, strict=True):
            local = {docnum - offset for docnum in wanted if offset <= docnum < end}
            reader = subsearcher.reader()
            if not local or TERMS not in reader.schema:
                continue
            field_format = reader.schema[TERMS].format
            terms = reader._terms
            for btext, info in reader.iter_field(TERMS):
                matcher = terms._codec.postings_reader(
                    terms._postfile, info, field_format, term=(TERMS, btext)
                )
                for ids, weights in _matcher_blocks(matcher):
                    for docnum, q in zip(ids, weights, strict=False):
                        if docnum in local:
                            found[offset + docnum].append((btext.decode("utf-8"), int(q)))
        return found

    def _segment_postings(
        self, segment_index: int, reader, offset: int
    ) -> Iterator[tuple[bytes, int, list[tuple[int, int]]]]:
        """(term, df, [(docnum, q)] of its live documents) of one segment, in term order."""
        deleted = self._deleted(segment_index, reader)
        field_format = reader.schema[TERMS].format
        terms = reader._terms
        for btext, info in reader.iter_field(TERMS):
            matcher = terms._codec.postings_reader(
                terms._postfile, info, field_format, term=(TERMS, btext)
            )
            items = []
            for ids, weights in _matcher_blocks(matcher):
                items += [
                    (offset + d, int(q))
                    for d, q in zip(ids, weights, strict=False)
                    if not deleted or d not in deleted
                ]
            yield btext, info.doc_frequency(), items


def _matcher_arrays(matcher) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of every posting of one postings matcher, as int64 and
    float64 arrays (Whoosh 2.7.4 internals: a block holds a tuple of ids, delta
    coded unless `_byteids`, and a tuple of weights, or one weight for all)."""
    id_blocks: list[np.ndarray] = []
    weight_blocks: list = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        block_ids = np.fromiter(ids, dtype=np.int64, count=len(ids))
        if not matcher._byteids:
            np.cumsum(block_ids, out=block_ids)  # delta coded from 0 in each block
        id_blocks.append(block_ids)
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(matcher._blocklength, 1.0 if weights is None else weights))
        else:
            weight_blocks.append(np.fromiter(weights, dtype=np.float64, count=len(weights)))
        matcher._next_block()
    if not id_blocks:
        return EMPTY_DOCNUMS, EMPTY_WEIGHTS
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def _matcher_blocks(matcher):
    """(ids, weights) arrays of each block of one postings matcher."""
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids, weights = matcher._data[0], matcher._data[1]
        if not matcher._byteids:
            ids = accumulate(ids)  # delta-coded; C speed instead of Whoosh's generator
        if weights is None or isinstance(weights, float):
            weights = repeat(1.0 if weights is None else weights, matcher._blocklength)
        yield ids, weights
        matcher._next_block()
