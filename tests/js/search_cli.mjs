// Run the browser search engine under Node against an exported static index.
//   node tests/js/search_cli.mjs STATIC_INDEX_DIR < queries.jsonl
// Each input line: {"query": "...", "model": "", "year": "", "place": "", "sort": "relevance", "limit": 5};
// each output line: {"query", "total", "results": [{url, title, score, snippet}]}.
// Used by the Python parity tests (tests/test_static_search.py) and the fixture tests.
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { gunzipSync } from "node:zlib";

import { StaticSearchIndex } from "../../theme/static/js/search-engine.js";
import { makeSnippet } from "../../theme/static/js/search-snippet.js";

/** Loader reading index files from a folder (what fetch + DecompressionStream do in the browser). */
export function fileLoader(root) {
  return async (name) => {
    const data = readFileSync(new URL(name, root));
    return JSON.parse(name.endsWith(".gz") ? gunzipSync(data).toString("utf8") : data.toString("utf8"));
  };
}

export async function runQuery(index, { query, model = "", year = "", place = "", sort = "relevance", limit = 5 }) {
  const manifest = await index.manifest();
  const found = await index.search(query, { model, year, sort, place });
  const top = found.hits.slice(0, limit);
  const fragments = await index.fragments(top.map((hit) => hit.doc));
  const boundary = new RegExp(manifest.params.boundary);
  return {
    query,
    total: found.total,
    results: top.map((hit, i) => ({
      url: fragments[i].url,
      title: fragments[i].title,
      score: hit.score,
      snippet: makeSnippet(fragments[i].text, found.plan.highlight, boundary),
    })),
    facets: found.facets,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL(`file://${process.argv[2].replace(/\/?$/, "/")}`);
  const index = new StaticSearchIndex("", fileLoader(root));
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (!line.trim()) continue;
    process.stdout.write(`${JSON.stringify(await runQuery(index, JSON.parse(line)))}\n`);
  }
}
