"""The Vietnamese text module against the shared vectors (the JS mirror runs the same file)."""

import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

import pytest

from support import ROOT
from tdbvantq.text import (
    GlossaryError,
    fold,
    iter_tokens,
    load_glossary,
    lower,
    normalize,
    parse_glossary,
    slugify,
    spellings,
    tokenize,
)
from tdbvantq.text.dates import WEEKDAYS, format_dateline, to_vietnam_time

VECTORS = json.loads((ROOT / "tests" / "vectors" / "vntext.json").read_text(encoding="utf-8"))


def _ids(cases):
    return [case["input"] for case in cases]


def test_vector_inputs_are_what_they_claim():
    for section in ("normalize", "lower", "fold", "tokenize"):
        for case in VECTORS[section]:
            form = "NFD" if case.get("nfd") else "NFC"
            assert unicodedata.is_normalized(form, case["input"]), case
            if case.get("nfd"):
                assert not unicodedata.is_normalized("NFC", case["input"]), case


@pytest.mark.parametrize("case", VECTORS["normalize"], ids=_ids(VECTORS["normalize"]))
def test_normalize(case):
    result = normalize(case["input"])
    assert result == case["expected"]
    assert unicodedata.is_normalized("NFC", result)
    assert normalize(result) == result  # idempotent


@pytest.mark.parametrize("case", VECTORS["lower"], ids=_ids(VECTORS["lower"]))
def test_lower(case):
    assert lower(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", VECTORS["fold"], ids=_ids(VECTORS["fold"]))
def test_fold(case):
    assert fold(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", VECTORS["tokenize"], ids=_ids(VECTORS["tokenize"]))
def test_tokenize(case):
    tokens = tokenize(case["input"])
    assert [t.norm for t in tokens] == case["norm"]
    if "folded" in case:
        assert [t.folded for t in tokens] == case["folded"]
    if "spans" in case:
        assert [[t.start, t.end] for t in tokens] == case["spans"]
    if "numbers" in case:
        assert [t.is_number for t in tokens] == case["numbers"]
    for token in tokens:
        assert case["input"][token.start : token.end] == token.text


@pytest.mark.parametrize("case", VECTORS["slugify"], ids=_ids(VECTORS["slugify"]))
def test_slugify(case):
    assert slugify(case["input"]) == case["expected"]


def test_glossary_both_ways():
    spec = VECTORS["glossary"]
    glossary = parse_glossary(spec["source"])
    for case in spec["expansions"]:
        assert glossary.expansions(case["input"]) == case["expected"], case
    for case in spec["acronym_for"]:
        assert glossary.acronym_for(case["input"]) == case["expected"], case


@pytest.mark.parametrize("line", VECTORS["glossary"]["errors"])
def test_glossary_errors_name_file_and_line(line):
    with pytest.raises(GlossaryError, match=r"^acronyms\.txt:2: "):
        parse_glossary(f"ANTT = an ninh trật tự\n{line}\n", "acronyms.txt")


def test_project_glossary_loads_and_covers_the_press_acronyms():
    glossary = load_glossary(ROOT / "content" / "data" / "acronyms.txt")
    for acronym in ("ANTT", "TDBVANTQ", "PCCC", "UBMTTQ", "UBND", "BĐBP", "ATGT"):
        assert glossary.expansions(acronym), acronym
    assert glossary.acronym_for("Toàn dân bảo vệ an ninh Tổ quốc") == "TDBVANTQ"


def test_missing_glossary_is_empty(tmp_path):
    assert len(load_glossary(tmp_path / "none.txt")) == 0


def test_dateline_in_vietnamese_without_locale():
    moment = datetime(2023, 8, 3, 1, 57, tzinfo=UTC)  # 08:57 in Vietnam
    assert format_dateline(moment) == "Thứ Năm, 03/08/2023 08:57"
    assert format_dateline(datetime(2024, 4, 28, 7, 0)) == "Chủ Nhật, 28/04/2024 07:00"


def test_pelicans_dates_print_as_with_its_own_strftime():
    """Pelican's dates (SafeDatetime) are formatted with datetime's strftime, not
    Pelican's slower override: the same text, from a story's date to a draft's 9999."""
    from pelican.utils import SafeDatetime

    from vn_dates.filters import vndate

    for moment in (
        SafeDatetime(2023, 8, 3, 8, 57, tzinfo=timezone(timedelta(hours=7))),
        SafeDatetime(2017, 1, 1, 0, 5, tzinfo=UTC),
        SafeDatetime(2024, 2, 29, 23, 59),
        SafeDatetime(9999, 12, 31, 0, 0),
    ):
        local = to_vietnam_time(moment)
        assert format_dateline(moment) == f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"
        assert vndate(moment) == f"{local:%d/%m/%Y}"


def test_spellings_are_every_way_to_write_a_syllable():
    assert spellings("hòa") == ["hòa", "hoà"]
    assert set(spellings("thủy")) == {"thủy", "thuỷ"}
    assert set(spellings("đảm")) == {"đảm", "\u00f0ảm"}
    assert spellings("an") == ["an"] and spellings("24/7") == ["24/7"]
    for word in ("người", "khuỷu", "quản", "ngoài", "đường"):
        assert all(lower(spelling) == word for spelling in spellings(word)), word


def test_iter_tokens_reads_a_span_lazily():
    text = "Xã có 15 camera an ninh."
    tokens = list(iter_tokens(text, 6, 15))
    assert [t.text for t in tokens] == ["15", "camera"]
    assert tokens == [t for t in tokenize(text) if 6 <= t.start and t.end <= 15]


def _normalize_word_by_word(text: str) -> str:
    """normalize as it was written before it was made faster: look-alikes always
    translated, then a regex callback per letter run (the reference it must equal)."""
    from tdbvantq.text import text as module

    text = unicodedata.normalize("NFC", text.translate(module.LOOKALIKES))
    return re.sub(
        r"[^\W\d_]+",
        lambda m: m.group() if m.group().isascii() else module._place_tone(m.group()),
        text,
    )


def test_normalize_equals_the_word_by_word_reference():
    # Every vector input, news text, and strings mixing look-alikes, invisibles,
    # compatibility letters, digits and tones on either vowel, in every order.
    sections = [value for value in VECTORS.values() if isinstance(value, list)]
    pieces = [case["input"] for section in sections for case in section if "input" in case]
    pieces += [
        "Hoà bình",
        "HOÀ",
        "a\u200bb",
        "\u00d0ắk",
        "\u00f0",
        "ｆｕｌｌ ｗｉｄｔｈ",
        "ǅ",
        "x\u0301",
    ]
    pieces += ["qúy Quý", "hóa hoá HÓA", "123", "nǵ", "\u00adxin", "ĐẮK lắk", "", " ", "\n\n", "-"]
    news = ROOT / "content" / "articles"
    pieces += [p.read_text(encoding="utf-8") for p in sorted(news.rglob("*.md"))[:20]]
    random = __import__("random").Random(24)
    mixed = ["".join(random.sample(pieces[:40], 5)) for _ in range(200)]
    for text in pieces + mixed:
        assert normalize(text) == _normalize_word_by_word(text), text[:80]
