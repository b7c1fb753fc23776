"""The fingerprint of a list of text tuples (a story's OpenGraph properties) is taken in
one digest: every change of a text, of how the texts are grouped into tuples, of the
list's class, or of what kind of values it holds still changes it."""

from __future__ import annotations

import copy
import datetime as dt

from pelican.contents import Article
from pelican.settings import DEFAULT_CONFIG

from render_cache.fingerprint import Fingerprints


def digest(value: object) -> bytes:
    return Fingerprints().of(value)


OG = [("og:title", "Bão số 3 đổ bộ"), ("og:type", "article"), ("og:url", "https://x/a.html")]


def test_the_same_texts_give_the_same_digest_in_every_build() -> None:
    assert digest(OG) == digest([tuple(pair) for pair in OG])


def test_any_edited_text_changes_the_digest() -> None:
    for row in range(len(OG)):
        for column in range(2):
            edited = [list(pair) for pair in OG]
            edited[row][column] += " "
            assert digest([tuple(pair) for pair in edited]) != digest(OG), (row, column)


def test_grouping_order_class_and_kinds_of_values_change_the_digest() -> None:
    regrouped = [
        ("og:title",),
        ("Bão số 3 đổ bộ", "og:type"),
        ("article", "og:url", "https://x/a.html"),
    ]
    assert digest(regrouped) != digest(OG)
    assert digest(list(reversed(OG))) != digest(OG)
    assert digest(tuple(OG)) != digest(OG)
    # The same texts as lists, or one of them a number, are other values.
    assert digest([list(pair) for pair in OG]) != digest(OG)
    assert digest([("og:width", "600")]) != digest([("og:width", 600)])
    # Texts joined differently are told apart (each text's length is in the digest).
    assert digest([("ab", "c")]) != digest([("a", "bc")])
    assert digest([("a", "")]) != digest([("a",)])


def story(name: str) -> Article:
    settings = copy.deepcopy(DEFAULT_CONFIG)
    metadata = {"title": f"Tin {name}", "date": dt.datetime(2026, 11, 2, 8, 0)}
    return Article(
        "<p>Nội dung.</p>", metadata=metadata, settings=settings, source_path=f"/{name}.md"
    )


def test_every_story_a_field_points_to_is_walked_whatever_holds_it() -> None:
    # A story in the third value of a dict (its item pairs are made and freed one by one,
    # and their ids reused) or deep in lists and tuples: an edit of its title changes the
    # key of the page that names the first story, as for its neighbours.
    page, first, second, third, deep = (story(name) for name in "abcde")
    page.links = {"first": 1, "second": first, "third": second}
    page.related = [third, ("x", {"y": [deep]})]
    for shown in (first, second, third, deep):
        before = Fingerprints().of(page)
        shown.title += " (sửa)"
        assert Fingerprints().of(page) != before, shown.source_path


def test_a_story_met_twice_or_in_a_cycle_is_digested_the_same_each_build() -> None:
    page, other = story("a"), story("b")
    page.related = [other, other]
    other.related = [page]
    assert Fingerprints().of(page) == Fingerprints().of(page)


def test_a_date_met_again_has_the_digest_it_had_and_another_date_another() -> None:
    """Dates are remembered by object (immutable; a story's is met several times): the
    digest of one met again is the one a new memo makes, and a date of another value
    or zone has another."""
    from datetime import timedelta, timezone

    from pelican.utils import SafeDatetime

    moment = SafeDatetime(2026, 4, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    fingerprints = Fingerprints()
    first = fingerprints.of(moment)
    assert fingerprints.of(moment) == first == Fingerprints().of(moment)
    assert fingerprints.of([moment, moment]) == Fingerprints().of([moment, moment])
    assert fingerprints.copy().of(moment) == first
    for other in (
        moment.replace(minute=1),
        moment.replace(tzinfo=timezone(timedelta(hours=8))),
        SafeDatetime(2026, 4, 1, 8, 0),
    ):
        assert fingerprints.of(other) != first
        assert fingerprints.of(other) == Fingerprints().of(other)
