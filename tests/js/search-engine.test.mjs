// The browser search engine on a committed static index of the ranking tests'
// corpus (tests/js/fixtures/, regenerate: python benchmarks/make_search_fixture.py):
// its top 5, scores and snippets equal the command-line engine's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";

import {
  StaticSearchIndex,
  decodeNumbers,
  dropStopUnits,
  planQuery,
  queryTerms,
  termHash,
} from "../../theme/static/js/search-engine.js";
import { escapeHtml, makeSnippet } from "../../theme/static/js/search-snippet.js";
import { Glossary, fold } from "../../theme/static/js/vntext.js";
import { fileLoader, runQuery } from "./search_cli.mjs";

const fixtures = new URL("./fixtures/", import.meta.url);
const expected = JSON.parse(readFileSync(new URL("search-expected.json", fixtures), "utf8"));
const index = () => new StaticSearchIndex("", fileLoader(new URL("search-index/", fixtures)));

test("top 5, scores and snippets equal the CLI's for every ranking query", async () => {
  const engine = index();
  assert.ok(expected.length >= 40);
  for (const want of expected) {
    const got = await runQuery(engine, { query: want.query, limit: 5 });
    assert.equal(got.total, want.total, want.query);
    assert.deepEqual(got.results.map((r) => r.url), want.results.map((r) => r.url), want.query);
    got.results.forEach((r, i) => {
      assert.ok(Math.abs(r.score - want.results[i].score) < 1e-4, `${want.query}: score`);
      assert.equal(r.snippet, want.results[i].snippet, `${want.query}: snippet`);
    });
  }
});

test("a query fetches only the shards of its terms", async () => {
  const fetched = [];
  const loader = fileLoader(new URL("search-index/", fixtures));
  const engine = new StaticSearchIndex("", (name) => {
    fetched.push(name);
    return loader(name);
  });
  const manifest = await engine.manifest();
  await engine.search("dong ho tu quan");
  const shards = fetched.filter((name) => name.startsWith("t/"));
  assert.ok(shards.length > 0 && shards.length < manifest.shardCount);
  assert.equal(new Set(shards).size, shards.length);
});

test("syllables in most documents are left out of scoring unless nothing else is left", async () => {
  const engine = index();
  const manifest = await engine.manifest();
  assert.ok(manifest.stop.includes("va"));
  assert.ok(manifest.stop_spellings.includes("và"));
  const drop = (plan) => dropStopUnits(plan, manifest.stop, manifest.stop_spellings);
  const plan = planQuery("camera và dòng họ", engine.glossary, manifest.params);
  const kept = drop(plan).units.map((unit) => unit.label);
  assert.deepEqual(kept, ["camera", "dòng", "họ"]);
  assert.deepEqual(queryTerms(drop(plan)).filter((t) => t === "va"), []);
  const onlyStop = planQuery("và", engine.glossary, manifest.params);
  assert.equal(drop(onlyStop).units.length, 1);
});

test("the manifest lists each stop syllable and its frequent spellings, not the rare ones", async () => {
  const manifest = await index().manifest();
  // "trong" is in most of the corpus's documents, "trọng" (quan trọng) in three.
  assert.ok(manifest.stop.includes("trong"));
  assert.ok(manifest.stop_spellings.includes("trong") && !manifest.stop_spellings.includes("trọng"));
  assert.deepEqual(manifest.stop, [...new Set(manifest.stop_spellings.map(fold))].sort());
});

test("the same query in both tone-placement styles gives the same answer", async () => {
  const engine = index();
  const old = await runQuery(engine, { query: "hoà giải", limit: 10 });
  const modern = await runQuery(engine, { query: "hòa giải", limit: 10 });
  assert.ok(old.total > 0);
  assert.deepEqual(old, { ...modern, query: old.query });
});

test("filters and facet counts", async () => {
  const engine = index();
  const all = await engine.search("an ninh");
  const years = new Map(all.facets.years);
  assert.ok(years.size > 1);
  const [year, count] = all.facets.years[0];
  const filtered = await engine.search("an ninh", { year });
  assert.equal(filtered.total, count);
  const [slug, , modelCount] = all.facets.models[0];
  assert.equal((await engine.search("an ninh", { model: slug })).total, modelCount);
});

