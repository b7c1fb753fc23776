"""The one import of Whoosh in the project.

Whoosh 2.7.4 predates Python 3.8's SyntaxWarning about invalid escape
sequences in its regex literals; silence exactly those, here only.
"""

import warnings

warnings.filterwarnings("ignore", category=SyntaxWarning, module=r".*whoosh")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r".*whoosh")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import whoosh  # noqa: F401
    from whoosh import analysis, fields, index, scoring
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.filedb.filestore import FileStorage
    from whoosh.query import Or, Term
    from whoosh.util.numeric import byte_to_length

__all__ = [
    "LENGTHS_COLUMN",
    "FileStorage",
    "Or",
    "Term",
    "_lenfield",
    "analysis",
    "byte_to_length",
    "fields",
    "index",
    "scoring",
]
