"""editor_desk notes the sources of the published pages (what admin/rules.json may
link to) by their real paths inside the content folder, links followed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from editor_desk.plugin import _published, note_published


def test_published_sources_are_the_resolved_paths_inside_the_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "articles" / "news").mkdir(parents=True)
    (content / "pages").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for path in (
        content / "articles" / "news" / "a.md",
        content / "pages" / "b.md",
        outside / "c.md",
    ):
        path.write_text("x", encoding="utf-8")
    (content / "articles" / "linked.md").symlink_to(content / "pages" / "b.md")
    (content / "articles" / "away.md").symlink_to(outside / "c.md")
    (content / "linked-folder").symlink_to(content / "articles" / "news")
    sources = [
        content / "articles" / "news" / "a.md",
        content / "articles" / "linked.md",  # a link inside: its target's name
        content / "articles" / "away.md",  # a link out of the content: not noted
        content / "linked-folder" / "a.md",
        content / "articles" / ".." / "pages" / "b.md",
        outside / "c.md",
    ]
    generator = SimpleNamespace(
        settings={"PATH": str(content)},
        articles=[SimpleNamespace(source_path=str(path)) for path in sources],
        pages=[SimpleNamespace(source_path="")],
    )
    note_published([generator])
    root = content.resolve()
    expected = {
        Path(path).resolve().relative_to(root).as_posix()
        for path in [*sources, ""]
        if Path(path).resolve().is_relative_to(root)
    }
    assert _published[str(root)] == expected == {"articles/news/a.md", "pages/b.md"}
