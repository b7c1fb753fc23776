"""Vietnamese full-text search for the site: the project's only user of Whoosh.

See README.md for the index layout, the schema and the exact ranking formula.

The names below are imported on first use (PEP 562): the build's own process needs
only `PendingGenerations` and `IndexMissing` in a rebuild (the index and its export are
written by search_index's background process), and importing the engine (Whoosh,
numpy) would cost it ~0.1 s of CPU.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tdbvantq.search.generations import (
        FORMAT,
        IndexMissing,
        PendingGenerations,
        current_generation,
    )
    from tdbvantq.search.schema import SearchDocument
    from tdbvantq.search.searcher import (
        QueryPlan,
        Result,
        SearchEngine,
        SearchResponse,
        plan_query,
        search,
    )
    from tdbvantq.search.store import BuildReport, build_index

# Each public name and the module that defines it.
_HOMES = {
    "FORMAT": "generations",
    "IndexMissing": "generations",
    "PendingGenerations": "generations",
    "current_generation": "generations",
    "SearchDocument": "schema",
    "QueryPlan": "searcher",
    "Result": "searcher",
    "SearchEngine": "searcher",
    "SearchResponse": "searcher",
    "plan_query": "searcher",
    "search": "searcher",
    "BuildReport": "store",
    "build_index": "store",
}

__all__ = [
    "FORMAT",
    "BuildReport",
    "IndexMissing",
    "PendingGenerations",
    "QueryPlan",
    "Result",
    "SearchDocument",
    "SearchEngine",
    "SearchResponse",
    "build_index",
    "current_generation",
    "plan_query",
    "search",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # the next lookup is a plain one
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
