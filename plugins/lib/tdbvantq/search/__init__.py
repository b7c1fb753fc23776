"""Vietnamese full-text search for the site: the project's only user of Whoosh.

See README.md for the index layout, the schema and the exact ranking formula.
"""

from tdbvantq.search.schema import FORMAT, SearchDocument
from tdbvantq.search.searcher import (
    QueryPlan,
    Result,
    SearchEngine,
    SearchResponse,
    plan_query,
    search,
)
from tdbvantq.search.store import (
    BuildReport,
    IndexMissing,
    PendingGenerations,
    build_index,
    current_generation,
)

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
