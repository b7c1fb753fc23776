"""Places (plugins/places): built through the real Pelican build with the site's
settings on tests/fixtures/places/content (50 stories), and `make check`'s warning."""

from __future__ import annotations

import difflib
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

import places.compile as places_compile
from model_catalog.matcher import ModelMatcher
from places.compile import from_package_data, to_table
from places.compile import main as compile_main
from places.finder import find_places
from places.gazetteer import CloseNames, _suggestion_table, load_gazetteer
from support import ROOT, run_pelican, tree_bytes
from support.places import FIXTURE, build_places_site
from support.search import search_cli


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_places_site(tmp_path_factory.mktemp("places"))


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_commune_page_lists_its_stories_newest_first_with_the_old_name(site: Path) -> None:
    page = soup(site, "dia-phuong/hue/phuong-phong-thai")
    assert page.h1.get_text() == "Phường Phong Thái"
    assert page.select_one(".place-old-names").get_text() == "Trước đây: xã Phong Hiền"
    dates = [t["datetime"] for t in page.select(".place-articles time")]
    assert len(dates) >= 10 and dates == sorted(dates, reverse=True)
    # Stories that wrote the old name and stories that wrote the new one are both here.
    titles = [a.get_text() for a in page.select(".place-articles .card-title a")]
    assert "Ba địa bàn cùng ra mắt mô hình camera an ninh" in titles
    assert page.select_one(".place-models a")  # the models active there


def test_province_page_and_index(site: Path) -> None:
    hue = soup(site, "dia-phuong/hue")
    communes = [a.get_text() for a in hue.select(".place-communes a")]
    assert {"phường Phong Thái", "phường Mỹ Thượng", "phường Thủy Xuân"} <= set(communes)
    index = soup(site, "dia-phuong")
    assert index.h1.get_text() == "Tin theo khu vực"
    provinces = [a.get_text() for a in index.select(".place-province h2 a")]
    assert set(provinces) == {
        "Thành phố Huế",
        "Thành phố Hà Nội",
        "Thành phố Đà Nẵng",
        "Tỉnh Cà Mau",
    }
    # The old province name "tỉnh Quảng Nam" counts at Đà Nẵng; two "xã Phú Mỹ" stay apart.
    assert (site / "dia-phuong/da-nang/phuong-hoi-an/index.html").is_file()
    assert (site / "dia-phuong/ca-mau/xa-phu-my/index.html").is_file()


