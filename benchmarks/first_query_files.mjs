// The index files a first query fetches, and their bytes as served (.gz files go as
// they are), for each query on stdin (one JSON string a line): a fresh engine each
// time, as a new browser context. Prints one JSON line per query.
//   node benchmarks/first_query_files.mjs STATIC_INDEX_DIR < queries.jsonl
import { readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";

import { StaticSearchIndex } from "../theme/static/js/search-engine.js";
import { fileLoader, runQuery } from "../tests/js/search_cli.mjs";

const root = new URL(`file://${process.argv[2].replace(/\/?$/, "/")}`);
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const files = [];
  const load = fileLoader(root);
  const index = new StaticSearchIndex("", (name) => {
    files.push([name, statSync(new URL(name, root)).size]);
    return load(name);
  });
  const answer = await runQuery(index, { query: JSON.parse(line), limit: 10 });
  const kinds = {};
  for (const [name, size] of files) {
    const kind = name.startsWith("d/") ? "pages" : name.split(/[/.]/)[0];
    kinds[kind] = (kinds[kind] || 0) + size;
  }
  const bytes = files.reduce((sum, [, size]) => sum + size, 0);
  process.stdout.write(`${JSON.stringify({ query: JSON.parse(line), total: answer.total, files: files.length, bytes, kinds })}\n`);
}
