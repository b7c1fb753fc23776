"""The export after an update of a few documents: only the shards of their terms.

A full export reads every posting of the index and every document's adjacency text,
and encodes every term. After one edit almost all of that is what the last export
wrote. With a cache folder, the last export leaves:

- each live document's terms with their q and its adjacent pairs, one file per
  document identity (its id and content hash: equal identities hold equal terms),
  under `docs/`;
- `incremental.pickle`: the documents in static-id order, every live identity, each
  syllable term's df (its live documents: the deleted copy an edit leaves in the
  index counts nowhere, so an edit moves only the entries of the terms whose q it
  changes, added or removed), the shard count and every shard's file, and the raw
  size the shard count follows.

The next export compares the index with that. When the documents keep their static
ids (an edit, or stories appended at the end) and the shard count stays, it reads the
terms of the new documents only (from the update's own segment), patches the old
content of the shards holding a term whose entry they change, and carries every
other shard over by name. Anything else (a document removed or moved in
the order, a new shard count, a missing file) makes the full export, which gives the
same bytes: `tests/test_static_search.py` compares the two.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from static_search.reader import IndexSnapshot, identity
from tdbvantq.search import analysis, ranking

Identity = tuple[str, str]
STATE = "incremental.pickle"


@dataclass
class DocTerms:
    """What one document adds to the term shards."""

    terms: list[tuple[str, int]]  # syllable terms and their q
    pairs: list[str] | None  # adjacent folded pairs (None: a deleted copy, never read)


@dataclass
class ExportState:
    """What the last export wrote, for the next one to patch."""

    version: str
    count: int  # shards
    shards: list[tuple[str, str]]  # (fingerprint, file) per shard
    order: list[Identity]  # live documents by static id
    present: Counter  # every live identity
    df: dict[str, int]  # syllable term -> its live documents
    live_terms: set[str]  # syllable terms some live document holds
    raw_size: int  # what the shard count follows (export._raw_size)
    term_count: int  # terms in the shards
    sizes: dict[Identity, int] = field(default_factory=dict)  # fragment size estimates


def doc_file(folder: Path, ident: Identity) -> Path:
    return folder / "docs" / doc_name(ident)


def doc_name(ident: Identity) -> str:
    """The name of a document identity's file in `docs/`."""
    digest = hashlib.blake2b(json.dumps(ident).encode(), digest_size=16).hexdigest()
    return f"{digest}.pickle"


