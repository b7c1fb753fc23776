"""Whoosh's segment writing without its per-posting Python calls, same bytes.

Whoosh 2.7.4 moves every posting through three Python calls when it writes a
segment: the sorting pool's `add` (a size estimate and type asserts), the
field writer's `add_postings` loop (order checks, a length lookup) and the
postings writer's `add_posting` (type asserts, one block statistic at a time).
On 1,000 news stories (250,000 postings) they were half of the index's
writing. Here the pool only appends, and a term's postings go into the
postings writer's block buffers a block at a time: the blocks, their
statistics and the files are those Whoosh writes (a test compares them).

The postings writer's private names used here are checked on import by
`_whoosh.PRIVATE_ATTRIBUTES`.
"""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter

from tdbvantq.search._whoosh import PostingPool, W3FieldWriter

# Whoosh's own estimate of a pooled posting of this index (a short term, no
# value) is about 200 bytes: the pool spills a sorted run to disk at about the
# same count of postings as Whoosh's would (where it spills changes no byte).
POSTING_BYTES = 200

_FIELD, _TERM = itemgetter(0), itemgetter(1)


class BulkPool(PostingPool):
    """PostingPool whose `add` only appends (and spills a run past `limitmb`)."""

    def __init__(self, tempstore, segment, limitmb: int) -> None:
        super().__init__(tempstore, segment, limitmb=limitmb)
        self.max_items = max(1, self.limit // POSTING_BYTES)

    def add(self, item: tuple) -> None:
        current = self.current
        current.append(item)
        if len(current) >= self.max_items:
            self.save()


class BulkFieldWriter(W3FieldWriter):
    """W3FieldWriter writing each term's postings a block at a time."""

    def add_postings(self, schema, lengths, items) -> None:
        if lengths is not None:  # the codec keeps length statistics: Whoosh's own loop
            super().add_postings(schema, lengths, items)
            return
        # `items` come sorted from the pool: (fieldname, btext, docnum, weight, value).
        for fieldname, postings in groupby(items, key=_FIELD):
            self.start_field(fieldname, schema[fieldname])
            for btext, term_postings in groupby(postings, key=_TERM):
                # docnum -1: a spelling word, which Whoosh's loop skips as well.
                rows = [row for row in term_postings if row[2] != -1]
                if rows:
                    self.start_term(btext)
                    _add_term_postings(self._postwriter, rows)
                    self.finish_term()
            self.finish_field()


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