test("an acronym and its expansion find each other through the index", async () => {
  const engine = index();
  const manifest = await engine.manifest();
  const [acronym, [expansion]] = Object.entries(manifest.glossary)[0];
  const typed = await engine.search(acronym);
  const spelled = await engine.search(expansion);
  assert.ok(typed.total > 0, acronym);
  // The acronym typed is one clause, its index term; spelled out, the acronym joins every unit.
  assert.equal(typed.plan.units.length, 1);
  assert.equal(queryTerms(typed.plan).length, 1);
  assert.ok(spelled.plan.units.every((u) => u.clauses.some((c) => c.folded && c.term === typed.plan.units[0].folded)));
  const found = new Set(spelled.hits.map((h) => h.doc));
  assert.ok(typed.hits.some((h) => found.has(h.doc)));
});

test("hostile queries are plain text: no throw, no markup", async () => {
  const engine = index();
  for (const query of ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "\"*: AND (", "?!…", "a".repeat(10240)]) {
    const got = await runQuery(engine, { query, limit: 3 });
    for (const r of got.results) assert.doesNotMatch(r.snippet.replace(/<\/?mark>/g, ""), /[<>]/);
  }
  assert.equal((await engine.search("!!! ... ???")).total, 0);
});

test("snippets escape everything but <mark>", () => {
  const { highlight } = planQuery("img", new Glossary(), expectedParams());
  const html = makeSnippet('Xem <img src="x" onerror=alert(1)> & img', highlight, /[.,]/);
  assert.equal(html, 'Xem &lt;<mark>img</mark> src=&quot;x&quot; onerror=alert(1)&gt; &amp; <mark>img</mark>');
  assert.equal(escapeHtml("'"), "&#x27;");
});

test("FNV-1a matches the exporter", () => {
  assert.equal(termHash(""), 0x811c9dc5);
  assert.equal(termHash("a"), 0xe40c292c);
  assert.equal(termHash("foobar"), 0xbf9cf968);
});

test("every term of the fixture is in the shard of its folded key, with the documented postings", async () => {
  const engine = index();
  const manifest = await engine.manifest();
  const docs = await engine.docs();
  let syllableTerms = 0;
  let pairTerms = 0;
  for (let shard = 0; shard < manifest.shardCount; shard++) {
    const content = await engine.shard(manifest, shard);
    for (const [key, group] of Object.entries(content)) {
      assert.equal(termHash(key) % manifest.shardCount, shard, key);
      for (const [term, [df, steps, weights]] of Object.entries(group)) {
        const isPair = term.includes(manifest.params.joiner);
        assert.equal(isPair ? term : fold(term), key, term);
        const live = decodeNumbers(steps).length;
        if (isPair) assert.equal(weights, undefined, term);
        else assert.equal(decodeNumbers(weights).length, live, term);
        assert.ok(live >= 1 && live <= df && df <= docs.total, term);
        if (isPair) pairTerms += 1;
        else syllableTerms += 1;
      }
    }
  }
  assert.ok(syllableTerms > 100 && pairTerms > 100);
});

function expectedParams() {
  const data = gunzipSync(readFileSync(new URL("search-index/manifest.json.gz", fixtures)));
  const manifest = JSON.parse(data.toString("utf8"));
  return manifest.params;
}

test("newest first: the same hits by day, ties by score then order; facets unchanged", async () => {
  const { rankAndFacet } = await import("../../theme/static/js/search-engine.js");
  const docs = {
    years: ["2023", "2024", "2024", "", "2024"],
    days: [2023100, 2024005, 2024200, 0, 2024200],
    models: [[0], [], [0], [], []],
    modelSlugs: ["camera"],
    modelNames: ["Camera"],
    order: [0, 1, 2, 3, 4],
  };
  const scores = new Map([[0, 5], [1, 4], [2, 1], [3, 9], [4, 2]]);
  const relevance = rankAndFacet(scores, docs);
  const newest = rankAndFacet(scores, docs, { sort: "newest" });
  assert.deepEqual(relevance.hits.map((h) => h.doc), [3, 0, 1, 4, 2]);
  assert.deepEqual(newest.hits.map((h) => h.doc), [4, 2, 1, 0, 3]);
  assert.deepEqual(newest.facets, relevance.facets);
  assert.equal(newest.total, relevance.total);
});
