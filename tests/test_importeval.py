"""The benchmark's scoring functions (benchmarks/sitebench/importeval.py) on tiny inputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from lxml import html as lxml_html

from sitebench import importeval
from tdbvantq.importer.article import Article, Block, Figure

ITEM = {"with": ["first  chunk", "second chunk"], "without": ["menu", "footer text"]}


def run_bench(command: list[str]) -> subprocess.CompletedProcess:
    """A bench command run from the project's root, its output captured."""
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=120, check=False
    )


def test_count_item_as_trafilatura_counts() -> None:
    assert importeval.count_item(ITEM, "the first chunk\nand the second chunk") == (2, 0, 0, 2)
    assert importeval.count_item(ITEM, "first chunk, menu, footer   text") == (1, 2, 1, 0)
    assert importeval.count_item(ITEM, None) == (0, 0, 2, 2)  # a refused page


def test_confusion_scores() -> None:
    matrix = importeval.Confusion()
    matrix.add((2, 0, 0, 2))
    matrix.add((1, 2, 1, 0))
    assert (matrix.tp, matrix.fp, matrix.fn, matrix.tn) == (3, 2, 1, 2)
    assert matrix.precision() == pytest.approx(3 / 5)
    assert matrix.recall() == pytest.approx(3 / 4)
    assert matrix.f1() == pytest.approx(6 / 9)
    assert matrix.accuracy() == pytest.approx(5 / 8)
    assert importeval.Confusion().f1() == 0.0


def test_date_outcome_as_htmldate_counts() -> None:
    assert importeval.date_outcome("2020-01-02", "2020-01-02") == (1, 0, 0, 0)
    assert importeval.date_outcome("2020-01-03", "2020-01-02") == (0, 1, 0, 0)
    assert importeval.date_outcome(None, "2020-01-02") == (0, 0, 1, 0)
    assert importeval.date_outcome(None, None) == (0, 0, 1, 1)


def test_published_day_in_the_page_offset() -> None:
    new_york = timezone(timedelta(hours=-4))
    assert (
        importeval.published_day(Article("t", date=datetime(2023, 8, 3, 21, 15, tzinfo=new_york)))
        == "2023-08-03"
    )
    assert importeval.published_day(Article("t", date=date(2023, 8, 3))) == "2023-08-03"
    assert importeval.published_day(Article("t")) is None
    assert importeval.published_day("page.html: refused") is None


def answer_key(**changes) -> dict:
    key = {
        "title": "Tiêu đề bài",
        "published": "2023-08-03T08:57:00+07:00",
        "authors": ["Phong Anh"],
        "summary_starts": "Sapo của",
        "first_paragraph_starts": "Đoạn một",
        "last_paragraph_starts": "Đoạn hai",
        "paragraph_count": 2,
        "captions": ["Ảnh: tổ"],
        "clutter": ["Tin liên quan"],
    }
    key.update(changes)
    return key


def story() -> Article:
    return Article(
        "Tiêu đề bài",
        date=datetime(2023, 8, 3, 8, 57, tzinfo=timezone(timedelta(hours=7))),
        authors=["Phong Anh"],
        summary="Sapo của bài",
        blocks=[
            Block("p", "Đoạn một của bài"),
            Block("figure", figure=Figure(None, "Ảnh: tổ tự quản")),
            Block("p", "Đoạn hai của bài"),
        ],
    )


def test_score_page_field_by_field() -> None:
    assert all(importeval.score_page(story(), answer_key()).values())
    wrong = importeval.score_page(
        story(),
        answer_key(published="2023-08-03T01:57:00+00:00", paragraph_count=3, clutter=["Đoạn hai"]),
    )
    # The same moment in another offset is not the date "as published".
    assert [name for name, ok in wrong.items() if not ok] == [
        "published",
        "paragraph_count",
        "no_clutter",
    ]
    assert not any(importeval.score_page("refused", answer_key()).values())


# --- the DAnIEL corpus (a tiny copy in its format: tests/fixtures/daniel/) ----------------------

DANIEL = Path(__file__).resolve().parent / "fixtures" / "daniel"


