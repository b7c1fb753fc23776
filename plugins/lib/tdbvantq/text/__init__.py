"""Vietnamese text handling for the whole project: the one place that knows Vietnamese.

The importer, the search index, the search command, the model matcher and the
content checker all go through this package; the browser goes through its
JavaScript mirror, theme/static/js/vntext.js, which passes the same test
vectors (tests/vectors/vntext.json).

This package is a library, not a Pelican plugin (it has no ``register()``).
"""

from tdbvantq.text.glossary import Glossary, GlossaryError, load_glossary, parse_glossary
from tdbvantq.text.slugs import SLUG_MAX_BYTES, fallback_slug, safe_slug, shorten_slug, usable_slug
from tdbvantq.text.synonyms import (
    SynonymError,
    SynonymRule,
    Synonyms,
    load_synonyms,
    parse_synonyms,
)
from tdbvantq.text.text import (
    BREAK,
    INVISIBLES,
    Token,
    fold,
    fold_cached,
    fold_chars,
    fold_stream,
    folded_words,
    iter_tokens,
    lower,
    normalize,
    slugify,
    spans_with_breaks,
    spellings,
    tokenize,
    word_stream,
    words,
)

__all__ = [
    "BREAK",
    "SLUG_MAX_BYTES",
    "fallback_slug",
    "safe_slug",
    "shorten_slug",
    "usable_slug",
    "INVISIBLES",
    "fold_cached",
    "fold_chars",
    "fold_stream",
    "spans_with_breaks",
    "word_stream",
    "Glossary",
    "GlossaryError",
    "Token",
    "fold",
    "folded_words",
    "iter_tokens",
    "load_glossary",
    "lower",
    "normalize",
    "parse_glossary",
    "SynonymError",
    "SynonymRule",
    "Synonyms",
    "load_synonyms",
    "parse_synonyms",
    "slugify",
    "spellings",
    "tokenize",
    "words",
]
