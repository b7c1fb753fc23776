"""Whoosh's segment writing without its per-posting Python calls, same bytes.

Whoosh 2.7.4 moves every posting through three Python calls when it writes a
segment: the sorting pool's `add` (a size estimate and type asserts), the
field writer's `add_postings` loop (order checks, a length lookup) and the
postings writer's `add_posting` (type asserts, one block statistic at a time).
On 1,000 news stories (250,000 postings) they were half of the index's
writing. Here the pool only appends, and a term's postings go into the
postings writer's block buffers a block at a time: the blocks, their
statistics and the files are those Whoosh writes (a test compares them).

The weighted terms field (`schema.WeightedTerms`: a document's {term: q}) skips
the pool's tuples altogether: `add_document` hands each document's dict to the
pool, which keeps three arrays of 4 bytes a posting (term number, docnum, q)
instead of a 5-tuple each, and `BulkFieldWriter` writes that field's terms from
them, sorted by numpy rather than by comparing tuples. At 1,000 stories that was
0.3 s of the index's 2.4 s of CPU. An update that merges an older segment puts
that segment's postings of the field in the pool as tuples: the arrays then join
them as tuples too (`BulkPool.items`), the path Whoosh's own takes.

The private names of Whoosh used here are checked on import by
`_whoosh.PRIVATE_ATTRIBUTES`.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterator
from itertools import count, groupby, repeat
from operator import itemgetter

import numpy as np

from tdbvantq.search._whoosh import PostingPool, W3FieldWriter

# Whoosh's own estimate of a pooled posting of this index (a short term, no
# value) is about 200 bytes: the pool spills a sorted run to disk at about the
# same count of postings as Whoosh's would (where it spills changes no byte).
POSTING_BYTES = 200

_FIELD, _TERM = itemgetter(0), itemgetter(1)


class BulkPool(PostingPool):
    """PostingPool whose `add` only appends (and spills a run past `limitmb`); the
    postings of `weighted` (a field of {term: q} dicts) are kept as arrays."""

    def __init__(self, tempstore, segment, limitmb: int, weighted: str) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        self.max_items = max(1, self.limit // POSTING_BYTES)
        self.weighted = weighted
        self.numbers: dict[str, int] = {}  # term -> its number (increasing, with gaps)
        self._counter = count()
        self._numbers, self._docs, self._weights = array("i"), array("i"), array("i")
        self.mixed = False  # the field has tuples in the pool too (a merged segment's)

    def add(self, item: tuple) -> None:
        if item[0] == self.weighted:
            self.mixed = True
        current = self.current
        current.append(item)
        if len(current) >= self.max_items:
            self.save()

    def add_weighted(self, docnum: int, weights: dict[str, int]) -> None:
        """One document's postings of the weighted field: term -> q (an integer)."""
        self._numbers.extend(map(self.numbers.setdefault, weights, self._counter))
        self._docs.extend(repeat(docnum, len(weights)))
        self._weights.extend(weights.values())

    def weighted_terms(self) -> Iterator[tuple[bytes, list[int], list[float]]]:
        """(term, docnums, weights) of the weighted field, by term (UTF-8 byte order,
        which is code point order) and each term's postings by docnum (the order
        they were added in)."""
        terms = sorted(self.numbers)
        numbers = np.frombuffer(self._numbers, np.int32)
        rank = np.zeros(int(numbers.max()) + 1 if len(numbers) else 0, np.int64)
        rank[[self.numbers[term] for term in terms]] = np.arange(len(terms))
        keys = rank[numbers]
        order = np.argsort(keys, kind="stable")
        docs = np.frombuffer(self._docs, np.int32)[order].tolist()
        # Whoosh's weight: float(q) times the field boost, 1.0
        weights = np.frombuffer(self._weights, np.int32)[order].astype(np.float64).tolist()
        bounds = np.zeros(len(terms) + 1, np.int64)
        np.cumsum(np.bincount(keys, minlength=len(terms)), out=bounds[1:])
        ends = bounds.tolist()
        for i, term in enumerate(terms):
            yield term.encode("utf-8"), docs[ends[i] : ends[i + 1]], weights[ends[i] : ends[i + 1]]

    def items(self, maxfiles: int = 128):
        if not self._docs:
            return super().items(maxfiles)
        if self.mixed:  # join the tuples of a merged segment: as Whoosh's pool would hold them
            weighted = self.weighted
            for btext, docs, weights in self.weighted_terms():
                for docnum, weight in zip(docs, weights, strict=True):
                    PostingPool.add(self, (weighted, btext, docnum, weight, b""))
            self._docs = array("i")
            return super().items(maxfiles)
        return BulkPostings(super().items(maxfiles), self)