def test_daniel_reader_pairs_pages_with_their_reference_and_language() -> None:
    items = list(importeval.daniel_items(DANIEL))
    # A page without a reference, and a reference without its page, are left out.
    assert [(item.name, item.language) for item in items] == [
        ("20120112_news.example_aa11", "English"),
        ("20120113_zh.example_bb22", "Chinese"),
    ]
    assert items[0].path == DANIEL / "html" / "20120112_news.example_aa11"
    assert items[0].reference.splitlines() == [
        "Floods close the river road",
        "The river road was closed on Tuesday after two days of rain.",
        "Repairs will take a week, the council said & more.",  # entities decoded
    ]


def test_daniel_reader_refuses_a_folder_that_is_not_the_corpus(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="DAnIEL"):
        list(importeval.daniel_items(tmp_path))


def test_words_counted_with_repeats_and_chinese_by_character() -> None:
    assert importeval.words("The road, the RIVER road.") == {"the": 2, "road": 2, "river": 1}
    assert importeval.words("北京下雪了 2012") == {
        "北": 1,
        "京": 1,
        "下": 1,
        "雪": 1,
        "了": 1,
        "2012": 1,
    }
    assert importeval.words(None) == {}


def test_count_words_as_waddle_counts_occurrences() -> None:
    reference = importeval.words("the river road the end")
    # "the" twice in both, "river" and "road" found, "end" missing, "menu" and a third "the" extra.
    assert importeval.count_words(reference, "menu the river road the the") == (4, 2, 1, 0)
    assert importeval.count_words(reference, None) == (0, 0, 5, 0)  # a refused page


def test_field_right_per_key() -> None:
    assert importeval.field_right("title", " Floods  close ", "floods close") is True
    assert importeval.field_right("title", "Other", "Floods") is False
    assert importeval.field_right("authors", ["B Two", "A One"], "A One; B Two") is True
    assert importeval.field_right("authors", ["A One B Two"], "A One; B Two") is False
    assert importeval.field_right("date", "2020-01-02", "2020-01-02") is True
    assert importeval.field_right("date", None, "2020-01-02") is False
    assert importeval.field_right("authors", ["Anyone"], "") is None  # no key: not scored


def test_field_score_shares_only_over_pages_with_a_key() -> None:
    score = importeval.FieldScore()
    for outcome in (True, False, None, True):
        score.add("title", outcome)
    assert score.share("title") == pytest.approx(2 / 3)
    assert score.share("authors") is None


