// Small hand-made static indexes (format static-search-4, plugins/static_search/README.md) for the
// engine's unit tests: a few documents whose postings the test writes itself,
// so every score can be worked out by hand. The real exporter's output is
// tested with the committed fixture (tests/js/fixtures/).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

import { StaticSearchIndex, termHash } from "../../theme/static/js/search-engine.js";
import { fold } from "../../theme/static/js/vntext.js";

const SHARD_NAMES = ["aaaaaa", "bbbbbb"];
const CHUNK = "cccccc";
const SHARD_PAGE = "eeeeee"; // the one shard directory page
const CHUNK_PAGE = "ffffff"; // the one chunk directory page

/** The ranking and snippet constants the exporter writes (the fixture's manifest). */
export function fixtureParams() {
  const file = new URL("./fixtures/search-index/manifest.json.gz", import.meta.url);
  return JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")).params;
}

function deltas(ids) {
  let previous = -1;
  return ids.map((id) => {
    const step = id - previous;
    previous = id;
    return step;
  });
}

/** {doc: q} -> the flat syllable postings [Δid, q, …]. */
/** Numbers as characters, as plugins/static_search/export.py number_chars writes them. */
export function numberChars(values) {
  return values
    .map((n) => (n < 0xa000 ? String.fromCharCode(0x30 + n) : String.fromCharCode(0xe000 + Math.floor(n / 0xa000), 0x30 + (n % 0xa000))))
    .join("");
}

/** {doc: q} -> [doc steps, weights] as number characters (export.py encode_postings). */
export function encodeWeighted(byDoc) {
  const ids = Object.keys(byDoc).map(Number).sort((a, b) => a - b);
  return [numberChars(deltas(ids)), numberChars(ids.map((id) => byDoc[id]))];
}

/**
 * A StaticSearchIndex over `count` documents (ids 0..count-1, Whoosh order = id).
 *   terms: {term: {doc: q}}     syllable postings (q = integer weight)
 *   pairs: {"a_b": [doc, ...]}  documents where the pair is adjacent
 *   df:    {term: df}           df when it differs from the postings' count (default: that count)
 *   total: N as the docs table states it (default: count)
 *   stop, stopSpellings: the manifest's folded stop syllables and frequent spellings
 * Returns {index, fetched}: `fetched` lists the files the engine asked for.
 */
export function handIndex({ count, total = count, terms = {}, pairs = {}, df = {}, stop = [], stopSpellings = [], glossary = {}, params, years, days }) {
  const shards = SHARD_NAMES.map(() => ({}));
  const put = (term, entry) => {
    const key = fold(term);
    const shard = shards[termHash(key) % shards.length];
    (shard[key] ||= {})[term] = entry;
  };
  for (const [term, byDoc] of Object.entries(terms)) {
    put(term, [df[term] ?? Object.keys(byDoc).length, ...encodeWeighted(byDoc)]);
  }
  for (const [pair, docs] of Object.entries(pairs)) {
    put(pair, [df[pair] ?? docs.length, numberChars(deltas([...docs].sort((a, b) => a - b)))]);
  }
  const ids = [...Array(count).keys()];
  const files = {
    "manifest.json.gz": {
      format: "static-search-4",
      docs: "docs.dddddd.json.gz",
      chunk_hash: CHUNK.length,
      shard_count: SHARD_NAMES.length,
      shard_page: 256,
      shard_pages: SHARD_PAGE,
      shard_hash: SHARD_NAMES[0].length,
      glossary,
      stop,
      stop_spellings: stopSpellings,
      params,
    },
    "docs.dddddd.json.gz": {
      count,
      total_docs: total,
      years: years || ids.map(() => "2024"),
      days: days || ids.map(() => 1),
      kinds: ids.map(() => "a").join(""),
      models: ids.map(() => "").join(","),
      model_slugs: [],
      model_names: [],
      order: ids.map((id) => (id ? 1 : 0)),
      chunk_span: 1024,
      chunk_pages: CHUNK_PAGE,
    },
    [`d/t0.${SHARD_PAGE}.json.gz`]: SHARD_NAMES.join(""),
    [`d/f0.${CHUNK_PAGE}.json.gz`]: { starts: [0], hashes: CHUNK },
    [`f/0.${CHUNK}.json.gz`]: Object.fromEntries(
      ids.map((id) => [String(id), [`Bài ${id}`, `bai-${id}/`, "2024-01-01", "article", [], `Nội dung ${id}`]]),
    ),
  };
  shards.forEach((shard, i) => (files[`t/${i.toString(16)}.${SHARD_NAMES[i]}.json.gz`] = shard));
  const fetched = [];
  const index = new StaticSearchIndex("", async (name) => {
    fetched.push(name);
    if (!(name in files)) throw new Error(`${name}: no such file in the hand-made index`);
    return structuredClone(files[name]);
  });
  return { index, fetched };
}
