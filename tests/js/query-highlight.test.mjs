// The story page's query highlight (theme/static/js/query-highlight.js): which ranges of a
// story's text it marks. It reuses the snippet's matcher, so on a text the snippet shows
// whole, both mark the same words.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";

import { QUERY_PARAM, markRanges, queryHighlight } from "../../theme/static/js/query-highlight.js";
import { makeSnippet } from "../../theme/static/js/search-snippet.js";

const MANIFEST = JSON.parse(
  gunzipSync(readFileSync(new URL("./fixtures/search-index/manifest.json.gz", import.meta.url))).toString("utf8"),
);
const BOUNDARY = new RegExp(MANIFEST.params.boundary);

function marked(query, text, manifest = MANIFEST) {
  const ranges = markRanges(text, queryHighlight(query, manifest), BOUNDARY);
  return ranges.map(([start, end]) => text.slice(start, end));
}

test("the parameter search results add to a story's link", () => {
  assert.equal(QUERY_PARAM, "tu-khoa");
});

test("a syllable typed next to another is marked only where the text has the pair", () => {
  assert.deepEqual(marked("an ninh", "Công an xã giữ an ninh thôn. An ninh ổn định."), ["an ninh", "An ninh"]);
  assert.deepEqual(marked("thắp sáng an ninh", "Công an xã thắp sáng đường quê, giữ an ninh trật tự."),
    ["thắp sáng", "an ninh"]);
});

test("without diacritics, every spelling is marked; with them, the exact one only", () => {
  assert.deepEqual(marked("dong ho", "Dòng họ tự quản; đồng hồ treo tường."), ["Dòng họ", "đồng hồ"]);
  assert.deepEqual(marked("dòng họ", "Dòng họ tự quản; đồng hồ treo tường."), ["Dòng họ"]);
  // No exact spelling in the text: the folded matches are marked.
  assert.deepEqual(marked("dòng họ", "Mô hình đồng hồ."), ["đồng hồ"]);
});

test("a line break splits a pair; syllables joined by spaces are one range", () => {
  assert.deepEqual(marked("an ninh", "giữ an\nninh"), []);
  assert.deepEqual(marked("an ninh", "giữ an  ninh tốt"), ["an  ninh"]);
});

test("an acronym's expansion is marked as the snippets mark it", () => {
  const text = "Đội phòng cháy, chữa cháy của xã và tổ PCCC";
  const highlight = queryHighlight("PCCC", MANIFEST);
  const ranges = markRanges(text, highlight, BOUNDARY).map(([s, e]) => text.slice(s, e));
  const snippet = makeSnippet(text, highlight, BOUNDARY);
  const fromSnippet = [...snippet.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);
  assert.deepEqual(ranges, fromSnippet);
  assert.deepEqual(ranges, ["phòng cháy", "chữa cháy", "PCCC"]); // the index glossary's PCCC
});

test("on a short text the story marks exactly what the snippet marks", () => {
  const cases = [
    ["an ninh", "Công an xã giữ an ninh thôn"],
    ["dong ho tu quan", "Mô hình dòng họ tự quản ở xã, dòng sông và họ hàng"],
    ["camera", "Camera an ninh, camera giao thông và Camera"],
    ["hòa giải", "Tổ hoà giải ở cơ sở; hòa giải viên"],
  ];
  for (const [query, text] of cases) {
    const highlight = queryHighlight(query, MANIFEST);
    const snippet = makeSnippet(text, highlight, BOUNDARY);
    let rebuilt = "";
    let at = 0;
    for (const [start, end] of markRanges(text, highlight, BOUNDARY)) {
      rebuilt += `${text.slice(at, start)}<mark>${text.slice(start, end)}</mark>`;
      at = end;
    }
    rebuilt += text.slice(at);
    assert.equal(rebuilt, snippet, query);
  }
});

test("query text is never markup: ranges index the story's own text", () => {
  const text = "Bài về <b>an ninh</b> & camera";
  const ranges = markRanges(text, queryHighlight('<img src=x onerror="alert(1)"> an ninh', MANIFEST), BOUNDARY);
  assert.deepEqual(ranges.map(([s, e]) => text.slice(s, e)), ["an ninh"]);
  assert.deepEqual(markRanges("", queryHighlight("an ninh", MANIFEST), BOUNDARY), []);
});
