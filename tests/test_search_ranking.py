"""Ranking rules on a small real-text corpus; each rule is checked, and where a
rule is a single knob the test also shows the order flips without it."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from search_index.plugin import collect_documents
from sitebench.search_corpus import ACRONYMS, FIXTURES, articles, models
from tdbvantq import text as vntext
from tdbvantq.search import SearchDocument, SearchEngine, build_index, plan_query
from tdbvantq.search import analysis as analysis_module
from tdbvantq.search import planning as planning_module
from tdbvantq.search import scoring as scoring_module
from tdbvantq.search.analysis import syllables
from tdbvantq.search.ranking import EXACT_WEIGHT, FIELD_WEIGHTS, STOP_DF_RATIO
from tdbvantq.search.searcher import Clause


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("ranking") / "index"
    build_index(index_dir, collect_documents(articles(), models()), ACRONYMS)
    with SearchEngine(index_dir) as engine:
        yield engine


def urls(engine: SearchEngine, query: str, limit: int = 10) -> list[str]:
    return [r.url for r in engine.search(query, limit=limit).results]


def ranked_ids(engine: SearchEngine, plan) -> list[str]:
    scores = engine.score_all(plan)
    order = sorted(scores, key=lambda d: (-scores[d], d))
    return [engine.searcher.stored_fields(d)["url"] for d in order]


SEED_URL = "2023/bam-co-so-xay-dung-phong-trao/"


def test_seed_article_first_for_folded_model_name(engine):
    response = engine.search("dong ho tu quan")
    articles_only = [r for r in response.results if r.kind == "article"]
    assert articles_only[0].url == SEED_URL
    # Typed without diacritics, the query's pairs are marked in the accented text.
    snippet = articles_only[0].snippet.lower()
    assert "<mark>dòng họ</mark>" in snippet and "<mark>tự quản</mark>" in snippet


def test_exact_diacritics_rank_above_folded_matches(engine):
    found = urls(engine, "đường")
    road, person = "2024/sua-duong-lien-thon/", "2024/truong-thon-duong-van-hoa/"
    assert road in found and person in found
    assert found.index(road) < found.index(person)
    # Without the exact-match clauses (folded only), "Dương" (title + twice) wins.
    folded_only = plan_query("duong", engine.glossary)
    order = ranked_ids(engine, folded_only)
    assert order.index(person) < order.index(road)


def test_query_without_diacritics_matches_every_accented_form(engine):
    found = urls(engine, "duong", limit=50)
    assert "2024/sua-duong-lien-thon/" in found  # đường
    assert "2024/truong-thon-duong-van-hoa/" in found  # Dương
    assert "2025/dau-bung-keo-dai-lymphoma/" in found  # đường ruột
    hoa_giai = urls(engine, "hoa giai", limit=50)
    assert "2023/to-hoa-giai-co-so/" in hoa_giai  # old style "hoà giải"
    assert "2024/truong-thon-duong-van-hoa/" in hoa_giai  # new style "hòa giải"
    # and both tone-placement styles meet when typed with diacritics
    assert set(urls(engine, "hoà giải", limit=50)) == set(urls(engine, "hòa giải", limit=50))


def test_adjacent_syllables_outrank_scattered_ones(engine):
    together, apart = "2023/phong-hien-dong-ho/", "2024/le-hoi-dau-xuan/"
    found = urls(engine, "dòng họ tự quản", limit=50)
    assert found.index(together) < found.index(apart)
    # Without the pairs (the phrase factor) the order flips: the other story
    # holds the four syllables too, more often, but apart.
    plan = plan_query("dòng họ tự quản", engine.glossary)
    ids = {url: engine.searcher.document_number(id="article:" + url) for url in (together, apart)}
    with_pairs = engine.score_all(plan)
    without_pairs = engine.score_all(replace(plan, pairs=[]))
    assert with_pairs[ids[together]] > with_pairs[ids[apart]]
    assert without_pairs[ids[together]] < without_pairs[ids[apart]]


def test_title_weighs_more_than_body(engine, monkeypatch, tmp_path):
    in_title, in_body = "2024/giam-trom-cap/", "2024/ho-tro-lap-dat/"
    found = urls(engine, "camera", limit=50)
    assert found.index(in_title) < found.index(in_body)
    # The weights are applied at index time: an index with equal weights ranks
    # the story that only says it in the text first.
    monkeypatch.setattr(analysis_module, "FIELD_WEIGHTS", dict.fromkeys(FIELD_WEIGHTS, 1.0))
    flat_index = tmp_path / "flat"
    build_index(flat_index, collect_documents(articles(), models()), ACRONYMS)
    with SearchEngine(flat_index) as flat:
        order = urls(flat, "camera", limit=50)
    assert order.index(in_body) < order.index(in_title)


def test_model_names_weigh_more_than_body(engine):
    # The seed lists "Xích lô, xe thồ tự quản" among its models; no other text says it.
    found = engine.search("xích lô xe thồ", limit=3).results
    assert found[0].url == SEED_URL
    assert "Xích lô, xe thồ tự quản" in found[0].models


@pytest.mark.parametrize(
    "query, slug",
    [
        ("camera an ninh", "camera-an-ninh"),
        ("Camera an ninh", "camera-an-ninh"),
        ("mắt thần an ninh", "camera-an-ninh"),
        ("dong ho tu quan", "dong-ho-tu-quan"),
        ("dòng họ 3 kỷ cương", "dong-ho-tu-quan"),
        ("tổ liên gia", "to-lien-gia-tu-quan"),
        ("to lien gia an toan", "to-lien-gia-tu-quan"),
    ],
)
def test_model_page_ranks_first_for_its_name_and_aliases(engine, query, slug):
    top = engine.search(query, limit=1).results[0]
    assert (top.kind, top.url) == ("model", f"mo-hinh/{slug}/")


def phrase_holders(engine: SearchEngine, phrase: str) -> set[str]:
    """URLs of documents whose stored text holds the phrase (folded, syllable-exact)."""
    wanted = f" {vntext.fold(phrase)} "
    holders = set()
    for stored in engine.searcher.all_stored_fields():
        text = " ".join(str(stored.get(k, "")) for k in ("title_text", "summary_text", "body_text"))
        if wanted in " " + " ".join(vntext.folded_words(text)) + " ":
            holders.add(stored["url"])
    return holders


@pytest.mark.parametrize("query", ["tổ liên gia", "to lien gia"])
def test_one_syllable_coincidence_never_beats_a_phrase(engine, query, monkeypatch):
    coincidence = "2023/tuoi-tre-vi-to-quoc/"  # "Tổ quốc" in title and text, nothing else
    holders = phrase_holders(engine, "tổ liên gia")
    assert {"2024/khu-pho-binh-yen/", SEED_URL} <= holders
    found = urls(engine, query, limit=50)
    assert holders <= set(found)
    assert coincidence not in found  # one syllable of three: minimum should match drops it
    # Without minimum-should-match the "Tổ quốc" text is a result again (ranked
    # below every phrase holder: BM25F saturates its one syllable).
    no_minimum_should_match(monkeypatch)
    order = ranked_ids(engine, plan_query(query, engine.glossary))
    assert coincidence in order
    assert all(order.index(url) < order.index(coincidence) for url in holders)


def test_acronym_finds_its_expansion(engine):
    found = urls(engine, "PCCC", limit=5)
    assert "2024/dien-tap-cho-dong-ba/" in found  # says "phòng cháy chữa cháy" only
    snippet = next(r.snippet for r in engine.search("pccc").results if "dong-ba" in r.url)
    assert "<mark>phòng cháy chữa cháy</mark>" in snippet


def test_expansion_finds_its_acronym(engine):
    found = urls(engine, "an toàn giao thông", limit=3)
    assert found[0] == "2024/ra-quan-dip-tet/"  # says "ATGT" only
    assert urls(engine, "an toan giao thong", limit=3)[0] == "2024/ra-quan-dip-tet/"
    without_glossary = plan_query("an toàn giao thông", vntext.Glossary())
    assert ranked_ids(engine, without_glossary)[0] != "2024/ra-quan-dip-tet/"


@pytest.mark.parametrize("fold", [False, True])
def test_natural_language_questions_find_their_paragraph(engine, fold):
    questions = json.loads((FIXTURES / "xquad_questions.json").read_text(encoding="utf-8"))
    for item in questions:
        question = vntext.fold(item["question"]) if fold else item["question"]
        top = engine.search(question, limit=1).results[0]
        assert top.url.endswith(f"/{item['slug']}/"), (question, top.url)


def test_questions_need_or_semantics(engine):
    # Not every syllable of the question is in its paragraph: AND would find nothing.
    question = "Khi nào chính quyền của Hốt Tất Liệt hết tiền?"
    plan = plan_query(question, engine.glossary)
    docnum = engine.searcher.document_number(id="article:2020/xquad-09/")
    matched = [u for u in plan.units if docnum in engine.unit_scores(u)]
    assert 0 < len(matched) < len(plan.units)  # no "hết tiền" in the paragraph
    assert engine.search(question).results[0].url == "2020/xquad-09/"


def no_question_words(monkeypatch) -> None:
    nothing = (frozenset(), ())
    monkeypatch.setattr(planning_module, "_QUESTION_FORMS", {True: nothing, False: nothing})


@pytest.mark.parametrize(
    ("query", "asked"),
    [
        ("Tổ hòa giải là gì?", ["tổ", "hòa", "giải"]),
        ("tu quan la gi", ["tu", "quan"]),
        ("Friedrich Ratzel sinh ra ở đâu?", ["friedrich", "ratzel", "sinh", "ra"]),
        ("Camera AI nào tốt?", ["camera", "ai", "tốt"]),  # capitals: the acronym
    ],
)
def test_question_words_are_not_query_units(engine, query, asked):
    plan = plan_query(query, engine.glossary)
    assert [unit.label for unit in plan.units] == asked
    # The query's pairs stay as typed ("là gì" included).
    assert plan.pairs == plan_query(query.replace("?", ""), engine.glossary).pairs
    # A query made only of question words keeps them.
    assert [u.label for u in plan_query("bao nhiêu", engine.glossary).units] == ["bao", "nhiêu"]


def test_a_question_typed_without_diacritics_finds_what_it_asks_about(engine, monkeypatch):
    # "tu quan la gi" asks what "tự quản" is: the two model pages named so come first.
    found = urls(engine, "tu quan la gi", limit=50)
    assert found[:2] == ["mo-hinh/dong-ho-tu-quan/", "mo-hinh/to-lien-gia-tu-quan/"]
    # With the question words counted as units, "gi" joins the all-units rule
    # and an XQuAD paragraph holding "gì" (and no "tự quản") takes the top.
    no_question_words(monkeypatch)
    assert urls(engine, "tu quan la gi", limit=50)[0] == "2020/xquad-07/"


def test_question_words_add_no_noise(engine, monkeypatch):
    question = "Friedrich Ratzel sinh ra ở đâu?"
    assert urls(engine, question) == ["2020/xquad-11/"]
    no_question_words(monkeypatch)  # "đâu" and "ở" then count as words of the query
    assert len(urls(engine, question)) > 1


# -- phrase, minimum-should-match, whole units: each knob flipped -------------


def unit_matches(engine: SearchEngine, unit, docnum: int) -> bool:
    return docnum in engine.unit_scores(unit)


def no_minimum_should_match(monkeypatch) -> None:
    """Every document matching a unit is a result: minimum-should-match off, and
    the phrase-only rule too (it drops the documents holding no pair adjacent
    when another holds the query as a phrase, tests/test_search_synonyms.py)."""
    monkeypatch.setattr(scoring_module, "MSM_NO_UNITS", 0)
    monkeypatch.setattr(scoring_module, "MSM_ALL_UNITS", -1)
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_UNITS", 0)


def test_the_query_as_a_phrase_beats_its_words_apart(engine, monkeypatch):
    holders = phrase_holders(engine, "dòng họ")
    phrase, apart = "2023/phong-hien-dong-ho/", "2024/ho-tro-lap-dat/"
    assert phrase in holders and apart not in holders
    found = urls(engine, "dong ho", limit=50)
    # A short query some documents hold as a phrase drops the words apart
    # (the phrase-only rule) ...
    assert phrase in found and apart not in found
    # ... and without that rule the phrase factor still ranks the phrase first.
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_UNITS", 0)
    found = urls(engine, "dong ho", limit=50)
    assert found.index(phrase) < found.index(apart)
    # Without the phrase factor (Q = 0) too, the words apart win.
    monkeypatch.setattr(scoring_module, "PHRASE_WEIGHT", 0.0)
    found = urls(engine, "dong ho", limit=50)
    assert found.index(apart) < found.index(phrase)


def test_all_syllables_beat_most_of_them(engine, monkeypatch):
    query = "to lien gia"
    most = "2024/sua-duong-lien-thon/"  # "liên" many times, not "tổ" nor "gia"
    found = urls(engine, query, limit=50)
    assert found and most not in found
    plan = plan_query(query, engine.glossary)
    for result in engine.search(query, limit=50).results:
        # every result matches every unit (its syllable, or an acronym: "ATGT")
        docnum = engine.searcher.document_number(id=result.id)
        assert all(unit_matches(engine, unit, docnum) for unit in plan.units), result.url
    most_docnum = engine.searcher.document_number(id="article:" + most)
    assert 0 < sum(unit_matches(engine, unit, most_docnum) for unit in plan.units) < 3
    # Without minimum-should-match it is a result again, below every document
    # holding all of the query (coordination).
    no_minimum_should_match(monkeypatch)
    order = urls(engine, query, limit=50)
    assert most in order
    assert all(order.index(url) < order.index(most) for url in found)


@pytest.mark.parametrize("query", ["camera an ninh", "dong ho tu quan"])
def test_documents_matching_a_minor_part_of_the_query_are_dropped(engine, query, monkeypatch):
    kept = urls(engine, query, limit=50)
    no_minimum_should_match(monkeypatch)
    everything = urls(engine, query, limit=50)
    dropped = [url for url in everything if url not in kept]
    assert kept and set(kept) < set(everything) and len(dropped) >= 3
    # Minimum-should-match only filters: the kept documents keep their scores,
    # hence their order among the others.
    assert [url for url in everything if url in kept] == kept


def test_snippets_mark_whole_units_not_syllables_inside_other_words(engine):
    model_page = next(
        r for r in engine.search("camera an ninh", limit=10).results if r.kind == "model"
    )
    assert "công an" in model_page.snippet.lower()  # "an" of "Công an" ...
    assert "<mark>an</mark>" not in model_page.snippet.lower()  # ... is not marked
    phrase = engine.search("camera an ninh", limit=10).results[1].snippet
    assert "<mark>camera an ninh</mark>" in phrase.lower()
    # Marking syllables one by one (the knob off) marks the lone "an" again.
    plan = plan_query("camera an ninh", engine.glossary)
    syls = syllables("trụ sở công an")
    assert plan.highlight.hits(syls) == [0, 0, 0, 0]
    assert plan.highlight.hits(syls, whole_units=False)[3] > 0


# -- stop syllables: an accented spelling that is not itself frequent -----------


def rare_spelling_rule_off(plan):
    """The plan as the stop rule saw every query before the rare-spelling rule:
    scored_units applies it to accented plans only (`accented` is read nowhere else
    in scoring), and the unit keeps its exact and folded clauses."""
    return replace(plan, accented=False)


def holders_of(engine: SearchEngine, term: str) -> set[str]:
    _, weights = engine.postings.clause(term, False)
    return {engine.searcher.stored_fields(d)["url"] for d in weights}


def test_an_accented_syllable_whose_folded_form_is_a_stop_syllable_is_scored(engine, monkeypatch):
    # "trong" is in most documents (a stop syllable); "trọng" ("quan trọng") folds to it, rare.
    limit = STOP_DF_RATIO * engine.reader.doc_count_all()
    assert (
        engine.postings.doc_frequency("trong") > limit >= engine.postings.doc_frequency("trọng") > 0
    )
    holders = holders_of(engine, "trọng")
    plan = plan_query("trọng tài", engine.glossary)
    units = engine.scored_units(plan)
    assert [u.label for u in units] == ["trọng", "tài"]
    # Its exact clause only: the folded one would read every "trong".
    assert units[0].clauses == [Clause("trọng", False, EXACT_WEIGHT)]
    found = ranked_ids(engine, plan)
    assert set(found[: len(holders)]) == holders
    # The rule off: "trọng" dropped, the documents with "tài" alone come first.
    assert ranked_ids(engine, rare_spelling_rule_off(plan))[0] not in holders
    # "điều quan trọng": only the document saying it, instead of every "điều quan".
    found = ranked_ids(engine, plan_query("điều quan trọng", engine.glossary))
    assert found == ["2023/bam-co-so-xay-dung-phong-trao/"] and set(found) <= holders
    # (The phrase-only rule off as well: with "trọng" dropped, it would keep only
    # the documents saying "điều quan", hiding what this rule adds.)
    monkeypatch.setattr(scoring_module, "PHRASE_ONLY_UNITS", 0)
    off = ranked_ids(engine, rare_spelling_rule_off(plan_query("điều quan trọng", engine.glossary)))
    assert found[0] == off[0] and len(off) > len(found)


def test_an_accented_misspelling_of_a_stop_syllable_alone_finds_the_word(engine):
    # "trõng" is in no document; its folded form "trong" is a stop syllable.
    assert engine.postings.doc_frequency("trõng") == 0
    plan = plan_query("trõng", engine.glossary)
    assert engine.scored_units(plan) == plan.units  # kept whole, not exact only
    found = ranked_ids(engine, plan)
    assert found and set(found) == set(ranked_ids(engine, plan_query("trong", engine.glossary)))
    # Beside a word the misspelling stays exact only: it adds nothing.
    with_word = plan_query("trõng tài", engine.glossary)
    assert [u.clauses for u in engine.scored_units(with_word)][0] == [
        Clause("trõng", False, EXACT_WEIGHT)
    ]


@pytest.mark.parametrize(
    ("query", "scored"),
    [
        ("trong quan trọng", ["quan", "trọng"]),  # "trong" typed: a frequent spelling, dropped
        ("quan trong", ["quan"]),  # without diacritics "trong" is ambiguous and common: dropped
        ("trọng", ["trọng"]),  # alone, exact only (not the every-unit fallback)
        ("trong các", ["trong", "các"]),  # every unit stop-like: all kept, all clauses
    ],
)
def test_frequent_spellings_stay_dropped(engine, query, scored):
    plan = plan_query(query, engine.glossary)
    units = engine.scored_units(plan)
    assert [u.label for u in units] == scored
    typed = {unit.label: unit.clauses for unit in plan.units}
    for unit in units:
        exact = [Clause("trọng", False, EXACT_WEIGHT)]
        assert unit.clauses == (exact if unit.label == "trọng" else typed[unit.label]), unit.label


@pytest.mark.parametrize(
    "query",
    [
        "dong ho tu quan",
        "dòng họ tự quản",
        "camera an ninh",
        "an ninh trật tự",
        "to lien gia an toan",
    ],
)
def test_top_results_equal_scoring_every_document(engine, query):
    """search() computes the phrase factor only where it can change the top;
    the order must be the one of scoring every document."""
    plan = plan_query(query, engine.glossary)
    scores = engine.score_all(plan)
    expected = sorted(scores, key=lambda d: (-scores[d], d))[:5]
    got = [engine.searcher.document_number(id=r.id) for r in engine.search(query, limit=5).results]
    assert got == expected and got


# -- the formula, worked out by hand ----------------------------------------------------
#
# Four one-field stories, so every posting weight can be worked out from the SPEC
# (README "Ranking"): a title of n syllables gives each of its syllables
# w = 6 / (0.25 + 0.75 * n / 12), stored as q = round(8 * w); a query scores
# weight * idf * (1.2 + 1) * (q / 8) / (q / 8 + 1.2) per clause, with
# idf = ln(1 + (N - df + 0.5) / (df + 0.5)) and N = 4. The numbers below are
# written out from that, not computed by the engine's functions.

HAND_STORIES = [
    ("a/", "camera an ninh"),  # n = 3: w = 13.714..., q = 110, q / 8 = 13.75
    ("b/", "camera"),  # n = 1: w = 19.2, q = 154, q / 8 = 19.25
    ("c/", "an ninh trật tự"),  # n = 4: w = 12, q = 96, q / 8 = 12
    ("d/", "xe máy"),  # n = 2: w = 16, q = 128, q / 8 = 16
]
LN2 = math.log(2)  # idf of a syllable in 2 of the 4 stories: ln(1 + 2.5 / 2.5)
LN10_3 = math.log(10 / 3)  # idf of a syllable in 1 story: ln(1 + 3.5 / 1.5)


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("hand") / "index"
    stories = [
        SearchDocument(id=f"article:{url}", kind="article", url=url, title=title)
        for url, title in HAND_STORIES
    ]
    build_index(index_dir, stories)
    with SearchEngine(index_dir) as engine:
        yield engine


def hand_scores(engine: SearchEngine, query: str) -> dict[str, float]:
    return {r.url: r.score for r in engine.search(query, limit=10).results}


def saturated(w: float) -> float:
    return 2.2 * w / (w + 1.2)


@pytest.mark.parametrize(
    "query, expected",
    [
        # One folded clause, df 2; no pairs.
        ("camera", {"b/": LN2 * saturated(19.25), "a/": LN2 * saturated(13.75)}),
        # Two units held by both stories, their pair adjacent in both: × (1 + 3 · 1).
        ("an ninh", {"a/": 2 * LN2 * saturated(13.75) * 4, "c/": 2 * LN2 * saturated(12) * 4}),
        # Only "a/" holds both units (minimum should match); the pair is nowhere: × 1.
        ("camera ninh", {"a/": 2 * LN2 * saturated(13.75)}),
        # No story holds both: each keeps its share of the units' idf, ** 0.25.
        (
            "camera xe",
            {
                "d/": LN10_3 * saturated(16) * (LN10_3 / (LN2 + LN10_3)) ** 0.25,
                "b/": LN2 * saturated(19.25) * (LN2 / (LN2 + LN10_3)) ** 0.25,
                "a/": LN2 * saturated(13.75) * (LN2 / (LN2 + LN10_3)) ** 0.25,
            },
        ),
        # Accented: exact clause (E = 2) + folded clause (1), both df 1; pair adjacent.
        ("trật tự", {"c/": 2 * (2 + 1) * LN10_3 * saturated(12) * 4}),
    ],
)
def test_scores_worked_out_by_hand(hand, query, expected):
    found = hand_scores(hand, query)
    assert list(found) == list(expected)  # the order too
    for url, score in expected.items():
        assert found[url] == pytest.approx(score, abs=1e-4)  # Result.score has 4 decimals
