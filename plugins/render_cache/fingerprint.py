"""Fingerprints of the values a template is given: the same digest at every build for
the same values, and a different one as soon as anything a page could show differs.

Pages and articles (Pelican `Content`) are walked field by field, except the context and
settings they hold (the settings are part of every key; the context is what the page's
other names are). A story the page names (its
own story, the members of its lists, the stories of a place or model the page is about)
is walked with its fields, and so is a story that one points to directly (its
neighbours, related stories); a story met further away, or through another object a
story holds (the other stories of its places and models), is named by its source path
only. A template that follows two links between
stories (`article.next_article.prev_article.title`) is beyond what the key sees.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import struct
import types
from pathlib import PurePath
from typing import Any

from pelican.contents import Content
from pelican.paginator import Paginator
from pelican.urlwrappers import URLWrapper

# Stories this many links away from the page's names are named, not walked.
STORY_DEPTH = 2

# Attributes that hold the whole build (context, settings) rather than what an object is.
SKIPPED_ATTRIBUTES = frozenset({"_context", "settings", "_settings"})

_FUNCTIONS = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodWrapperType,
    types.WrapperDescriptorType,
    type,
    types.ModuleType,
)


# Values that hold no other value (tested by exact class, before any isinstance).
_PLAIN = frozenset({str, int, float, bool, type(None), bytes})


class Uncacheable(Exception):
    """A value whose fingerprint cannot be trusted: the page is rendered, never carried over."""


@functools.cache
def _lengths(count: int) -> Any:
    """The packer of a count and that many lengths (made once per count)."""
    return struct.Struct(f"<Q{count}Q").pack


def _digest(*parts: bytes) -> bytes:
    # One update of the count, the lengths and the joined parts: unambiguous, and three
    # calls into C whatever the count (a build digests tens of thousands of values).
    lengths = _lengths(len(parts))(len(parts), *map(len, parts))
    return b"H" + hashlib.sha256(lengths + b"".join(parts)).digest()


def _leaf(kind: bytes, data: bytes) -> bytes:
    """A plain value: short ones as they are (most of a page's values: hashing each
    would cost more than the rest), long ones hashed; the first byte tells which."""
    if len(data) <= 64:
        return b"L" + kind + b"\0" + data
    return _digest(kind, data)


def _name_of(value: Any) -> bytes:
    module = getattr(value, "__module__", "") or ""
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", "")
    return f"{module}.{name}".encode()


@functools.cache
def _type_name(kind: type) -> bytes:
    """`_name_of` a class, once per class (tens of thousands of lists and dicts a build)."""
    return _name_of(kind)


@functools.cache
def _slots(kind: type) -> tuple[str, ...]:
    """The __slots__ of a class and its bases, in method resolution order."""
    return tuple(
        slot
        for cls in kind.__mro__
        for slot in getattr(cls, "__slots__", ())
        if slot not in ("__dict__", "__weakref__")
    )


_CONTAINERS = (list, tuple, set, frozenset, dict)


def _items(value: Any) -> Any:
    """What a container holds, in order: a dict's keys and values in turn (not its
    item pairs, made and freed one by one: their ids are reused), a set sorted."""
    if isinstance(value, dict):
        return (part for pair in value.items() for part in pair)
    if isinstance(value, set | frozenset):
        return sorted(value, key=lambda item: repr(Fingerprints._label(item)))
    return value


def _stories_in(story: Content) -> list[Content]:
    """The stories a story's fields hold directly or in lists, tuples, sets and dicts
    (its neighbours, its related stories), not those inside other objects; in the
    order a depth-first walk of the fields (by name) meets them. Iterative: one loop,
    not one call a container (a story holds ~40: a tenth of a rebuild's page keys)."""
    found: list[Content] = []
    seen: set[int] = set()  # containers met: every one is held by the story, alive
    fields = sorted(vars(story).items())
    stack = [iter([value for name, value in fields if name not in SKIPPED_ATTRIBUTES])]
    while stack:
        for item in stack[-1]:
            if item.__class__ in _PLAIN:  # most values: nothing inside
                continue
            if isinstance(item, Content):
                found.append(item)
            elif isinstance(item, _CONTAINERS) and id(item) not in seen:
                seen.add(id(item))
                stack.append(iter(_items(item)))
                break
        else:
            stack.pop()
    return found


_COUNT = struct.Struct("<Q").pack


def _text_tuples(kind: bytes, items: Any) -> bytes:
    """A list of tuples of texts (a story's OpenGraph properties, ~15 pairs a story) in
    one digest, not one a tuple: each tuple's length, then its texts. `_digest` keeps
    every part's length, so the parts read back one way only; the first part tells this
    encoding from every other (a type's name, a kind)."""
    parts = [b"text tuples", kind]
    append = parts.append
    for item in items:
        append(_COUNT(len(item)))
        for text in item:
            append(text.encode("utf-8", "surrogatepass"))
    return _digest(*parts)


def _scalar(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(type(value).__name__.encode(), repr(value).encode())


def _text(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(b"str", value.encode("utf-8", "surrogatepass"))


def _bytes(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(b"bytes", bytes(value))


def _moment(fingerprints: Fingerprints, value: Any) -> bytes:
    # Remembered by object: a date cannot change, and a story's is met several times
    # (its own field, its metadata's, its neighbours'); its ISO text and its zone's
    # (dateutil's repr) were a tenth of the story digests' time. Kept alive with its
    # digest, so an id here is always the same object.
    remembered = fingerprints._moments.get(id(value))
    if remembered is not None:
        return remembered[1]
    tz = getattr(value, "tzinfo", None)
    digest = _leaf(_type_name(type(value)), f"{value.isoformat()} {tz}".encode())
    fingerprints._moments[id(value)] = (value, digest)
    return digest


def _zone(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(_type_name(type(value)), f"{value} {value!r}".encode())


def _by_repr(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(_type_name(type(value)), repr(value).encode())


def _function(fingerprints: Fingerprints, value: Any) -> bytes:
    return _leaf(b"function", _name_of(value))


_WALKED = object()  # a value walked by its contents (and remembered)


def _kind_of(value: Any) -> Any:
    """How a value is fingerprinted: a function for a plain value, _WALKED otherwise.
    Decided by the value's class alone, in this order (a bool is not an int here, a
    str subclass is text)."""
    kind = type(value)
    if value is None or kind in (bool, int, float, complex):
        return _scalar
    if isinstance(value, str):
        return _text
    if isinstance(value, bytes | bytearray):
        return _bytes
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _moment
    if isinstance(value, dt.tzinfo):
        return _zone
    if isinstance(value, dt.timedelta | PurePath | enum.Enum):
        return _by_repr
    if isinstance(value, _FUNCTIONS):
        return _function
    if isinstance(value, Paginator):
        return Fingerprints._paginator
    if isinstance(value, URLWrapper):
        return Fingerprints._url_wrapper
    return _WALKED


# How each class is fingerprinted, decided once a build's process (tens of thousands of
# values a build, of a few dozen classes: the chain of isinstance tests was a third of
# the cost of a page's key).
_KINDS: dict[type, Any] = {}


def _how(value: Any) -> Any:
    kind = type(value)
    how = _KINDS.get(kind)
    if how is None:
        how = _kind_of(value)
        if value.__class__ is kind:  # not a proxy posing as another class
            _KINDS[kind] = how
    return how


_TUPLE_NAME = _type_name(tuple)


class Fingerprints:
    """Digests of values for one build (memoized by object: Pelican does not change
    its contents while it writes pages)."""

    def __init__(self) -> None:
        self._memo: dict[tuple[int, int], tuple[Any, bytes]] = {}
        self._walking: set[tuple[int, int]] = set()
        self._orders: dict[int, tuple[list, bytes]] = {}
        self._moments: dict[int, tuple[Any, bytes]] = {}

    def copy(self) -> Fingerprints:
        """Another memo holding what this one holds now, to go on apart from it."""
        other = Fingerprints()
        other._memo, other._orders = dict(self._memo), dict(self._orders)
        other._moments = dict(self._moments)
        return other

    def of(self, value: Any, depth: int = 0) -> bytes:
        """The digest of `value`; `depth`: how many stories away from the page's names
        (a story at STORY_DEPTH is named, not walked)."""
        kind = type(value)
        if kind is str:  # most values: tested first, `_leaf(b"str", …)` inlined
            data = value.encode("utf-8", "surrogatepass")
            return b"Lstr\0" + data if len(data) <= 64 else _digest(b"str", data)
        how = _KINDS.get(kind) or _how(value)
        if how is not _WALKED:  # a plain value: never remembered, so not looked up
            return how(self, value)
        if kind is tuple and all(item.__class__ is str for item in value):
            # A pair of texts (a story's OpenGraph properties: ~15 a story): `_walk`'s
            # digest, without remembering it (nothing in it can be walked again).
            return _digest(_TUPLE_NAME, *map(self._text, value))
        # A value walked before (only walked values are remembered, each kept alive
        # with its digest, so an id here is always the same object).
        key = (id(value), depth)
        remembered = self._memo.get(key)
        if remembered is not None:
            return remembered[1]
        if key in self._walking:  # a cycle: named by its place, the same every build
            return _leaf(b"cycle", _name_of(kind) + b"\0" + self._label(value))
        self._walking.add(key)
        try:
            digest = self._walk(value, depth)
        finally:
            self._walking.discard(key)
        # The value is kept with its digest so that its id is never reused in this build.
        self._memo[key] = (value, digest)
        return digest

    @staticmethod
    def _text(value: str) -> bytes:
        data = value.encode("utf-8", "surrogatepass")
        return b"Lstr\0" + data if len(data) <= 64 else _digest(b"str", data)

    def _paginator(self, value: Paginator) -> bytes:
        # A list page's pager: the page shows its own stories (its `Page`), and of the
        # whole list only its length and order (page numbers, links to pages).
        return _digest(
            b"paginator",
            self.of([value.name, value.url, value.per_page, value.orphans]),
            self._order(value.object_list),
        )

    def _url_wrapper(self, value: URLWrapper) -> bytes:
        # By its name and slug (the rest follows from the settings): Pelican makes the
        # slug when it is first asked for, so its fields change while pages render.
        return _digest(_type_name(type(value)), self.of(value.name), self.of(value.slug))

    def _order(self, items: list) -> bytes:
        """A list by which stories it holds, in order (a story named, not walked)."""
        remembered = self._orders.get(id(items))
        if remembered is None:
            remembered = (items, _digest(*(self.of(item, STORY_DEPTH) for item in items)))
            self._orders[id(items)] = remembered
        return remembered[1]

    @staticmethod
    def _label(value: Any) -> bytes:
        if isinstance(value, Content):
            return str(getattr(value, "source_path", None) or getattr(value, "url", "")).encode()
        return b""

    def _walk(self, value: Any, depth: int) -> bytes:
        if isinstance(value, Content):
            if depth >= STORY_DEPTH:
                return _leaf(b"story", self._label(value))
            if depth:  # a story by its own fields, the stories in them named
                return self._fields(value, STORY_DEPTH)
            # A story the page names: its own fields, and those of the stories it points
            # to (each story's fields are walked once in a build, however many pages).
            return _digest(
                b"page story",
                self.of(value, 1),
                *(self.of(story, 1) for story in _stories_in(value)),
            )
        if isinstance(value, list | tuple):
            if value and all(
                item.__class__ is tuple and all(part.__class__ is str for part in item)
                for item in value
            ):
                return _text_tuples(_type_name(type(value)), value)
            return _digest(_type_name(type(value)), *(self.of(item, depth) for item in value))
        if isinstance(value, dict):
            return _digest(
                _type_name(type(value)),
                *(
                    part
                    for name, item in value.items()
                    for part in (self.of(name, depth), self.of(item, depth))
                ),
            )
        if isinstance(value, set | frozenset):
            return _digest(b"set", *sorted(self.of(item, depth) for item in value))
        if isinstance(value, functools.partial):
            return _digest(
                b"partial",
                self.of(value.func),
                self.of(value.args, depth),
                self.of(value.keywords, depth),
            )
        if isinstance(value, types.MethodType):
            return _digest(b"method", _name_of(value.__func__), self.of(value.__self__, depth + 1))
        # Another object (a place, a model): one the page names is walked whole; one a
        # story holds is walked with the stories in it named (a story's places link to
        # the place pages, they do not show the place's other stories).
        return self._fields(value, STORY_DEPTH if depth else 0)

    def _fields(self, value: Any, depth: int) -> bytes:
        """An object by its attributes (its __dict__ and __slots__)."""
        fields = dict(getattr(value, "__dict__", {}))
        for slot in _slots(type(value)):
            if hasattr(value, slot):
                fields.setdefault(slot, getattr(value, slot))
        if not fields and not hasattr(value, "__dict__"):
            # No attributes to read (a C object, a compiled pattern…): nothing to trust.
            raise Uncacheable(f"{type(value).__module__}.{type(value).__qualname__}")
        parts = [_type_name(type(value))]
        append, of = parts.append, self.of
        for name in sorted(fields):
            if name not in SKIPPED_ATTRIBUTES:
                append(name.encode())
                append(of(fields[name], depth))
        return _digest(*parts)
