"""Ranking constants, shared with the browser mirror (documented in README.md)."""

# BM25: B is applied at index time, per field (see REFERENCE_LENGTHS); K1 at query time.
BM25_B = 0.75
BM25_K1 = 1.2

# Source text fields and their weights in a term's pseudo-frequency (BM25F):
# w(t) = sum over fields of W_f * tf_f(t) / ((1 - B) + B * len_f / REFERENCE_LENGTHS[f]).
FIELD_WEIGHTS: dict[str, float] = {
    "title": 6.0,
    "models": 3.0,
    "tags": 1.5,
    "locality": 1.5,
    "summary": 1.5,
    "body": 1.0,
}
TEXT_FIELDS: tuple[str, ...] = tuple(FIELD_WEIGHTS)

# Fixed reference lengths (syllables) instead of corpus averages: a posting's
# weight then never changes when other documents are added, so an incremental
# build rewrites only what an edit touched. Close to the news corpus's averages.
REFERENCE_LENGTHS: dict[str, float] = {
    "title": 12.0,
    "models": 8.0,
    "tags": 6.0,
    "locality": 6.0,
    "summary": 40.0,
    "body": 500.0,
}

# A posting stores q = max(1, round(w * WEIGHT_SCALE)), an integer (exact in
# Whoosh's float32 weights and short in the browser's JSON).
WEIGHT_SCALE = 8

EXACT_WEIGHT = 2.0  # E: weight of the exact-diacritics clause (accented queries only)
# S: weight of an editors' synonym clause (content/data/synonyms.txt). Below 1
# (the folded clause) and E, so a story holding the words typed ranks above one
# holding only their synonym, other things equal; the phrase factor adds to that.
SYNONYM_WEIGHT = 0.5
COORD_EXPONENT = 0.25  # C: coord = (idf-weighted share of units matched) ** C
# Q: a document's score is multiplied by 1 + Q * (share of the query's adjacent
# pairs found adjacent in it): the query as a phrase beats the same words apart.
PHRASE_WEIGHT = 3.0
# Minimum should match: a query of up to MSM_ALL_UNITS units needs them all
# (when some document has them all); a longer one of n units needs the best
# document's idf-weighted share of the query times
# (MSM_NO_UNITS - n) / (MSM_NO_UNITS - MSM_ALL_UNITS); from MSM_NO_UNITS units
# on (questions) nothing is dropped.
MSM_ALL_UNITS = 3
MSM_NO_UNITS = 6
# Phrase-only results: a query of 2 to PHRASE_ONLY_UNITS scored units some of
# whose kept documents hold every one of its pairs adjacent (the query as a
# phrase: "phong hien" for "xã Phong Hiền") drops the documents that hold none
# of its pairs adjacent and match no synonym rule: they only scatter the words
# ("phòng" ... "hiện"). Longer queries (questions) keep them.
PHRASE_ONLY_UNITS = 5
# ... and only when at most this many documents are kept before it: the terminal
# has no pair postings and reads each kept document's adjacency text, so a common
# two-word query at 100,000 stories would read tens of thousands. Both engines
# apply the same bound (it counts the same kept documents).
PHRASE_ONLY_MAX_DOCS = 3000

# A unit whose folded syllable has a spelling in more than this share of all
# documents ("của", "và", "các") is dropped from scoring and coordination,
# unless every unit of the query is like that. Such syllables add an almost
# constant amount to nearly every document and cost most of the query time.
STOP_DF_RATIO = 0.6

# Question words: a reader who types a question ("Ai hát quốc ca?", "Tesla chết
# năm nào?") adds interrogatives that never say what the answer says. Their
# syllables are not query units (no score, no coordination, no minimum-should-
# match count); the query's pairs stay as typed, as for stop-like units. A
# query made only of them keeps them. Accented queries: QUESTION_WORDS and
# QUESTION_FRAMES by their spelling. Queries without diacritics: the frames by
# their folded syllables, and alone only FOLDED_QUESTION_WORDS, the folded
# forms that are the interrogative nearly always (in 2,000 news stories "gì"
# is 98% of "gi" and "nào" 89% of "nao"; "dau" is mostly "đầu", "may" "máy").
# A syllable typed in capitals ("AI") is an acronym, never a question word.
QUESTION_WORDS: tuple[str, ...] = ("gì", "nào", "ai", "đâu", "mấy")
QUESTION_FRAMES: tuple[str, ...] = (
    "bao nhiêu", "bao lâu", "bao giờ", "bao xa",
    "tại sao", "vì sao", "ra sao", "làm sao",
    "thế nào", "như thế nào", "làm thế nào", "khi nào", "lúc nào",
    "là gì", "cái gì", "điều gì", "những gì", "việc gì", "là ai", "ở đâu",
    "có phải", "phải không", "hay không",
)  # fmt: skip
FOLDED_QUESTION_WORDS: tuple[str, ...] = ("gi", "nao")

MAX_QUERY_SYLLABLES = 32
MAX_QUERY_CHARS = 20000  # a query is read up to this many characters
MAX_ACRONYM_RUN = 8  # longest run of syllables looked up as an acronym's expansion
