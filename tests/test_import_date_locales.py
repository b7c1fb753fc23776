"""dateparser over every locale with the locales that cannot read a string's letters
skipped (`tdbvantq.importer.date_locales`): the same answers as htmldate's own parser."""

from __future__ import annotations

import pytest
from dateparser import DateDataParser
from dateparser.languages.loader import default_loader
from htmldate.extractors import get_external_parser

from tdbvantq.importer import date_locales, published

# Strings as htmldate hands them to dateparser on pages that declare no language: dates
# in several scripts that some locale reads, and date-like texts that none reads.
STRINGS = [
    "12 марта 2019 г.",
    "2019年3月12日",
    "2019年3月12日 10:20",
    "Δημοσίευση: 12 Μαρτίου 2019",
    "12 Μαρτίου 2019",
    "opublikowano 12 marca 2019 10:20",
    "12 marca 2019",
    "Posted on March 12, 2019",
    "March 12, 2019",
    "Tuesday 12 - 2019 foo",
    "12. März 2019",
    "Aktualizacja: 12.03.2019 19:00",
    "12/03/2019 10:00 CET",
    "Thứ Ba, 12/03/2019 10:20",
    "12 tháng 3 năm 2019",
    "١٢ مارس ٢٠١٩",
    "12 de marzo de 2019",
    "le 12 mars 2019 à 10h20",
    "2019. március 12.",
    "12 Mart 2019 Salı",
]


@pytest.fixture(scope="module")
def parsers() -> tuple[DateDataParser, DateDataParser]:
    return get_external_parser(), published._all_locales()


@pytest.mark.parametrize("text", STRINGS)
def test_same_answer_as_every_locale(parsers, text: str) -> None:
    full, fast = parsers
    expected, found = full.get_date_data(text), fast.get_date_data(text)
    assert (found.date_obj, found.locale) == (expected.date_obj, expected.locale)


def test_a_skipped_locale_could_not_have_read_the_string(parsers) -> None:
    """The filter only says "no" where dateparser's own test says "no"."""
    _full, fast = parsers
    skipped = 0
    for locale in default_loader.get_locales():
        for text in STRINGS:
            if not date_locales._may_read(date_locales._alphabet(locale, fast._settings), text):
                skipped += 1
                assert not DateDataParser._is_applicable_locale(fast, locale, text), (
                    locale.shortname,
                    text,
                )
    assert skipped > len(STRINGS) * 50  # most locales are skipped for most strings


def test_letters_of_another_script_skip_a_locale(parsers) -> None:
    _full, fast = parsers
    german = default_loader.get_locale("de")
    greek = default_loader.get_locale("el")
    text = "Δημοσίευση: 12 Μαρτίου 2019"
    assert not date_locales._may_read(date_locales._alphabet(german, fast._settings), text)
    assert date_locales._may_read(date_locales._alphabet(greek, fast._settings), text)
