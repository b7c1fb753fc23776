"""The one import of Whoosh in the project, checked against the version it was written for.

Whoosh 2.7.4 predates Python 3.8's SyntaxWarning about invalid escape
sequences in its regex literals; silence exactly those, here only.

vnsearch/postings.py reads postings blocks through a few private attributes of
Whoosh 2.7.4's reader and matcher (listed in PRIVATE_ATTRIBUTES): another
Whoosh version stops the import with a clear message instead of misreading
an index.
"""

import warnings

warnings.filterwarnings("ignore", category=SyntaxWarning, module=r".*whoosh")
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r".*whoosh")

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)
    import whoosh
    from whoosh import analysis, columns, fields, formats, index, scoring
    from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
    from whoosh.filedb.filestore import FileStorage
    from whoosh.query import Or, Term
    from whoosh.reading import SegmentReader
    from whoosh.writing import PostingPool, SegmentWriter

WHOOSH_VERSION = (2, 7, 4)

# The private names vnsearch/postings.py and bulkwrite.py rely on, by class
# (bulkwrite.add_document is SegmentWriter.add_document for this index's fields).
PRIVATE_ATTRIBUTES = {
    SegmentReader: ("_perdoc", "_terms", "_text_to_bytes"),
    W3LeafMatcher: ("_read_data", "_next_block", "_data", "_byteids", "_blocklength"),
    W3FieldWriter: ("_postwriter",),
    W3PostingsWriter: ("_blocklimit", "_write_block", "_ids", "_weights", "_values", "_maxweight"),
    PostingPool: ("current", "limit", "save"),
    SegmentWriter: ("perdocwriter", "docnum", "pool", "_check_state", "_check_fields", "_added"),
}


class WhooshVersionError(ImportError):
    pass


def check_whoosh(version: tuple = whoosh.__version__) -> None:
    """Raise WhooshVersionError unless `version` is the Whoosh vnsearch was written against."""
    if tuple(version[:3]) != WHOOSH_VERSION:
        wanted = ".".join(map(str, WHOOSH_VERSION))
        found = ".".join(map(str, version))
        raise WhooshVersionError(
            f"vnsearch needs whoosh=={wanted} (it reads Whoosh's postings blocks directly), "
            f"found {found}: install the version pinned in requirements.txt"
        )
    for cls, names in PRIVATE_ATTRIBUTES.items():
        missing = [name for name in names if not hasattr(cls, name) and name not in _slots(cls)]
        if missing:
            raise WhooshVersionError(f"whoosh {cls.__name__} lacks {', '.join(missing)}")


def _slots(cls: type) -> set[str]:
    """Attribute names the class's own methods use (instance attributes are not on the class)."""
    names: set[str] = set()
    for klass in cls.__mro__:
        for value in vars(klass).values():
            code = getattr(value, "__code__", None)
            if code is not None:
                names.update(code.co_names)
    return names


check_whoosh()

__all__ = [
    "WHOOSH_VERSION",
    "FileStorage",
    "Or",
    "PostingPool",
    "Term",
    "W3Codec",
    "W3FieldWriter",
    "W3PostingsWriter",
    "WhooshVersionError",
    "analysis",
    "columns",
    "check_whoosh",
    "fields",
    "formats",
    "index",
    "scoring",
]
