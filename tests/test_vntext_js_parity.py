"""theme/static/js/vntext.js agrees with plugins/lib/tdbvantq/text on real text, not only on
the shared vectors: the seed article, XQuAD-vi paragraphs and saved news pages,
each as typed and decomposed (NFD), run through both implementations."""

from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest

from support import ROOT, SHARED
from tdbvantq import text as vntext

pytestmark = pytest.mark.shared_data

NODE_SCRIPT = """
import { fold, lower, normalize, slugify, tokenize } from "./theme/static/js/vntext.js";
let input = "";
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((text) => ({
  normalize: normalize(text), lower: lower(text), fold: fold(text), slug: slugify(text),
  tokens: tokenize(text).map((t) => [t.start, t.end, t.norm, t.folded, t.isNumber]),
}));
process.stdout.write(JSON.stringify(out));
"""


def real_texts() -> list[str]:
    seed = (ROOT / "content" / "articles" / "2023" / "bam-co-so-xay-dung-phong-trao.md").read_text(
        encoding="utf-8"
    )
    texts = [p for p in seed.split("\n\n") if p.strip()]
    data = json.loads(
        (SHARED / "benchmarks" / "xquad" / "xquad.vi.json").read_text(encoding="utf-8")
    )
    for article in data["data"]:
        for paragraph in article["paragraphs"][:2]:
            texts.append(paragraph["context"])
            texts += [qa["question"] for qa in paragraph["qas"][:3]]
    texts += ["Uỷ ban hoà giải thuỷ lợi, khoẻ mạnh, Ðà Nẵng — quý, giữ gìn, qủa, gìa", "  ...!!!  "]
    # Old-style tone placement and decomposed input: the cases normalization exists for.
    texts += [unicodedata.normalize("NFD", t) for t in texts[:40]]
    return texts


def test_js_mirror_agrees_with_python_on_real_text():
    texts = real_texts()
    done = subprocess.run(
        ["node", "--input-type=module", "-e", NODE_SCRIPT],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout)
    assert len(answers) == len(texts) > 400
    for text, js in zip(texts, answers, strict=True):
        assert js["normalize"] == vntext.normalize(text), text[:60]
        assert js["lower"] == vntext.lower(text), text[:60]
        assert js["fold"] == vntext.fold(text), text[:60]
        assert js["slug"] == vntext.slugify(text), text[:60]
        expected = [[t.start, t.end, t.norm, t.folded, t.is_number] for t in vntext.tokenize(text)]
        assert js["tokens"] == expected, text[:60]
