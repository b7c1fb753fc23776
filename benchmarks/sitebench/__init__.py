"""Support code shared by the tests and the benchmarks (never used by the site).

- `browser`: Debian's Chromium settings and local static servers (plain, or gzip as hosts serve);
- `search_corpus`: the ranking tests' corpus, read as Pelican presents it;
- `xquad`: XQuAD-vi paragraphs as search documents, or as site articles, with their questions;
- `newscorpus`: the real news corpus (../shared/benchmarks/news-corpus) as site articles;
- `sitebuild`: a copy of content/ built by scripts/build.py, searched through scripts/search.py,
  its pages read back for judging;
- `pagefind`: Pagefind over a built site, queried through its browser API in Chromium;
- `firstquery`: bytes and time until a search page shows its first results, in Chromium;
- `rankeval`: hit@1, MRR@10, recall@10, noise@10 and known-item query generation.
"""

import os
from pathlib import Path

# The shared benchmark data: ../shared beside the clone, or SHARED_DIR where it lies elsewhere
# (a git worktree), as the tests read it (tests/support/site.py).
SHARED = (
    Path(os.environ.get("SHARED_DIR") or Path(__file__).resolve().parents[3] / "shared")
    / "benchmarks"
)