def load_doc(folder: Path, ident: Identity) -> DocTerms | None:
    try:
        data = pickle.loads(doc_file(folder, ident).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    return data if isinstance(data, DocTerms) else None


def load_state(folder: Path, version: str) -> ExportState | None:
    try:
        state = pickle.loads((folder / STATE).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(state, ExportState) or state.version != version:
        return None
    return state


def entry_size(term: str, entry: bytes) -> int:
    """A term's share of the raw size the shard count follows: 3 bytes an integer of
    its postings (two a syllable's posting, one a pair's), the estimate of the JSON
    lists of format static-search-3, so the shard count did not move with the format."""
    return value_size(term, [int(entry[1 : entry.index(b",")])])


@dataclass
class Change:
    """How the index moved since the last export."""

    order: list[Identity]
    replaced: list[int]  # static ids whose document changed or was appended
    added: Counter  # identities the index holds now and did not
    removed: Counter  # ... held then and not now
    data: dict[Identity, DocTerms]  # the terms of every identity involved


def find_change(
    snapshot: IndexSnapshot, documents: list, state: ExportState, folder: Path
) -> Change | None:
    """The documents that changed, with their terms; None when the ids moved or the
    terms of a document gone from the index are not known (the full export then)."""
    order = [identity(document.stored) for document in documents]
    old = state.order
    if len(order) < len(old) or any(order[i][0] != old[i][0] for i in range(len(old))):
        return None
    replaced = [i for i in range(len(old)) if order[i] != old[i]]
    replaced += range(len(old), len(order))
    present = Counter(order)
    added, removed = present - state.present, state.present - present
    before = {old[i] for i in replaced if i < len(old)} | set(removed)
    now = {order[i] for i in replaced} | set(added)
    data: dict[Identity, DocTerms] = {}
    for ident in before | now:
        found = load_doc(folder, ident)
        if found is not None:
            data[ident] = found
    if any(ident not in data for ident in before - now):
        return None
    unknown = now - set(data)
    if unknown:
        data.update(read_documents(snapshot, documents, unknown))
    if any(ident in unknown and data[ident].pairs is None for ident in before):
        return None
    return Change(order, replaced, added, removed, data)


def read_documents(snapshot: IndexSnapshot, documents: list, wanted: set) -> dict:
    """The terms (and, for live documents, the pairs) of the identities `wanted`,
    read from the index: only the segments holding them are read."""
    live = {identity(d.stored): d for d in documents}
    deleted = dict((ident, docnum) for docnum, ident in snapshot.deleted)
    docnums = {ident: live[ident].docnum if ident in live else deleted[ident] for ident in wanted}
    terms = snapshot.document_terms(list(docnums.values()))
    found = {}
    for ident, docnum in docnums.items():
        pairs = None
        if ident in live:
            pairs = analysis.adjacent_pairs_in_order(snapshot.adjacency(live[ident]))
        found[ident] = DocTerms(terms[docnum], pairs)
    return found


def stop_spellings(df: dict[str, int], live_terms: set[str], total_docs: int) -> list[str]:
    """The terms in more than ranking.STOP_DF_RATIO of the live documents, among those
    a live document holds."""
    limit = ranking.STOP_DF_RATIO * total_docs
    return sorted(term for term in live_terms if df[term] > limit)


def read_shard(path: Path) -> dict[str, dict[str, list]]:
    return json.loads(gzip.decompress(path.read_bytes()))


def decode_postings(entry: list) -> list[tuple[int, int]]:
    """A syllable's entry [df, doc steps, weights] -> [(doc, q)] (export.encode_postings undone)."""
    from static_search.export import numbers_of

    return list(zip(decode_ids(entry[1]), numbers_of(entry[2]), strict=True))


def decode_ids(encoded: str) -> list[int]:
    """Doc steps as number characters -> [doc] (export.encode_ids undone)."""
    from static_search.export import numbers_of

    ids, doc = [], -1
    for delta in numbers_of(encoded):
        doc += delta
        ids.append(doc)
    return ids


@dataclass
class Patch:
    """The new entries of the terms a change touches, and the totals they move."""

    entries: dict[str, list | None]  # term -> its entry [df, encoded] (None: in no shard)
    df: dict[str, int]
    live_terms: set[str]
    raw_size: int
    term_count: int


def value_size(term: str, value: list) -> int:
    """entry_size of an entry [df, …]: 3 bytes an integer of its postings."""
    integers = value[0] if analysis.BIGRAM_JOINER in term else 2 * value[0]
    return len(term.encode("utf-8")) + 10 + 3 * integers


def new_postings(
    state: ExportState, change: Change
) -> tuple[dict[str, list], dict[str, list[int]], set[str]]:
    """The replaced documents' postings (static id, q) by syllable term, their ids by
    pair, and the terms whose entry may change: a term or pair the old or the new
    document holds but not both, and a term whose q moved. A term both hold with the
    same q keeps its entry: its df counts live documents only."""
    postings: dict[str, list[tuple[int, int]]] = {}
    pairs: dict[str, list[int]] = {}
    touched: set[str] = set()
    for doc_id in change.replaced:
        new = change.data[change.order[doc_id]]
        old = change.data[state.order[doc_id]] if doc_id < len(state.order) else None
        for term, q in new.terms:
            postings.setdefault(term, []).append((doc_id, q))
        for pair in new.pairs or ():
            pairs.setdefault(pair, []).append(doc_id)
        touched.update(term for term, _ in set(new.terms) ^ set(old.terms if old else ()))
        touched.update(set(new.pairs or ()) ^ set(old.pairs or () if old else ()))
    return postings, pairs, touched


def patch(state: ExportState, change: Change, old: dict[str, dict[str, list]]) -> Patch:
    """New entries for every touched term, from its old entry (`old`: key -> term ->
    [df, encoded] of the shards holding touched terms) without the replaced ids, plus
    the replaced documents' new postings."""
    from static_search import export as codec

    postings, pair_ids, touched = new_postings(state, change)
    gone = {doc_id for doc_id in change.replaced if doc_id < len(state.order)}
    result = Patch({}, dict(state.df), set(state.live_terms), state.raw_size, state.term_count)
    for term in touched:
        previous = old.get(codec.key_of(term), {}).get(term)
        entry: list | None = None
        if codec.is_pair(term):
            ids = [i for i in decode_ids(previous[1]) if i not in gone] if previous else []
            ids += pair_ids.get(term, [])
            if ids:
                entry = [len(ids), codec.encode_ids(ids)]
        else:
            items = decode_postings(previous) if previous else []
            items = [item for item in items if item[0] not in gone] + postings.get(term, [])
            if items:
                entry = [len(items), *codec.encode_postings(items)]
                result.df[term] = len(items)
            else:
                result.df.pop(term, None)
            (result.live_terms.add if entry else result.live_terms.discard)(term)
        if previous is not None:
            result.raw_size -= value_size(term, previous)
            result.term_count -= 1
        if entry is not None:
            result.raw_size += value_size(term, entry)
            result.term_count += 1
        result.entries[term] = entry
    return result
