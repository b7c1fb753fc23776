"""The model matcher, localities and figures, on real catalogue files and the seed text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from model_catalog.catalog import ModelFileError, load_models, parse_model_text
from model_catalog.figures import find_figures
from model_catalog.localities import find_localities
from model_catalog.matcher import ModelMatcher
from model_catalog.rewrite import Acronyms, rewrite_article_html
from support import ROOT
from tdbvantq.text import load_glossary, normalize, tokenize

MODELS_DIR = ROOT / "content" / "models"
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
SEED_MODELS = [
    "Camera an ninh",
    "Dòng họ tự quản",
    "Đảm bảo ANTT trước cổng trường học",
    "Ngày Chủ nhật xanh",
    "Phòng, chống khai thác cát sạn trái phép",
    "Xích lô, xe thồ tự quản",
    "Giúp đỡ người chấp hành xong án phạt tù",
    "Tổ liên gia an toàn phòng cháy, chữa cháy",
    "Điểm chữa cháy công cộng",
    "Ban bảo vệ dân phố",
]


@pytest.fixture(scope="module")
def matcher() -> ModelMatcher:
    return ModelMatcher.from_dir(
        MODELS_DIR, glossary=load_glossary(ROOT / "content/data/acronyms.txt")
    )


@pytest.fixture(scope="module")
def seed_body() -> str:
    return SEED.read_text(encoding="utf-8").split("\n\n", 1)[1]


def test_catalogue_has_every_seed_model_in_nfc_with_group_and_description() -> None:
    models = {model.name: model for model in load_models(MODELS_DIR)}
    assert sorted(models) == sorted(SEED_MODELS)
    for path in MODELS_DIR.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path
    for model in models.values():
        assert model.group and model.description, model.slug
        assert (MODELS_DIR / f"{model.slug}.md").exists()
    assert "Dòng họ 3 kỷ cương" in models["Dòng họ tự quản"].aliases


def test_seed_names_every_catalogued_model(matcher: ModelMatcher, seed_body: str) -> None:
    found = {match.name for match in matcher.find(seed_body)}
    assert found == set(SEED_MODELS)


def test_alias_longest_name_wins(matcher: ModelMatcher, seed_body: str) -> None:
    texts = [(m.slug, m.text) for m in matcher.find(seed_body) if m.slug == "dong-ho-tu-quan"]
    assert ("dong-ho-tu-quan", "dòng họ tự quản về ANTT") in texts
    assert ("dong-ho-tu-quan", "Dòng họ 3 kỷ cương") in texts


def test_case_nfd_and_tone_placement_do_not_matter() -> None:
    matcher = ModelMatcher([{"slug": "to-hoa-giai", "name": "Tổ hòa giải", "aliases": []}])
    text = unicodedata.normalize("NFD", "Phường có 12 TỔ HOÀ GIẢI hoạt động.")
    [match] = matcher.find(text)
    assert match.slug == "to-hoa-giai"
    assert text[match.start : match.end] == match.text
    assert unicodedata.normalize("NFC", match.text) == "TỔ HOÀ GIẢI"


def test_diacritics_matter_and_names_do_not_span_sentences(matcher: ModelMatcher) -> None:
    assert matcher.find("Lắp camera. An ninh được đảm bảo.") == []
    assert matcher.find("Ban bao ve dan pho") == []  # unaccented: another text, not a match
    assert [m.slug for m in matcher.find("Lắp camera, an ninh")] == ["camera-an-ninh"]


def test_glossary_variants_match_expanded_acronyms(matcher: ModelMatcher) -> None:
    [match] = matcher.find("Mô hình bảo đảm an ninh trật tự trước cổng trường học.")
    assert match.slug == "dam-bao-antt-truoc-cong-truong-hoc"
    assert matcher.resolve("Tổ liên gia an toàn PCCC") == "to-lien-gia-an-toan-phong-chay-chua-chay"


def test_resolve_and_suggest(matcher: ModelMatcher) -> None:
    assert matcher.resolve("dòng họ 3 KỶ CƯƠNG") == "dong-ho-tu-quan"
    assert matcher.resolve("camera-an-ninh") == "camera-an-ninh"
    assert matcher.resolve("Camera giám sát") is None
    assert matcher.suggest("Dong ho tu quan")[0] == "Dòng họ tự quản"
    assert matcher.suggest("Tổ liên gia") == ["Tổ liên gia an toàn phòng cháy, chữa cháy"]
    assert matcher.suggest("Ban bảo vệ khu phố")[0] == "Ban bảo vệ dân phố"
    assert matcher.suggest("Hoàn toàn khác biệt xyz") == []


def test_unknown_quoted_names(matcher: ModelMatcher, seed_body: str) -> None:
    unknown = matcher.unknown_quoted(seed_body)
    assert "mắt thần" in unknown
    assert "Camera an ninh" not in unknown and "Dòng họ 3 kỷ cương" not in unknown


def test_two_models_with_one_name_is_an_error() -> None:
    with pytest.raises(ValueError, match="already a name"):
        ModelMatcher(
            [
                {"slug": "a", "name": "Camera an ninh", "aliases": []},
                {"slug": "b", "name": "Camera khu phố", "aliases": ["camera AN NINH"]},
            ]
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Group: x\n\nMô tả.", "has no name"),
        ("Name: A\nAlias: B\n\nMô tả.", "x.md:2: unknown field 'Alias'"),
        ("Name: A\nnot a header\n\nMô tả.", "x.md:2: expected a 'Key: value'"),
        ("Name: A\nSlug: Bad Slug\n", "slug 'Bad Slug'"),
    ],
)
def test_bad_model_files_name_the_file(text: str, message: str) -> None:
    with pytest.raises(ModelFileError, match=message) as error:
        parse_model_text(text, "content/models/x.md", default_slug="x")
    assert str(error.value).startswith("content/models/x.md")


def test_model_file_parsing() -> None:
    model = parse_model_text(
        "Name: Tổ hoà giải\nAliases: Tổ hòa giải ở cơ sở;  ; Hòa giải viên\n\nMô tả **ngắn**.",
        "x.md",
        default_slug="to-hoa-giai",
    )
    assert (model.name, model.slug, model.group) == ("Tổ hòa giải", "to-hoa-giai", "khác")
    assert model.aliases == ["Tổ hòa giải ở cơ sở", "Hòa giải viên"]
    assert model.description == "Mô tả ngắn."


def test_localities_of_the_seed_and_old_units(seed_body: str) -> None:
    assert find_localities(seed_body) == ["thành phố Huế", "xã Phú Mỹ"]
    text = (
        "TX. Hương Thủy và huyện Phú Vang triển khai; xã Hoà An (viết kiểu cũ) cũng vậy. "
        "Chủ tịch UBND huyện Nguyễn Văn An và Phó Chủ tịch UBND tỉnh Phan Quý Phương dự."
    )
    assert find_localities(text) == ["thị xã Hương Thủy", "huyện Phú Vang", "xã Hòa An"]


def test_figures_of_the_seed(matcher: ModelMatcher, seed_body: str) -> None:
    figures = {(f.slug, f.text): f for f in find_figures(seed_body, matcher.find(seed_body))}
    camera = figures[("camera-an-ninh", "28 mắt/24 điểm")]
    assert camera.sentence.startswith("Điển hình là mô hình camera an ninh với 28 mắt/24 điểm")
    guards = figures[("ban-bao-ve-dan-pho", "29 ban bảo vệ dân phố, 1.064 thành viên")]
    assert guards.sentence.endswith("với 29 ban bảo vệ dân phố, 1.064 thành viên.")
    teams = figures[
        (
            "to-lien-gia-an-toan-phong-chay-chua-chay",
            "hơn 543 tổ liên gia an toàn về phòng cháy, chữa cháy",
        )
    ]
    assert "thành lập hơn 543 tổ liên gia" in teams.quote
    assert ("diem-chua-chay-cong-cong", "653 điểm chữa cháy công cộng") in figures
    # 653 counts fire points, not fire-safety teams; "Dòng họ 3 kỷ cương" holds no figure.
    assert {slug for slug, _ in figures} == {
        "camera-an-ninh",
        "ban-bao-ve-dan-pho",
        "to-lien-gia-an-toan-phong-chay-chua-chay",
        "diem-chua-chay-cong-cong",
    }


def test_dates_are_not_figures(matcher: ModelMatcher) -> None:
    text = "Ngày 28/4, người dân ra quân Ngày Chủ nhật xanh với 300 lượt người tham gia."
    [figure] = find_figures(text, matcher.find(text))
    assert figure.text == "300 lượt người"


def test_models_dir_path_type() -> None:
    assert (
        ModelMatcher.from_dir(str(MODELS_DIR)).slugs
        == ModelMatcher.from_dir(Path(MODELS_DIR)).slugs
    )


def _spelled_otherwise(text: str) -> str:
    """The same text as another writer would type it: old tone placement, capitals."""
    swaps = {"hòa": "hoà", "Hòa": "Hoà", "thủy": "thuỷ", "Thủy": "Thuỷ", "khỏe": "khoẻ", "họ": "HỌ"}
    for canonical, other in swaps.items():
        text = text.replace(canonical, other)
    return text.replace("Camera an ninh", "CAMERA AN NINH").replace("đ", "\u00f0")


@pytest.mark.parametrize("spelling", ["as written", "respelled", "NFD"])
def test_compiled_matcher_finds_what_the_token_path_finds(
    matcher: ModelMatcher, seed_body: str, spelling: str
) -> None:
    text = {"as written": seed_body, "respelled": _spelled_otherwise(seed_body)}.get(
        spelling, unicodedata.normalize("NFD", seed_body)
    )
    text += (
        "\nTổ liên gia an toàn PCCC; camera an ninh 24/7 và camera an ninh1; Dòng họ 3,5 kỷ cương."
    )
    by_tokens = matcher.find(text, tokens=tokenize(text))  # the token-by-token path
    found = matcher.find(text)  # NFC text: one regex pass
    assert found == by_tokens
    assert {m.name for m in found} == set(SEED_MODELS)
    # "camera an ninh1" and "3,5" are other tokens: no name there.
    tail = len(text) - 90
    assert [m.text for m in found if m.start > tail] == [
        "Tổ liên gia an toàn PCCC",
        "camera an ninh",
    ]


def test_localities_and_figures_do_not_depend_on_spelling(
    matcher: ModelMatcher, seed_body: str
) -> None:
    respelled = _spelled_otherwise(seed_body)
    assert find_localities(respelled) == find_localities(seed_body)
    figures = [
        (f.slug, f.text, f.sentence) for f in find_figures(seed_body, matcher.find(seed_body))
    ]
    again = [(f.slug, f.text, f.sentence) for f in find_figures(respelled, matcher.find(respelled))]
    assert [(slug, normalize(text)) for slug, text, _ in again] == [(s, t) for s, t, _ in figures]


def test_rewrite_links_first_mentions_and_keeps_the_rest_byte_for_byte(
    matcher: ModelMatcher,
) -> None:
    glossary = load_glossary(ROOT / "content/data/acronyms.txt")
    html = (
        '<h2>Camera an ninh</h2>\n<p class="lede">Lắp <em>camera</em> &amp; CAMERA AN NINH, '
        "rồi camera an ninh; PCCC &lt;tốt&gt;.</p>\n"
        '<p><a href="/x" title="PCCC">camera an ninh</a> <code>ANTT</code> ANTT&nbsp;và PCCC</p>'
    )
    out, linked = rewrite_article_html(
        html, matcher, lambda slug: f"/mo-hinh/{slug}/", Acronyms(glossary), expected=None
    )
    assert linked == ["camera-an-ninh"]
    assert out.startswith('<h2>Camera an ninh</h2>\n<p class="lede">Lắp <em>camera</em> &amp; ')
    assert (
        '<a href="/mo-hinh/camera-an-ninh/" class="model-link" data-model="camera-an-ninh">'
        "CAMERA AN NINH</a>, rồi camera an ninh; "
        '<abbr title="phòng cháy chữa cháy">PCCC</abbr> &lt;tốt&gt;.</p>'
    ) in out
    assert out.endswith(
        '<p><a href="/x" title="PCCC">camera an ninh</a> <code>ANTT</code> '
        '<abbr title="an ninh trật tự">ANTT</abbr>\u00a0và PCCC</p>'
    )