def test_bench_import_scores_a_daniel_folder_with_bare_trafilatura_alongside(
    tmp_path: Path,
) -> None:
    root = Path(__file__).resolve().parents[1]
    done = run_bench(
        [
            sys.executable,
            str(root / "benchmarks" / "bench_import.py"),
            "--no-speed",
            "--pages",
            str(tmp_path),
            "--vn-pages",
            "--daniel",
            str(DANIEL),
        ]
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== DAnIEL corpus from" in out and ": 2 pages" in out
    assert "bare trafilatura.extract" in out and "importer (refused = miss)" in out
    assert "Chinese" in out and "English" in out  # per language
    # Per-field table: DAnIEL has no title/authors/date keys.
    table = out[out.index("-- per field, DAnIEL") :].splitlines()
    assert table[2].split()[:4] == ["importer", "—", "—", "—"]


def test_bench_import_refuses_a_folder_that_is_not_daniel(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    done = run_bench(
        [
            sys.executable,
            str(root / "benchmarks" / "bench_import.py"),
            "--no-speed",
            "--pages",
            str(tmp_path),
            "--vn-pages",
            "--daniel",
            str(tmp_path),
        ]
    )
    assert done.returncode == 2
    assert "DAnIEL" in done.stderr and "Traceback" not in done.stderr


def test_bench_import_scores_held_out_pages_per_page_and_per_field(tmp_path: Path) -> None:
    """--heldout-vn DIR with its key: each page's wrong fields, the pages with every field
    right, and each field's count (a synthetic page, keyed once right and once wrong)."""
    root = Path(__file__).resolve().parents[1]
    pages = tmp_path / "pages"
    pages.mkdir()
    page = root / "tests" / "fixtures" / "import" / "site" / "lede-dateline.html"
    shutil.copy(page, pages / "a.html")
    shutil.copy(page, pages / "b.html")
    right = {
        "file": "a.html",
        "title": "Kiểm tra việc thay cây xanh trên các tuyến phố trong 30 ngày",
        "published": "2024-03-23T08:06:00+07:00",
        "authors": [],
        "summary_starts": "Trao đổi với phóng viên, ông Trần Văn Nam",
        "first_paragraph_starts": "Ngày 22-3, chủ tịch thành phố",
        "last_paragraph_starts": "Trong thời gian kiểm tra",
        "paragraph_count": 3,
        "captions": [],
        "clutter": ["TTO -"],
    }
    wrong = {**right, "file": "b.html", "authors": ["Minh Khôi"], "paragraph_count": 4}
    key = tmp_path / "expected.json"
    key.write_text(json.dumps([right, wrong], ensure_ascii=False), encoding="utf-8")
    command = [sys.executable, str(root / "benchmarks" / "bench_import.py"), "--no-speed"]
    command += ["--pages", str(tmp_path), "--vn-pages", "--heldout-vn", str(pages)]
    done = run_bench([*command, "--heldout-key", str(key)])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "a.html: 9/9 fields right" in out
    assert "b.html: 7/9 fields right; wrong: authors, paragraph_count" in out
    assert "== pages with every field right: 1/2" in out
    assert "authors 1/2" in out and "title 2/2" in out and "no_clutter 2/2" in out
    missing = run_bench([*command, "--heldout-key", str(tmp_path / "none.json")])
    assert missing.returncode == 2 and "none.json: no such answer key" in missing.stderr
    assert "Traceback" not in missing.stderr
    (pages / "b.html").unlink()  # the key's pages are not in the repository: one not there
    absent = run_bench([*command, "--heldout-key", str(key)])
    assert absent.returncode == 2 and "first b.html" in absent.stderr, absent.stderr
    assert "README.md says where they are" in absent.stderr and "Traceback" not in absent.stderr


# --- scrapinghub's and readability's sets (tiny synthetic keys in their formats) ---------------


def test_byline_names_reads_a_free_text_byline_as_names() -> None:
    assert importeval.byline_names("By Erin Cunningham") == ["Erin Cunningham"]
    assert importeval.byline_names("by Lucas Nolan22 Dec 2016651") == ["Lucas Nolan"]
    assert importeval.byline_names("By\n\t\tScott Cunningham") == ["Scott Cunningham"]
    assert importeval.byline_names("Written by Rob Ewaschuk\nEdited by Betsy Beyer") == [
        "Rob Ewaschuk"
    ]
    assert importeval.byline_names("Par Sébastien Farcis") == ["Sébastien Farcis"]
    assert importeval.byline_names("Stella Kim, Jennifer Jett") == ["Stella Kim", "Jennifer Jett"]
    assert importeval.byline_names("Ann Lee and Bo Chan") == ["Ann Lee", "Bo Chan"]
    assert importeval.byline_names("By Brenda  Goodman, MA\n WebMD") == ["Brenda Goodman"]
    assert importeval.byline_names("Bradley M. Kuhn (http://ebb.org/bkuhn/)") == ["Bradley M. Kuhn"]
    assert importeval.byline_names("Martin Lee (avec Anne Roy)") == ["Martin Lee"]
    # A label or a date names nobody; so does nothing.
    assert importeval.byline_names("Last Updated: January 7, 2025") is None
    assert importeval.byline_names("April 28, 2019 at 6:01 am") is None
    assert importeval.byline_names(None) is None
    assert importeval.byline_names("By") is None


def test_html_text_separates_blocks_and_drops_scripts() -> None:
    markup = "<div><h2>Head</h2><p>One <b>bold</b> word</p><script>x=1</script><p>Two</p></div>"
    assert importeval.html_text(markup) == "Head\nOne bold word\nTwo"
    assert importeval.html_text("") == ""
    # UTF-8 bytes without a declared charset (readability's expected.html) read as UTF-8.
    assert importeval.html_text("<p>Zázrak jedné sezony</p>".encode()) == "Zázrak jedné sezony"


def test_shingle_scoring_as_scrapinghub_evaluates() -> None:
    reference = "a b c d e"  # shingles abcd, bcde
    assert importeval.shingle_counts(reference, reference) == (1.0, 0.0, 0.0)
    tp, fp, fn = importeval.shingle_counts(reference, "a b c d x")  # abcd right, bcdx extra
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert importeval.shingle_counts(reference, None) == (0.0, 0.0, 1.0)
    precision, recall, f1 = importeval.shingle_scores([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert (precision, recall) == pytest.approx((0.75, 1.0))
    assert f1 == pytest.approx(2 * 0.75 / 1.75)


def test_story_text_leaves_the_title_and_an_unprinted_summary_out() -> None:
    article = Article("Headline", summary="Printed sapo.", blocks=[Block("p", "Body text.")])
    assert importeval.story_text(article, "Headline Printed sapo. Body text.") == (
        "Printed sapo.\nBody text."
    )
    assert importeval.story_text(article, "Headline Body text.") == "Body text."


def synthetic_sets(tmp_path: Path) -> tuple[Path, Path]:
    """A one-page copy of each set, in its own format, from a saved test page."""
    import gzip

    page = Path(__file__).resolve().parent / "fixtures" / "import" / "site" / "lede-dateline.html"
    body = "Ngày 22-3, chủ tịch thành phố"
    shub = tmp_path / "shub"
    (shub / "html").mkdir(parents=True)
    (shub / "html" / "abc.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    truth = {"abc": {"articleBody": body, "url": "https://example.com/a"}}
    (shub / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    readability = tmp_path / "readability" / "test-pages" / "one"
    readability.mkdir(parents=True)
    shutil.copy(page, readability / "source.html")
    (readability / "expected.html").write_text(f"<div><p>{body}</p></div>", encoding="utf-8")
    meta = {"title": "Kiểm tra việc thay cây xanh", "byline": "By Minh Khôi"}
    (readability / "expected-metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    return shub, tmp_path / "readability"


def test_bench_import_scores_scrapinghub_and_readability_folders(tmp_path: Path) -> None:
    shub, readability = synthetic_sets(tmp_path)
    items = list(importeval.readability_items(readability))
    assert [(i.name, i.keys["authors"]) for i in items] == [("one", ["Minh Khôi"])]
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, str(root / "benchmarks" / "bench_import.py"), "--no-speed"]
    command += ["--pages", str(tmp_path), "--vn-pages", "--scrapinghub", str(shub)]
    done = run_bench([*command, "--readability", str(readability)])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== scrapinghub article-extraction-benchmark from" in out
    assert "== readability test pages from" in out and "the set's own scoring" in out
    assert "importer, body w/o Summary" in out
    # readability has title and author keys (one page each); scrapinghub has none.
    assert "-- per field, readability test pages" in out and "title 1, authors 1" in out
    table = out[out.index("-- per field, scrapinghub") :].splitlines()
    assert table[2].split()[:4] == ["importer", "—", "—", "—"]
    bad = run_bench([*command[:-2], "--readability", str(tmp_path)])
    assert bad.returncode == 2 and "readability" in bad.stderr and "Traceback" not in bad.stderr


def test_bench_import_speed_only_times_each_page_against_bare_trafilatura(tmp_path: Path) -> None:
    """--speed-only: CPU ms per page of both sides, the ratio of the sums and the median of
    the per-page ratios, on --pages and on a public set; nothing scored."""
    root = Path(__file__).resolve().parents[1]
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(root / "tests" / "fixtures" / "import" / "site" / "lede-dateline.html", pages)
    done = run_bench(
        [
            sys.executable,
            str(root / "benchmarks" / "bench_import.py"),
            "--speed-only",
            "--rounds",
            "2",
            "--pages",
            str(pages),
            "--daniel",
            str(DANIEL),
        ]
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"== speed, {pages}: 1 pages x 2 rounds, CPU, interleaved, warm" in out
    assert "== speed, DAnIEL (every 1): 2 pages x 1 rounds" in out
    assert out.count("ratio of sums: ") == 2 and out.count("median of per-page ratios: ") == 2
    assert "== DAnIEL corpus from" not in out  # scores nothing


def synthetic_wcxb(tmp_path: Path, split_name: str = "test") -> Path:
    """A one-page WCXB root (<split>/ground-truth/<id>.json, <split>/html/<id>.html.gz), keyed
    by hand from a saved test page."""
    import gzip

    page = Path(__file__).resolve().parent / "fixtures" / "import" / "site" / "lede-dateline.html"
    split = tmp_path / "wcxb" / split_name
    (split / "html").mkdir(parents=True)
    (split / "ground-truth").mkdir()
    (split / "html" / "4001.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    record = {
        "url": "https://example.com/a",
        "file_id": "4001",
        "_internal": {"page_type": {"primary": "article"}},
        "ground_truth": {
            "title": "Kiểm tra việc thay cây xanh",
            "author": "Minh Khôi and Lan Anh",
            "publish_date": "2015-03-22",
            "main_content": "Ngày 22-3, chủ tịch thành phố",
        },
    }
    (split / "ground-truth" / "4001.json").write_text(json.dumps(record), encoding="utf-8")
    return tmp_path / "wcxb"


def test_wcxb_reader_keys_title_authors_date_and_page_type(tmp_path: Path) -> None:
    root = synthetic_wcxb(tmp_path)
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    for folder in (root, root / "test"):  # the benchmark's root or the split itself
        [item] = importeval.wcxb_items(folder, unpacked)
        assert item.name == "4001" and item.group == "article"
        assert item.keys == {
            "title": "Kiểm tra việc thay cây xanh",
            "authors": ["Minh Khôi", "Lan Anh"],
            "date": "2015-03-22",
        }
        assert item.reference == "Ngày 22-3, chủ tịch thành phố"
        assert item.path.read_bytes().startswith(b"<")
    with pytest.raises(FileNotFoundError, match="not WCXB"):
        list(importeval.wcxb_items(tmp_path / "unpacked", unpacked))


def test_wcxb_reader_reads_the_development_split_only_when_asked(tmp_path: Path) -> None:
    root = synthetic_wcxb(tmp_path / "a", "dev")
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    with pytest.raises(FileNotFoundError, match="nor test/"):  # the root's test/ by default
        list(importeval.wcxb_items(root, unpacked))
    [item] = importeval.wcxb_items(root, unpacked, "dev")
    assert item.name == "4001"
    both = synthetic_wcxb(tmp_path / "b", "test").parent
    synthetic_wcxb(tmp_path / "b", "dev")
    dev = json.loads((both / "wcxb" / "dev" / "ground-truth" / "4001.json").read_text())
    dev["_internal"]["page_type"]["primary"] = "listing"
    (both / "wcxb" / "dev" / "ground-truth" / "4001.json").write_text(json.dumps(dev))
    assert [i.group for i in importeval.wcxb_items(both / "wcxb", unpacked)] == ["article"]
    assert [i.group for i in importeval.wcxb_items(both / "wcxb", unpacked, "dev")] == ["listing"]


def test_bench_import_scores_a_wcxb_folder_per_field_and_page_type(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, str(root / "benchmarks" / "bench_import.py"), "--no-speed"]
    command += ["--pages", str(tmp_path), "--vn-pages", "--wcxb"]
    done = run_bench([*command, str(synthetic_wcxb(tmp_path))])
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "== WCXB web content extraction benchmark from" in out and ": 1 pages" in out
    assert "bare trafilatura.extract" in out and "importer (refused = miss)" in out
    assert "-- per field, WCXB" in out and "title 1, authors 1, date 1" in out
    table = out[out.index("-- per field, WCXB") :].splitlines()
    assert [row.split()[0] for row in table[2:4]] == ["importer", "bare"]
    bad = run_bench([*command, str(tmp_path)])
    assert bad.returncode == 2 and "not WCXB" in bad.stderr and "Traceback" not in bad.stderr
    dev = synthetic_wcxb(tmp_path / "dev", "dev")
    done = run_bench([*command, str(dev), "--wcxb-split", "dev"])
    assert done.returncode == 0, done.stderr
    assert "(dev split" in done.stdout and ": 1 pages" in done.stdout
    missing = run_bench([*command, str(dev)])  # the test split by default: not there
    assert missing.returncode == 2 and "nor test/" in missing.stderr


def test_bench_import_writes_the_published_authors_of_every_page(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    out = tmp_path / "authors.tsv"
    command = [sys.executable, str(root / "benchmarks" / "bench_import.py"), "--no-speed"]
    command += ["--pages", str(tmp_path), "--vn-pages", "--wcxb", str(synthetic_wcxb(tmp_path))]
    done = run_bench([*command, "--authors-out", str(out)])
    assert done.returncode == 0, done.stderr
    [line] = out.read_text(encoding="utf-8").splitlines()
    name, page, _authors, key = line.split("\t")
    assert name == "WCXB" and page.endswith("wcxb-4001.html")
    assert key == str(["Minh Khôi", "Lan Anh"])


def test_bench_import_shows_the_text_without_photo_captions(tmp_path: Path) -> None:
    """A key that leaves photo captions out (WCXB's, scrapinghub's articleBody): the body's
    line counts the caption as words not in the key, the line without captions does not."""
    import gzip

    page = Path(__file__).resolve().parent / "fixtures" / "import" / "site" / "photo-pair.html"
    tree = lxml_html.fromstring(page.read_bytes())
    body = "\n".join(p.text_content() for p in tree.iter("p") if not p.get("style"))
    shub = tmp_path / "shub"
    (shub / "html").mkdir(parents=True)
    (shub / "html" / "pair.html.gz").write_bytes(gzip.compress(page.read_bytes()))
    truth = {"pair": {"articleBody": body, "url": "https://baomau.example/a"}}
    (shub / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    root = Path(__file__).resolve().parents[1]
    command = [sys.executable, str(root / "benchmarks" / "bench_import.py"), "--no-speed"]
    done = run_bench([*command, "--pages", str(tmp_path), "--vn-pages", "--scrapinghub", str(shub)])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    with_captions = next(line for line in lines if line.startswith("importer, body w/o Summary"))
    without = next(line for line in lines if line.startswith("  … and w/o photo captions"))
    precision = float(with_captions.split()[-3])
    assert precision < 1.0, with_captions  # the caption's words are not in the key
    assert without.split()[-3:] == ["1.000", "1.000", "1.000"], without


# --- how sure a difference is (paired bootstrap over pages) -------------------------------------


def test_paired_difference_of_equal_extractors_is_zero_whatever_the_draw() -> None:
    pages = [(5, 1, 2, 0), (0, 3, 7, 0), (9, 0, 0, 0)]
    paired = importeval.paired_difference(pages, list(pages), rounds=200)
    assert (paired.difference, paired.low, paired.high) == (0.0, 0.0, 0.0)


def test_paired_difference_better_on_every_page_has_an_interval_above_zero() -> None:
    bare = [(8, 4, 2, 0), (3, 3, 1, 0), (10, 2, 5, 0), (6, 6, 6, 0)] * 5
    ours = [(tp + 1, max(fp - 1, 0), max(fn - 1, 0), tn) for tp, fp, fn, tn in bare]
    paired = importeval.paired_difference(ours, bare, rounds=500)
    assert 0 < paired.low <= paired.difference <= paired.high
    total_ours, total_bare = importeval.Confusion(), importeval.Confusion()
    for page in ours:
        total_ours.add(page)
    for page in bare:
        total_bare.add(page)
    assert paired.difference == pytest.approx(total_ours.f1() - total_bare.f1())


def test_paired_difference_one_page_that_decides_gives_a_wide_interval() -> None:
    # Equal on nine pages; the importer far better on one: the sum says "better", but a
    # sample of pages without that page says "equal", so the interval reaches zero.
    bare = [(10, 0, 0, 0)] * 9 + [(0, 0, 50, 0)]
    ours = [(10, 0, 0, 0)] * 9 + [(50, 0, 0, 0)]
    paired = importeval.paired_difference(ours, bare, rounds=1000)
    assert paired.difference > 0.2
    assert paired.low == 0.0 < paired.high
    precision = importeval.paired_difference(ours, bare, importeval.Confusion.precision, 100)
    assert precision.difference == 0.0


def test_paired_difference_is_repeatable_and_refuses_mismatched_sets() -> None:
    ours = [(3, 1, 0, 0), (1, 2, 3, 0), (4, 0, 1, 0), (0, 0, 2, 0)]
    bare = [(2, 2, 1, 0), (2, 1, 2, 0), (4, 1, 1, 0), (1, 0, 1, 0)]
    first = importeval.paired_difference(ours, bare, rounds=300, seed=7)
    assert importeval.paired_difference(ours, bare, rounds=300, seed=7) == first
    with pytest.raises(ValueError, match="4 pages scored for the importer, 3 for bare"):
        importeval.paired_difference(ours, bare[:3])
    with pytest.raises(ValueError, match="no pages"):
        importeval.paired_difference([], [])
