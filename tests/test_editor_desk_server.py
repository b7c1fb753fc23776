"""decap-server as the desk runs it (editor_desk.localserver): a save replaces the article
(a complete new file renamed over it), never truncating and rewriting it in place, so a
build or a reader never meets an empty or half-written article."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from editor_desk.localserver import decap_server

ENTRY = "content/articles/2026/bai.md"


def persist(api: str, path: str, raw: str) -> dict:
    """Save one entry as the desk does (decap-server's `persistEntry`)."""
    data_file = {"path": path, "raw": raw, "slug": "bai"}
    options = {
        "collectionName": "articles",
        "commitMessage": "Cập nhật bài",
        "useWorkflow": False,
        "status": "draft",
    }
    params = {"branch": "main", "dataFiles": [data_file], "assets": [], "options": options}
    request = urllib.request.Request(
        api,
        data=json.dumps({"action": "persistEntry", "params": params}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


def test_a_save_replaces_the_article_file(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    article = repo / ENTRY
    article.parent.mkdir(parents=True)
    article.write_text("Title: Bài cũ\n\nThân bài cũ.\n", encoding="utf-8")
    article.chmod(0o640)
    before = article.stat().st_ino
    with decap_server(repo, log=tmp_path / "decap-server.log") as api:
        saved = persist(api, ENTRY, "Title: Bài mới\n\nThân bài mới.\n")
    assert saved == {"message": "entry persisted"}
    assert article.read_text(encoding="utf-8") == "Title: Bài mới\n\nThân bài mới.\n"
    assert article.stat().st_ino != before  # renamed over it, not written in place
    assert article.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in article.parent.iterdir()] == ["bai.md"]  # no temporary left
