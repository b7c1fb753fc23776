// The phrase-only rule of the browser engine against the shared vectors
// (tests/vectors/phrase_only.json), the file tests/test_search_synonyms.py runs
// against vnsearch.scoring.phrase_only.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { phraseOnly } from "../../theme/static/js/search-engine.js";

const vectors = JSON.parse(readFileSync(new URL("../vectors/phrase_only.json", import.meta.url), "utf8"));
const params = { phraseOnlyUnits: vectors.phraseOnlyUnits, phraseOnlyMaxDocs: vectors.phraseOnlyMaxDocs };

for (const c of vectors.cases) {
  test(c.name, () => {
    const adjacent = new Map(Object.entries(c.adjacent).map(([doc, n]) => [Number(doc), n]));
    assert.deepEqual(phraseOnly(c.units, c.pairs, adjacent, new Set(c.synonym), c.docs, params), c.kept);
  });
}
