"""The desk's Decap configuration for the development build (`make edit`: local backend)
and the published one (GitHub backend, editorial workflow, no local backend)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.settings import get_settings_from_file

from editor_desk.plugin import SETTINGS, desk_config
from editor_desk.rules import rule_data
from tdbvantq.settings import check_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def rules() -> dict:
    return rule_data(ROOT / "content")


def _settings(name: str) -> dict:
    settings = get_settings_from_file(str(ROOT / name))
    check_settings(settings, [SETTINGS])
    return settings


def test_development_config_uses_the_local_backend(rules: dict) -> None:
    config = desk_config(_settings("pelicanconf.py"), rules)
    assert config["locale"] == "vi"
    assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    assert "publish_mode" not in config  # decap-server's file mode has no editorial workflow
    articles = config["collections"][0]
    assert (articles["folder"], articles["path"], articles["format"]) == (
        "content/articles",
        "{{year}}/{{slug}}",
        "pelican-md",
    )
    assert articles["media_folder"] == "/content/images/{{fields.slug}}"
    assert articles["public_folder"] == "{static}/images/{{fields.slug}}"
    by_name = {f["name"]: f for f in articles["fields"]}
    assert by_name["models"]["widget"] == "select" and by_name["models"]["multiple"] is True
    assert {"label": "Camera an ninh", "value": "Camera an ninh"} in by_name["models"]["options"]
    assert by_name["date"]["format"] == "YYYY-MM-DD HH:mm[+07:00]"
    assert by_name["status"]["options"] == [
        {"label": "Bản nháp", "value": "draft"},
        {"label": "Đăng", "value": "published"},
    ]
    assert by_name["status"]["default"] == "draft"
    assert by_name["summary"]["hint"].startswith("sapo (tóm tắt 1–3 câu)")  # meta_rules' own hint
    assert [c["folder"] for c in config["collections"]] == [
        "content/articles",
        "content/models",
        "content/pages",
    ]
    # "Xem bản hoàn chỉnh" follows the site's own URL settings.
    assert [c["preview_path"] for c in config["collections"]] == [
        "{{year}}/{{filename}}/",
        "mo-hinh/{{filename}}/",
        "{{filename}}/",
    ]


def test_published_config_uses_github_with_the_editorial_workflow(
    rules: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_REPOSITORY", "ban-bien-tap/mohinh")
    monkeypatch.setenv("DESK_AUTH_BASE_URL", "https://desk-auth.example.workers.dev")
    monkeypatch.delenv("DESK_REPO", raising=False)
    config = desk_config(_settings("publishconf.py"), rules)
    assert config["publish_mode"] == "editorial_workflow"
    assert "local_backend" not in config
    backend = config["backend"]
    assert backend["name"] == "github" and backend["repo"] == "ban-bien-tap/mohinh"
    assert backend["base_url"] == "https://desk-auth.example.workers.dev"
    assert backend["auth_endpoint"] == "auth" and backend["branch"] == "main"


def test_a_draft_leaves_no_trace_in_the_desk(tmp_path: Path) -> None:
    """admin/rules.json lists what links may point to: only what the build publishes."""
    import shutil

    from support import run_pelican

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "articles" / "2023" / "bai-nhap-bi-mat.md").write_text(
        "Title: Bài nháp bí mật\nDate: 2023-08-04 08:00+07:00\nAuthor: Hà Thu\nCategory: Tin tức\n"
        "Slug: bai-nhap-bi-mat\nSummary: Một bài nháp chưa được đăng, tên tệp không được lộ ra.\n"
        "Status: draft\n\nNội dung nháp.\n",
        encoding="utf-8",
    )
    output = tmp_path / "output"
    built = run_pelican(content, output, extra={"SEARCH_INDEX_DIR": str(tmp_path / "index")})
    assert built.returncode == 0, built.stdout + built.stderr
    rules = (output / "admin" / "rules.json").read_text(encoding="utf-8")
    assert "bai-nhap-bi-mat" not in rules
    assert "articles/2023/bam-co-so-xay-dung-phong-trao.md" in rules
