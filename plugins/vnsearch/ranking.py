"""Ranking constants, shared with the browser mirror (documented in README.md)."""

# Whoosh BM25F parameters (per-field BM25, same B for every field).
BM25_B = 0.75
BM25_K1 = 1.2

# Source text fields and their weights; each is indexed as F (syllables, diacritics
# kept) and F_bi (folded bigrams). "F_f" names the folded view of F: the sum of
# every term of F that folds to the query's syllable (not an indexed field).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 3.0,
    "models": 3.0,
    "tags": 1.5,
    "locality": 1.5,
    "summary": 1.5,
    "body": 1.0,
}
TEXT_FIELDS: tuple[str, ...] = tuple(FIELD_WEIGHTS)

EXACT_SUFFIX = ""  # diacritic-keeping field: "title"
FOLDED_SUFFIX = "_f"  # folded view of the exact field: "title_f" (read, not indexed)
BIGRAM_SUFFIX = "_bi"  # folded syllable bigrams: "title_bi"

EXACT_WEIGHT = 1.0  # E: extra weight of an exact-diacritic match (accented queries only)
BIGRAM_WEIGHT = 2.0  # P: weight of adjacent query syllables found adjacent in the text
COORD_EXPONENT = 0.5  # C: coord = (idf-weighted share of units matched) ** C
# Q: a document's score is multiplied by 1 + Q * (share of the query's adjacent
# pairs found adjacent in it): the query as a phrase beats the same words apart.
PHRASE_WEIGHT = 1.0
# Minimum should match: a query of up to MSM_ALL_UNITS units needs them all
# (when some document has them all); a longer one of n units needs the best
# document's idf-weighted share of the query times
# (MSM_NO_UNITS - n) / (MSM_NO_UNITS - MSM_ALL_UNITS); from MSM_NO_UNITS units
# on (questions) nothing is dropped.
MSM_ALL_UNITS = 3
MSM_NO_UNITS = 6

# A unit whose folded syllable has a spelling in the body of more than this share
# of all documents ("của", "và", "các") is dropped from scoring and coordination,
# unless every unit of the query is like that. Such syllables add an almost
# constant amount to nearly every document and cost most of the query time.
STOP_DF_RATIO = 0.6

MAX_QUERY_SYLLABLES = 32
MAX_QUERY_CHARS = 20000  # a query is read up to this many characters
MAX_ACRONYM_RUN = 8  # longest run of query syllables looked up as an acronym's expansion
