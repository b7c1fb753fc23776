"""Publication dates as the page gives them (newsimport.published) and as they are written."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from lxml import html

from tdbvantq.importer import page_meta
from tdbvantq.importer.page_parse import Page
from tdbvantq.importer.published import parse_published
from tdbvantq.importer.writer import format_date


def zone(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-08-03T08:57:00-05:00", datetime(2023, 8, 3, 8, 57, tzinfo=zone(-5))),
        ("2023-08-03T23:30:00Z", datetime(2023, 8, 3, 23, 30, tzinfo=UTC)),
        ("2014-09-04 01:28 + 07:00", datetime(2014, 9, 4, 1, 28, tzinfo=zone(7))),
        ("2023-08-03", date(2023, 8, 3)),
        ("03/08/2023", date(2023, 8, 3)),
        ("Thứ Năm, 03/08/2023 08:57", datetime(2023, 8, 3, 8, 57, tzinfo=zone(7))),
        ("Thứ tư, 22/10/2025, 19:25 (GMT+7)", datetime(2025, 10, 22, 19, 25, tzinfo=zone(7))),
        ("22/10/2025 19:25 GMT-3", datetime(2025, 10, 22, 19, 25, tzinfo=zone(-3))),
        ("không phải ngày", None),
    ],
)
def test_parse_published_keeps_the_page_offset(text: str, expected) -> None:
    found = parse_published(text)
    assert found == expected
    if isinstance(expected, datetime):
        assert found.utcoffset() == expected.utcoffset()


def test_written_dates() -> None:
    assert (
        format_date(datetime(2023, 8, 3, 21, 15, 42, tzinfo=zone(-4))) == "2023-08-03 21:15-04:00"
    )
    assert format_date(datetime(2023, 8, 3, 23, 30, tzinfo=UTC)) == "2023-08-03 23:30+00:00"
    assert format_date(date(2023, 8, 3)) == "2023-08-03 00:00+07:00"  # the site requires a time


def page(head: str, body: str = "") -> Page:
    return Page(f"<html><head>{head}</head><body><h1>Tiêu đề</h1>{body}</body></html>", None)


def published(head: str, body: str = ""):
    """The publication date the page's metadata step finds."""
    return page_meta.date(page(head, body))


def test_twelve_hour_metadata_is_corrected_by_the_printed_dateline() -> None:
    found = published(
        '<meta name="pubdate" content="2014-09-04 01:28 + 07:00">',
        '<div class="block_timer">Thứ năm, 4/9/2014 | 13:28 GMT+7</div>',
    )
    assert found == datetime(2014, 9, 4, 13, 28, tzinfo=zone(7))


def test_utc_metadata_is_shown_in_the_offset_the_page_prints() -> None:
    # The metadata says UTC; the JSON-LD prints the same moment in the newsroom's time.
    found = published(
        '<meta property="article:published_time" content="2023-11-09T01:49:09+00:00">'
        '<script type="application/ld+json">{"@type": "NewsArticle",'
        ' "datePublished": "2023-11-08T17:49:09-08:00"}</script>'
    )
    assert found == datetime(2023, 11, 8, 17, 49, 9, tzinfo=zone(-8))
    assert found.utcoffset() == timedelta(hours=-8)


def test_a_day_alone_takes_the_time_of_the_dateline() -> None:
    found = published(
        '<meta property="article:published_time" content="2023-08-03">',
        '<span class="date">Thứ Năm, 03/08/2023 08:57</span>',
    )
    assert found == datetime(2023, 8, 3, 8, 57, tzinfo=zone(7))


def test_the_printed_dateline_settles_metadata_that_disagrees_with_htmldate() -> None:
    # The first version's day in pubdate, the day printed under the headline in
    # "date" and DC.date.issued: htmldate finds the printed day, and it is taken.
    head = (
        '<meta name="date" content="2022-02-04 15:33">'
        '<meta name="pubdate" content="2021-12-14T15:41:07+01:00">'
        '<meta name="DC.date.issued" content="2022-02-04T15:33:00+01:00">'
    )
    found = published(head, '<p class="author">04.02.2022 | 15:33 Uhr</p><p>Text.</p>')
    assert found == datetime(2022, 2, 4, 15, 33, tzinfo=zone(1))
    assert found.utcoffset() == timedelta(hours=1)
    # Printed the metadata's day: the metadata stands.
    found = published(head, '<p class="author">14.12.2021 | 15:41 Uhr</p><p>Text.</p>')
    assert found == datetime(2021, 12, 14, 15, 41, 7, tzinfo=zone(1))


def test_no_date_at_all() -> None:
    assert published("<title>Tiêu đề</title>", "<p>Không có ngày tháng nào ở đây.</p>") is None


def test_page_with_xml_declaration_parses() -> None:
    data = '<?xml version="1.0" encoding="windows-1252"?><html><body><h1>Caf\xe9</h1></body></html>'
    parsed = Page(data.encode("windows-1252"), None)
    assert html.tostring(parsed.tree, encoding="unicode").count("Café") == 1


def test_dates_are_read_in_the_page_language_and_htmldate_is_left_as_it_was() -> None:
    # dateparser reads the declared language (and English) only: quick, and the same day.
    from htmldate import extractors as htmldate_extractors

    from tdbvantq.importer.published import _dateparser_for, page_published

    assert _dateparser_for("ru").get_date_data("12 марта 2018 года")["date_obj"] == datetime(
        2018, 3, 12
    )
    assert _dateparser_for("xx") is None  # a language dateparser lacks: every locale, as before
    original = htmldate_extractors._external_date
    body = "<h1>Titel</h1><p>Text.</p><div class=x><p>Artikel vom 3. März 2020, Redaktion</p></div>"
    for lang in ("de", "xx", "", "de"):
        document = f'<html lang="{lang}"><body>{body}</body></html>'
        assert page_published(Page(document, None), document) == date(2020, 3, 3)
        assert htmldate_extractors._external_date is original
