"""safe_html.known_clean: HTML the sanitizer gave back unchanged at the last build is not
cleaned again, and only under the same policy; HTML it changed is cleaned and reported at
every build; a rebuild publishes what a cold build publishes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from safe_html import known_clean
from support import build_with_caches
from support.newsroom import NOW, write_newsroom_content

YOUTUBE = "www.youtube-nocookie.com"
VIDEO = f'<iframe src="https://{YOUTUBE}/embed/abc"></iframe>'


def test_digests_are_read_back_only_under_the_policy_they_were_made_with(
    tmp_path: Path,
) -> None:
    path = tmp_path / known_clean.FILE_NAME
    fingerprint = known_clean.policy_fingerprint(())
    first = known_clean.KnownClean(path, fingerprint)
    assert first.known == set()
    first.seen = {known_clean.digest_of("<p>a</p>", {}), known_clean.digest_of("<p>b</p>", {})}
    first.save()
    assert known_clean.KnownClean(path, fingerprint).known == first.seen
    # Another policy (trusted iframe hosts), or a damaged file: nothing is known.
    other = known_clean.policy_fingerprint((YOUTUBE,))
    assert other != fingerprint and known_clean.KnownClean(path, other).known == set()
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))
    assert known_clean.KnownClean(path, fingerprint).known == set()


def test_a_digest_tells_the_body_from_its_fields() -> None:
    assert known_clean.digest_of("ab", {}) != known_clean.digest_of("a", {"b": ""})
    assert known_clean.digest_of("a", {"x": "b"}) != known_clean.digest_of("a", {"y": "b"})
    assert known_clean.digest_of("a", {"x": "1", "y": "2"}) == known_clean.digest_of(
        "a", {"y": "2", "x": "1"}
    )


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_newsroom_content(tmp_path / "content")
    return tmp_path


def story(site: Path, name: str, body: str) -> Path:
    path = site / "content" / "articles" / "2026" / f"{name}.md"
    path.write_text(f"Title: {name}\nDate: 2026-03-01 08:00+07:00\n\n{body}\n", "utf-8")
    return path


def build(site: Path, name: str, *extra: str):  # noqa: ANN201 - CompletedProcess
    return build_with_caches(site, name, *extra, cache="cache", now=NOW)


def test_html_clean_under_one_policy_is_cleaned_again_under_another(site: Path) -> None:
    story(site, "nhung-video", f"Đoạn mở đầu.\n\n{VIDEO}")
    trusted = build(site, "one", f"STRICT_CONTENT_IFRAME_HOSTS={json.dumps([YOUTUBE])}")
    assert trusted.returncode == 0, trusted.stderr
    assert (site / "cache" / known_clean.FILE_NAME).exists()
    page = next((site / "one").rglob("nhung-video/index.html")).read_text("utf-8")
    assert f"{YOUTUBE}/embed/abc" in page
    # The same body, with no host trusted: the iframe is refused, not taken as known clean.
    refused = build(site, "two")
    assert refused.returncode == 1 and "nhung-video.md:6:" in refused.stderr, refused.stderr


def test_what_the_sanitizer_removes_is_reported_at_every_build(site: Path) -> None:
    story(site, "co-ma", "Đoạn một.\n\n<script>alert(1)</script>\n\nĐoạn hai.")
    for name in ("one", "two"):  # the second build reads the first's known-clean digests
        result = build(site, name, "STRICT_CONTENT=false")
        assert result.returncode == 0, result.stderr
        assert "co-ma.md:6:" in result.stderr, result.stderr
        page = next((site / name).rglob("co-ma/index.html")).read_text("utf-8")
        assert "alert(1)" not in page and "Đoạn hai." in page
