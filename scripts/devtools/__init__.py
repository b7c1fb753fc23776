"""Support code shared by the tests and the benchmarks (never used by the site).

- `browser`: Debian's Chromium settings and a local static HTTP server;
- `search_corpus`: the ranking tests' corpus, read as Pelican presents it;
- `xquad`: XQuAD-vi paragraphs as search documents, with their questions.
"""
