"""The fingerprint of a list of text tuples (a story's OpenGraph properties) is taken in
one digest: every change of a text, of how the texts are grouped into tuples, of the
list's class, or of what kind of values it holds still changes it."""

from __future__ import annotations

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
