// The docs table of format static-search-4 (plugins/static_search/export.py _docs_table):
// lists of numbers as string characters, and provinces implied by a commune.
import assert from "node:assert/strict";
import { test } from "node:test";

import { StaticSearchIndex, decodeNumberLists, decodeNumbers } from "../../theme/static/js/search-engine.js";

// The same vectors as tests/test_static_search_docs_table.py.
const VECTORS = [
  [[], ""],
  [[0, 1, 79], "01\u007f"],
  [[80, 40959], "\u0080\ua02f"],
  [[40960, 40965, 1048576], "\ue0010\ue0015\ue019\u6030"],
];

test("numbers as characters decode as the export wrote them", () => {
  for (const [numbers, text] of VECTORS) assert.deepEqual(decodeNumbers(text), numbers);
});

test("one list a document, joined by commas; empty lists stay", () => {
  assert.deepEqual(decodeNumberLists("0,,12", 3), [[0], [], [1, 2]]);
  assert.deepEqual(decodeNumberLists("", 1), [[]]);
  assert.deepEqual(decodeNumberLists("", 0), []);
});

function docsIndex(table) {
  const files = {
    "manifest.json.gz": { format: "static-search-4", docs: "docs.x.json.gz", glossary: {} },
    "docs.x.json.gz": {
      count: 4,
      total_docs: 4,
      years: ["2024", "2024", "2025", ""],
      days: [1, 2, 3, 0],
      kinds: "aaam",
      models: ",0,01,",
      model_slugs: ["a", "b"],
      model_names: ["A", "B"],
      order: [0, 1, 1, 1],
      chunk_span: 256,
      chunk_pages: "",
      ...table,
    },
  };
  return new StaticSearchIndex("", async (name) => structuredClone(files[name]));
}

const PLACES = { place_slugs: ["hue/phong-thai", "hue", "da-nang"], place_names: ["phường Phong Thái", "Huế", "Đà Nẵng"] };

test("a commune's province is added back when the table says it is implied", async () => {
  const docs = await docsIndex({ ...PLACES, places: "0,2,,01", places_imply_provinces: true }).docs();
  assert.deepEqual(docs.models, [[], [0], [0, 1], []]);
  assert.deepEqual(docs.places.map((p) => [...p].sort()), [[0, 1], [2], [], [0, 1]]);
});

test("without the flag, the places are read as written", async () => {
  const docs = await docsIndex({ ...PLACES, places: "0,2,,01", places_imply_provinces: false }).docs();
  assert.deepEqual(docs.places, [[0], [2], [], [0, 1]]);
});

test("a table without places has none", async () => {
  const docs = await docsIndex({}).docs();
  assert.deepEqual(docs.places, [[], [], [], []]);
});