def test_home_place_block_counts_and_links(site: Path) -> None:
    block = BeautifulSoup(
        (site / "test-home-places.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert block.select_one("#home-places-title").get_text() == "Tin theo khu vực"
    first = block.select_one(".home-place-list > li")
    assert first.a.get_text() == "Huế" and first.a["href"].endswith("dia-phuong/hue/")
    count = int(first.select_one(".meta").get_text().strip("()"))
    province = soup(site, "dia-phuong/hue")
    assert count == len(province.select(".place-articles .card-title"))
    assert first.select(".place-sublist a")  # its busiest communes


def test_story_with_two_authors_and_three_places(site: Path) -> None:
    page = soup(site, "2025/ba-dia-ban-camera-an-ninh")
    assert page.select_one(".byline").get_text() == "Tác giả: Bá Đô, Quỳnh Trang"
    places = page.select(".story-places a")
    assert [a.get_text() for a in places] == ["xã Phong Hiền", "phường Thủy Xuân", "thành phố Huế"]
    hrefs = [a["href"] for a in places]
    assert hrefs[0].endswith("dia-phuong/hue/phuong-phong-thai/")
    for href in hrefs:
        assert (site / "2025/ba-dia-ban-camera-an-ninh" / href / "index.html").resolve().is_file()


def test_model_page_places_come_from_the_sentence_that_names_the_model(site: Path) -> None:
    camera = soup(site, "mo-hinh/camera-an-ninh")
    items = camera.select(".model-place")
    assert items
    for item in items:
        place, *_, story = item.find_all("a")
        assert "dia-phuong/" in place["href"] and story["href"].rstrip("/").count("/") >= 2
    mine = [i for i in items if "Ba địa bàn" in i.get_text()]
    # In that story camera an ninh is at Phong Hiền (and, by the lede, in Huế);
    # Thủy Xuân is the other model's.
    assert [i.a.get_text() for i in mine] == ["phường Phong Thái", "thành phố Huế"]
    green = soup(site, "mo-hinh/ngay-chu-nhat-xanh")
    mine = [i.a.get_text() for i in green.select(".model-place") if "Ba địa bàn" in i.get_text()]
    assert mine == ["phường Thủy Xuân"]


def test_seed_story_places_are_not_given_to_every_model() -> None:
    matcher = ModelMatcher.from_dir(ROOT / "content" / "models")
    text = (
        "Công an xã Phú Mỹ tích cực tham mưu tổ chức mô hình dòng họ tự quản về ANTT.\n\n"
        "Đội ngũ cốt cán phong trào ở cơ sở của TP. Huế có 29 ban bảo vệ dân phố."
    )
    found = find_places("", text, matcher.slugs_in, matcher.slugs)
    by_name = {p.unit.full_name: (p.old_name, p.models) for p in found.places}
    assert by_name["phường Mỹ Thượng"] == ("xã Phú Mỹ", ["dong-ho-tu-quan"])
    assert by_name["thành phố Huế"] == ("", ["ban-bao-ve-dan-pho"])


def test_a_place_takes_the_models_of_its_sentence_or_the_ones_before_it() -> None:
    """The models of a place's sentence, else of the nearest sentence before it in the
    same paragraph that names one (never across paragraphs); the matcher is asked only
    about the sentences needed for that, each once."""
    matcher = ModelMatcher.from_dir(ROOT / "content" / "models")
    asked: list[str] = []

    def models_in(sentence: str) -> list[str]:
        asked.append(sentence)
        return matcher.slugs_in(sentence)

    text = (
        "Mô hình dòng họ tự quản về ANTT ra đời. Năm nay thêm nhiều hộ. "
        "Công an xã Phú Mỹ tham mưu. Người dân đồng tình.\n\n"
        "Tin vui khác. Công an TP. Huế nhân rộng.\n\n"
        "Mô hình dòng họ tự quản được khen. Không có địa bàn ở đây. Cũng không ở đây."
    )
    found = find_places("", text, models_in, matcher.slugs)
    by_name = {p.unit.full_name: p.models for p in found.places}
    assert by_name["phường Mỹ Thượng"] == ["dong-ho-tu-quan"]  # two sentences back
    assert "dong-ho-tu-quan" not in by_name["thành phố Huế"]  # another paragraph
    assert len(asked) == len(set(asked)) == 5  # 3 of the first paragraph, 2 of the second
    assert not any("Không có địa bàn" in sentence for sentence in asked)


def test_unknown_locality_is_a_check_warning_with_suggestions(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    story = content / "articles" / "2025" / "sai-dia-ban.md"
    story.write_text(
        "Title: Bài thử địa bàn\nDate: 2025-01-02 08:00+07:00\nAuthor: Bá Đô\n"
        "Category: Tin tức\nSlug: sai-dia-ban\nSummary: Bài thử.\nLocality: xã Phong Hien\n\n"
        "Tại xã Phong Hiền, mô hình camera an ninh phát huy hiệu quả.\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_content.py"), str(content)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr  # a warning never fails
    line = next(x for x in result.stdout.splitlines() if "Phong Hien”" in x)
    assert re.search(r"sai-dia-ban\.md:7: Địa bàn “xã Phong Hien” không có trong danh mục", line)
    assert "Phong Hiền (nay: phường Phong Thái, Huế)" in line
    assert "LỖI" not in result.stdout  # the fixture and the story are otherwise clean


def test_places_without_model_catalog_builds_the_place_pages(tmp_path: Path) -> None:
    """A build without model_catalog (as the scale benchmark's "site without search"):
    `Models:` stays header text, and the stories still get their places."""
    from pelican.settings import get_settings_from_file

    plugins = get_settings_from_file(str(ROOT / "pelicanconf.py"))["PLUGINS"]
    result = run_pelican(
        FIXTURE,
        tmp_path / "output",
        extra={
            "PLUGINS": [p for p in plugins if p not in ("model_catalog", "search_index")],
            "STATIC_SEARCH_ENABLED": False,
            "ACRONYMS_FILE": str(FIXTURE / "data" / "acronyms.txt"),
            "MINIFY_ASSETS": False,
            "SITE_BUILD_NOW": "2026-01-01 00:00+07:00",
            "CACHE_PATH": str(tmp_path / "cache"),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (
        tmp_path / "output" / "dia-phuong" / "hue" / "phuong-phong-thai" / "index.html"
    ).is_file()


def test_close_names_are_difflibs_close_matches() -> None:
    """The gazetteer's fast lookup of close names gives difflib's answer, order included,
    for misspelt, exact, short, empty and unrelated names, at several cutoffs."""
    names = list(_suggestion_table(load_gazetteer()))
    index = CloseNames(names)
    rng = random.Random(24)
    queries = ["tay nguyen", "ba ria", "phong hien", "dak lak", "hcm tran vinh tuyen", "", "a"]
    queries += [name[:-1] + "x" for name in rng.sample(names, 15)] + rng.sample(names, 5)
    for query in queries:
        for cutoff in (0.6, 0.7, 0.9):
            expected = difflib.get_close_matches(query, names, n=3, cutoff=cutoff)
            assert index.close_matches(query, n=3, cutoff=cutoff) == expected, (query, cutoff)


def test_compiled_gazetteer_is_the_packages_data() -> None:
    """gazetteer.json is what `python -m places.compile` makes of the installed
    vietnam-address-converter's data, and reads back as the same units and names."""
    from vietnam_address_converter.data import DEFAULT_DATA

    assert compile_main(["--check"]) == 0, "run: python -m places.compile"
    compiled, loaded = from_package_data(DEFAULT_DATA), load_gazetteer()
    assert to_table(loaded, "") == to_table(compiled, "")
    for field in ("province_names", "commune_names", "district_names"):
        made, read = getattr(compiled, field), getattr(loaded, field)
        assert all(read[key] == units for key, units in made.items()), field
    phong_hien = loaded.resolve("xã", "Phong Hiền")
    assert [(r.unit.full_name, r.old_name) for r in phong_hien] == [
        ("phường Phong Thái", "phường Phong Hiền")
    ]


def test_a_stale_compiled_gazetteer_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "gazetteer.json"
    stale.write_text(places_compile.TABLE.read_text(encoding="utf-8").replace("Huế", "Hue", 1))
    monkeypatch.setattr(places_compile, "TABLE", stale)
    assert compile_main(["--check"]) == 1
    assert "python -m places.compile" in capsys.readouterr().err


# -- the locality facet: one rule in the terminal and the browser ----------------------------

PLACE_CASES = [
    ("an ninh", {}),
    ("camera an ninh", {"place": "hue"}),
    ("mo hinh", {"place": "hue/phuong-phong-thai"}),
    ("dong ho tu quan", {"place": "ca-mau", "year": "2024"}),
    ("mô hình", {"model": "ngay-chu-nhat-xanh", "place": "ha-noi"}),
]


@pytest.mark.parametrize("query, filters", PLACE_CASES)
def test_place_facet_is_the_same_in_the_terminal_and_the_browser(
    site: Path, query, filters
) -> None:
    """scripts/search.py --place and the browser engine (search-engine.js under Node,
    on the exported index of the same build) give the same hits and facets."""
    from support.search import run_node

    args = [a for key, value in filters.items() for a in (f"--{key}", value)]
    (terminal,) = search_cli(site.parent / "index", [query], *args)
    (browser,) = run_node(site / "search", [{"query": query, "limit": 5, **filters}])
    assert browser["total"] == terminal["total"] > 0, (query, filters)
    assert [r["url"] for r in browser["results"]] == [r["url"] for r in terminal["results"]]
    for facet in ("models", "places"):
        assert [(slug, n) for slug, _name, n in browser["facets"][facet]] == list(
            terminal["facets"][facet].items()
        )
    assert [tuple(y) for y in browser["facets"]["years"]] == list(
        terminal["facets"]["years"].items()
    )
    if "place" in filters:
        # the place's own count is the total: every hit is listed on that place page
        assert terminal["facets"]["places"][filters["place"]] == terminal["total"]
        names = {slug: name for slug, name, _ in browser["facets"]["places"]}
        assert names[filters["place"]]


def test_the_browser_index_leaves_out_the_provinces_communes_imply(site: Path) -> None:
    """The parity cases above run on a docs table where a commune's province is
    implied (static_search's `places_imply_provinces`), so the browser adds it back."""
    import gzip
    import json

    (path,) = (site / "search").glob("docs.*.json.gz")
    table = json.loads(gzip.decompress(path.read_bytes()))
    assert table["places_imply_provinces"] is True
    assert "hue" in table["place_slugs"] and "hue/phuong-phong-thai" in table["place_slugs"]


def test_terminal_refuses_an_unknown_place(site: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "search.py"),
            "--index",
            str(site.parent / "index"),
            "--place",
            "hue/phuong-phong-thi",
            "an ninh",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "có phải: hue/phuong-phong-thai" in done.stderr and "Traceback" not in done.stderr


def test_unit_word_and_province_decide_between_units_of_one_name() -> None:
    found = find_places(
        "xã Hương Phong, thành phố Huế; phường Hương Phong, thành phố Huế; xã Phú Mỹ, tỉnh Cà Mau",
        "",
        lambda _: [],
        [],
    )
    assert found.problems == []
    by_old = {p.written: (p.unit.full_name, p.old_name) for p in found.places}
    assert by_old["xã Hương Phong"] == ("xã A Lưới 4", "xã Hương Phong")
    assert by_old["phường Hương Phong"] == ("phường Hóa Châu", "phường Hương Phong")
    assert by_old["xã Phú Mỹ"] == ("xã Phú Mỹ", "")  # the current commune of Cà Mau
    # "xã Tân Thành" is in several provinces and the story names none: a problem, not a guess.
    found = find_places("xã Tân Thành", "", lambda _: [], [])
    assert found.places == [] and [p.written for p in found.problems] == ["xã Tân Thành"]
    assert "có ở nhiều tỉnh" in found.problems[0].message


def test_places_cache_builds_the_same_pages_and_recomputes_what_changed(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    cache = tmp_path / "places-cache"
    extra = {"PLACES_CACHE_DIR": str(cache)}
    cold = tree_bytes(build_places_site(tmp_path / "cold", content, extra), "*.html")
    entries = sorted(cache.glob("*.json"))
    # One per distinct story: the fixture's stories share texts, hence entries.
    assert len(entries) >= 5
    warm = tree_bytes(build_places_site(tmp_path / "warm", content, extra), "*.html")
    assert warm == cold  # every page byte for byte, the place pages among them
    assert any(name.startswith("dia-phuong/") for name in warm)

    # A hit is used as stored, without finding again: a (valid) changed entry shows.
    story = content / "articles" / "2023" / "tin-dia-phuong-17.md"
    slug = "tin-dia-phuong-17"
    hai_chau = [e for e in entries if "Hải Châu" in e.read_text(encoding="utf-8")]
    for entry in hai_chau:
        entry.write_text(
            entry.read_text(encoding="utf-8").replace("Hải Châu", "Hải Châu Cũ"), encoding="utf-8"
        )
    tampered = tree_bytes(build_places_site(tmp_path / "tampered", content, extra), "*.html")
    assert any("Hải Châu Cũ" in page.decode() for page in tampered.values())

    # Damaged entries are found again, and the build is the cold one.
    for entry in hai_chau:
        entry.write_bytes(b"\x80not json{")
    assert tree_bytes(build_places_site(tmp_path / "damaged", content, extra), "*.html") == cold

    # An edit of one story's Locality changes its places, the others come from the cache.
    text = story.read_text(encoding="utf-8")
    story.write_text(
        text.replace("Locality: phường Hải Châu, thành phố Đà Nẵng", "Locality: phường Hoàn Kiếm"),
        encoding="utf-8",
    )
    edited = build_places_site(tmp_path / "edited", content, extra)
    page = f"2023/{slug}/index.html"
    assert "Hoàn Kiếm" not in cold[page].decode()
    assert "Hoàn Kiếm" in (edited / page).read_text(encoding="utf-8")
    hoan_kiem = soup(edited, "dia-phuong/ha-noi/phuong-hoan-kiem")
    assert any(slug in a["href"] for a in hoan_kiem.select(".place-articles .card-title a"))


def test_places_cache_entries_name_each_input_apart(tmp_path: Path) -> None:
    """A story's entry is made from its inputs (Locality, its line, summary, HTML, model
    slugs), each after its kind and length: the same inputs give the same entry, and a
    change of any part, or of where one part ends, gives another."""
    from places.cache import PlacesCache

    cache = PlacesCache(tmp_path, b"key")
    story = ["phường Hải Châu", 4, "Tóm tắt", "<p>Đoạn.</p>", ["camera-an-ninh"]]
    entry = cache.entry(story)
    assert entry == cache.entry(list(story)) and entry.suffix == ".json"
    others = [
        ["phường Hải Châu", 5, "Tóm tắt", "<p>Đoạn.</p>", ["camera-an-ninh"]],
        ["phường Hải Châu", 4, "Tóm tắt", "<p>Đoạn!</p>", ["camera-an-ninh"]],
        ["phường Hải Châu", 4, "Tóm tắt", "<p>Đoạn.</p>", []],
        ["phường Hải Châu", None, "Tóm tắt", "<p>Đoạn.</p>", ["camera-an-ninh"]],
        ["phường Hải Châu", 4, "Tóm tắt<p>", "Đoạn.</p>", ["camera-an-ninh"]],
        ["phường Hải Châu", 4, "Tóm tắt", "<p>Đoạn.</p>", "camera-an-ninh"],
    ]
    assert len({entry, *(cache.entry(other) for other in others)}) == len(others) + 1
    assert PlacesCache(tmp_path, b"other key").entry(story) != entry