class BulkPostings:
    """The pool's sorted tuples, and the weighted field's arrays beside them."""

    def __init__(self, tuples, pool: BulkPool) -> None:
        self.tuples = tuples
        self.pool = pool

    def __iter__(self):
        """Every posting as a tuple, in order (Whoosh's own field writer reads this)."""
        field = self.pool.weighted
        weighted = (
            (field, btext, docnum, weight, b"")
            for btext, docs, weights in self.pool.weighted_terms()
            for docnum, weight in zip(docs, weights, strict=True)
        )
        return heapq.merge(self.tuples, weighted)


class BulkFieldWriter(W3FieldWriter):
    """W3FieldWriter writing each term's postings a block at a time."""

    def add_postings(self, schema, lengths, items) -> None:
        if lengths is not None:  # the codec keeps length statistics: Whoosh's own loop
            super().add_postings(schema, lengths, iter(items))
            return
        bulk = items.pool if isinstance(items, BulkPostings) else None
        if bulk is not None:
            items = items.tuples
        # `items` come sorted from the pool: (fieldname, btext, docnum, weight, value).
        for fieldname, postings in groupby(items, key=_FIELD):
            if bulk is not None and bulk.weighted < fieldname:
                self._add_weighted(schema, bulk)
                bulk = None
            self.start_field(fieldname, schema[fieldname])
            for btext, term_postings in groupby(postings, key=_TERM):
                # docnum -1: a spelling word, which Whoosh's loop skips as well.
                rows = [row for row in term_postings if row[2] != -1]
                if rows:
                    self.start_term(btext)
                    _add_term_postings(self._postwriter, rows)
                    self.finish_term()
            self.finish_field()
        if bulk is not None:
            self._add_weighted(schema, bulk)

    def _add_weighted(self, schema, pool: BulkPool) -> None:
        self.start_field(pool.weighted, schema[pool.weighted])
        for btext, docs, weights in pool.weighted_terms():
            self.start_term(btext)
            _add_term_arrays(self._postwriter, docs, weights)
            self.finish_term()
        self.finish_field()


def _add_term_arrays(writer, docs: list[int], weights: list[float]) -> None:
    """_add_term_postings from a term's docnums and weights."""
    limit = writer._blocklimit
    for start in range(0, len(docs), limit):
        if start:
            writer._write_block()
        block = weights[start : start + limit]
        writer._ids.extend(docs[start : start + limit])
        writer._weights.extend(block)
        heaviest = max(block)
        if heaviest > writer._maxweight:
            writer._maxweight = heaviest


def add_document(writer, fields: dict) -> None:
    """`writer.add_document(**fields)` (Whoosh 2.7.4's SegmentWriter, same calls in
    the same order) for this index's documents: no boosts, vectors or spelling
    fields, and the pool's `weighted` field handed to it whole (its length is its
    number of terms, each of frequency 1, as `WeightedTerms.index` yields them)."""
    writer._check_state()
    perdocwriter, schema, docnum, pool = (
        writer.perdocwriter,
        writer.schema,
        writer.docnum,
        writer.pool,
    )
    fieldnames = sorted(name for name in fields if not name.startswith("_"))
    writer._check_fields(schema, fieldnames)
    perdocwriter.start_doc(docnum)
    for fieldname in fieldnames:
        value = fields[fieldname]
        if value is None:
            continue
        field = schema[fieldname]
        if field.separate_spelling() or field.vector:
            raise ValueError(f"{fieldname}: spelling and vectors are not written in bulk")
        length = 0
        if fieldname == pool.weighted:
            pool.add_weighted(docnum, value)
            length = len(value) if field.scorable else 0
        elif field.indexed:
            for tbytes, freq, weight, vbytes in field.index(value):
                if field.scorable:
                    length += freq
                pool.add((fieldname, tbytes, docnum, weight * 1.0, vbytes))
        perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
        if field.column_type:
            perdocwriter.add_column_value(
                fieldname, field.column_type, field.to_column_value(value)
            )
    perdocwriter.finish_doc()
    writer._added = True
    writer.docnum += 1


def _add_term_postings(writer, rows: list[tuple]) -> None:
    """What `add_posting` once per row does, a block at a time: a full block is
    written when the next posting comes, the last one stays for `finish_postings`."""
    limit = writer._blocklimit
    for start in range(0, len(rows), limit):
        if start:
            writer._write_block()
        block = rows[start : start + limit]
        weights = [row[3] for row in block]
        writer._ids.extend([row[2] for row in block])
        writer._weights.extend(weights)
        writer._values.extend([row[4] for row in block if row[4]])
        # The first largest weight, as add_posting's strict ">" keeps it.
        heaviest = max(weights)
        if heaviest > writer._maxweight:
            writer._maxweight = heaviest
