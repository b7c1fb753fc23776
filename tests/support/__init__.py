"""Test support: helpers the tests import (`from support import ROOT, run_pelican`).

tests/conftest.py holds only pytest's fixtures and hooks; everything a test module
imports lives here. pyproject.toml puts tests/ on pytest's `pythonpath`, so
`support` imports the same way under any import mode.

- `support.site`: the project's paths (ROOT, SHARED, ARTIFACTS) and `run_pelican`,
  the site build as `make html` runs it; re-exported here.
- `support.search`: Whoosh's own postings, what the search index tests compare against.
- `support.import_server`: a real HTTP server on 127.0.0.1 for the importer's tests.
- `support.hostile`: the hostile corpus of issue 20 and its browser harness.
"""

from support.search import whoosh_matcher_postings
from support.site import (
    ARTIFACTS,
    ROOT,
    SHARED,
    BuiltSite,
    assert_same_pages,
    build_with_caches,
    run_pelican,
    site_pages,
    tree_bytes,
)

__all__ = [
    "ARTIFACTS",
    "ROOT",
    "SHARED",
    "BuiltSite",
    "assert_same_pages",
    "build_with_caches",
    "run_pelican",
    "site_pages",
    "tree_bytes",
    "whoosh_matcher_postings",
]
