"""The search tests' corpus: the seed article, real article text and the few
extra real-sentence documents under tests/fixtures/search/, read the way
Pelican and the model catalogue present them to the search_index plugin."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import markdown

from tdbvantq import text as vntext

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "search"
SEED = ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md"
ACRONYMS = ROOT / "content" / "data" / "acronyms.txt"
SYNONYMS = ROOT / "content" / "data" / "synonyms.txt"


def read_source(path: Path) -> tuple[dict[str, str], str]:
    """Header lines `Key: value` up to the first blank line, then the markdown body."""
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    meta = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta, body


def article(path: Path) -> SimpleNamespace:
    meta, body = read_source(path)
    date = dt.datetime.fromisoformat(meta["date"].replace(" ", "T"))
    metadata = {k: v for k, v in meta.items() if k in ("models", "locality", "summary")}
    return SimpleNamespace(
        url=f"{date:%Y}/{meta['slug']}/",
        title=meta["title"],
        content=markdown.markdown(body),
        summary=meta.get("summary", ""),
        metadata=metadata,
        tags=[t.strip() for t in meta.get("tags", "").split(",") if t.strip()],
        date=date,
    )


def model(path: Path) -> SimpleNamespace:
    meta, body = read_source(path)
    return SimpleNamespace(
        slug=meta["slug"],
        name=meta["name"],
        aliases=[a.strip() for a in meta.get("aliases", "").split(";") if a.strip()],
        group=meta.get("group", ""),
        description=body.strip(),
        url=f"mo-hinh/{meta['slug']}/",
        localities=[x.strip() for x in meta.get("localities", "").split(";") if x.strip()],
    )


def articles() -> list[SimpleNamespace]:
    return [article(SEED)] + [article(p) for p in sorted((FIXTURES / "articles").glob("*.md"))]


def models() -> list[SimpleNamespace]:
    return [model(p) for p in sorted((FIXTURES / "models").glob("*.md"))]


# The queries of tests/test_search_ranking.py (each ranking rule), as typed and folded.
RANKING_QUERIES = [
    "dong ho tu quan",
    "đường",
    "duong",
    "hoa giai",
    "hoà giải",
    "hòa giải",
    "dòng họ tự quản",
    "camera",
    "xích lô xe thồ",
    "camera an ninh",
    "Camera an ninh",
    "mắt thần an ninh",
    "dòng họ 3 kỷ cương",
    "tổ liên gia",
    "to lien gia",
    "to lien gia an toan",
    "PCCC",
    "pccc",
    "phòng cháy, chữa cháy",
    "an toàn giao thông",
    "an toan giao thong",
    "TDBVANTQ",
    "Đảng ủy",
    "dang uy",
    "văn hoá",
    "Tổ hòa giải là gì?",
    "tu quan la gi",
    "Camera AI nào tốt?",
    # "trong", "va" are stop syllables here, not the spellings "trọng" and "va" (typed accented).
    "điều quan trọng",
    "trọng tài",
    # Accented misspellings of stop syllables ("trõng", "cũa": in no document) and full-width letters.
    "trõng",
    "cũa",
    "trõng tài",
    "ｃａｍｅｒａ",
    "ＴＤＢＶＡＮＴＱ",
    "quan trong",
    "va chạm",
    # Editors' synonyms (content/data/synonyms.txt) and the phrase-only rule.
    "qua đời",
    "qua doi",
    "chết",
    "phong hien",
    "máy bay",
]


def ranking_queries() -> list[str]:
    questions = json.loads((FIXTURES / "xquad_questions.json").read_text(encoding="utf-8"))
    asked = [item["question"] for item in questions]
    return RANKING_QUERIES + asked + [vntext.fold(q) for q in asked]
