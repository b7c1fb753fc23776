// The browser engine's pieces on small hand-made indexes (tests/js/hand_index.mjs):
// posting decoding, the query plan (units, clauses, pairs, acronyms), the scoring
// formula (plugins/lib/tdbvantq/search/README.md, "Ranking") worked out by hand, and each ranking knob flipped to show
// the order change it makes.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  decodePairPostings,
  decodeWeightedPostings,
  dropStopUnits,
  idf,
  planQuery,
  queryTerms,
} from "../../theme/static/js/search-engine.js";
import { makeSnippet } from "../../theme/static/js/search-snippet.js";
import { Glossary, parseGlossary } from "../../theme/static/js/vntext.js";
import { encodeWeighted, fixtureParams, handIndex } from "./hand_index.mjs";

const PARAMS = fixtureParams();
const GLOSSARY = parseGlossary(
  "ANTT = an ninh trật tự\nBĐBP = Bộ đội Biên phòng\nPCCC = phòng cháy, chữa cháy\nTP = thành phố\n",
);

async function ranked(index, query) {
  const found = await index.search(query);
  return found.hits.map((hit) => hit.doc);
}

async function scoreOf(index, query, doc) {
  const found = await index.search(query);
  return found.hits.find((hit) => hit.doc === doc)?.score;
}

test("syllable postings are doc steps from id −1 and weights, pair postings doc steps, as characters", () => {
  // "1" is 1, "8" is 8, "C" is 19, "\ue001" + "0" is 40960 (export.py number_chars).
  assert.deepEqual(decodeWeightedPostings("121", "83C"), { docs: [0, 2, 3], weights: [8, 3, 19] });
  assert.deepEqual(decodeWeightedPostings("", ""), { docs: [], weights: [] });
  assert.deepEqual(decodePairPostings("113"), [0, 1, 4]);
  assert.deepEqual(decodePairPostings("5"), [4]);
  assert.deepEqual(decodePairPostings("1\ue0010"), [0, 40960]);
  assert.deepEqual(encodeWeighted({ 3: 19, 0: 8, 2: 3 }), ["121", "83C"]);
});

test("an accented query: exact clause (weight E) then folded clause, per distinct syllable", () => {
  const plan = planQuery("Dòng họ, dòng", new Glossary(), PARAMS);
  assert.equal(plan.accented, true);
  assert.deepEqual(
    plan.units.map((u) => [u.label, u.clauses]),
    [
      ["dòng", [{ term: "dòng", folded: false, weight: PARAMS.E }, { term: "dong", folded: true, weight: 1 }]],
      ["họ", [{ term: "họ", folded: false, weight: PARAMS.E }, { term: "ho", folded: true, weight: 1 }]],
    ],
  );
  assert.deepEqual(plan.pairs, ["dong_ho"]); // not "ho_dong": a comma is between them
  assert.deepEqual(queryTerms(plan), ["dòng", "dong", "họ", "ho", "dong_ho"]);
});

test("an unaccented query: folded clauses only; units and pairs are distinct, in query order", () => {
  const plan = planQuery("an ninh AN NINH trat tu", new Glossary(), PARAMS);
  assert.equal(plan.accented, false);
  assert.deepEqual(plan.units.map((u) => u.label), ["an", "ninh", "trat", "tu"]);
  assert.ok(plan.units.every((u) => u.clauses.length === 1 && u.clauses[0].folded));
  assert.deepEqual(plan.pairs, ["an_ninh", "ninh_an", "ninh_trat", "trat_tu"]);
  // A syllable typed with diacritics elsewhere in the query makes every unit accented.
  const mixed = planQuery("an ninh trật tự", new Glossary(), PARAMS);
  assert.deepEqual(mixed.units[0].clauses.map((c) => c.term), ["an", "an"]);
  assert.deepEqual(mixed.units[0].clauses.map((c) => c.folded), [false, true]);
});

test("an expansion typed gives each unit of its run the folded acronym, once", () => {
  const plan = planQuery("an ninh trật tự, an ninh trật tự", GLOSSARY, PARAMS);
  for (const unit of plan.units) {
    assert.deepEqual(unit.clauses.at(-1), { term: "antt", folded: true, weight: 1 }, unit.label);
    assert.equal(unit.clauses.filter((c) => c.term === "antt").length, 1, unit.label);
  }
  // The acronym's lowercase form has "đ": the clause holds its folded form.
  const border = planQuery("bo doi bien phong", GLOSSARY, PARAMS);
  assert.ok(border.units.every((u) => u.clauses.some((c) => c.term === "bdbp" && c.folded)));
  assert.ok(border.highlight.folded.has("bdbp"));
  // Only the units of the run, and only runs of at most maxAcronymRun syllables.
  const partial = planQuery("camera an ninh trat tu", GLOSSARY, PARAMS);
  assert.deepEqual(partial.units[0].clauses, [{ term: "camera", folded: true, weight: 1 }]);
  const short = planQuery("an ninh trat tu", GLOSSARY, { ...PARAMS, maxAcronymRun: 3 });
  assert.ok(short.units.every((u) => u.clauses.length === 1));
});

test("expansions that fold alike give the acronym listed first", () => {
  const glossary = parseGlossary("BV = bảo vệ\nBVE = Bao Ve\n");
  const plan = planQuery("bao ve", glossary, PARAMS);
  assert.deepEqual(plan.units.map((u) => u.clauses.at(-1).term), ["bv", "bv"]);
});

test("an acronym typed needs no clause of its expansion, but its expansion is highlighted", () => {
  const plan = planQuery("PCCC", GLOSSARY, PARAMS);
  assert.deepEqual(plan.units.map((u) => u.clauses), [[{ term: "pccc", folded: true, weight: 1 }]]);
  assert.deepEqual(queryTerms(plan), ["pccc"]);
  assert.deepEqual([...plan.highlight.bigrams].sort(), ["chua_chay", "phong_chay"]); // not across the comma
  const boundary = new RegExp(PARAMS.boundary);
  const snippet = makeSnippet("Đội phòng cháy, chữa cháy của xã.", plan.highlight, boundary);
  assert.equal(snippet, "Đội <mark>phòng cháy</mark>, <mark>chữa cháy</mark> của xã"); // a snippet ends with its last syllable
  assert.ok(planQuery("TP", GLOSSARY, PARAMS).highlight.bigrams.has("thanh_pho"));
});

test("a syllable typed next to another is highlighted only as part of its pair", () => {
  const plan = planQuery("an ninh", new Glossary(), PARAMS);
  const html = makeSnippet("Công an xã giữ an ninh thôn.", plan.highlight, new RegExp(PARAMS.boundary));
  assert.equal(html, "Công an xã giữ <mark>an ninh</mark> thôn");
});

test("a long text is cut around its match, whatever script comes before it", () => {
  const plan = planQuery("dong ho", new Glossary(), PARAMS);
  const filler = "Người dân trong xã cùng nhau giữ gìn vệ sinh môi trường. ".repeat(30);
  for (const before of ["한국어 문장 ".repeat(30), "q\u0301 ".repeat(40)]) {
    const text = `${before}${filler}Mô hình dòng họ tự quản ra đời. ${filler}`;
    assert.ok(text.length > PARAMS.snippet.focusChars);
    const html = makeSnippet(text, plan.highlight, new RegExp(PARAMS.boundary));
    assert.match(html, /^… .*<mark>dòng họ<\/mark>/);
  }
});

test("stop syllables are left out of the plan unless nothing else is left", () => {
  const plan = planQuery("camera và dòng họ", new Glossary(), PARAMS);
  const kept = dropStopUnits(plan, ["va"], ["và"]);
  assert.deepEqual(kept.units.map((u) => u.label), ["camera", "dòng", "họ"]);
  assert.ok(!queryTerms(kept).includes("và") && !queryTerms(kept).includes("va"));
  assert.deepEqual(kept.pairs, plan.pairs); // pairs stay
  assert.equal(dropStopUnits(planQuery("và", new Glossary(), PARAMS), ["va"], ["và"]).units.length, 1);
});

test("an accented syllable whose folded form is a stop syllable is scored on its own spelling", () => {
  const stop = (query) => dropStopUnits(planQuery(query, new Glossary(), PARAMS), ["duoc"], ["được"]);
  // "dược" is kept with its exact clause only; "được" (a frequent spelling) is dropped.
  assert.deepEqual(
    stop("Dược sĩ được").units.map((u) => [u.label, u.clauses]),
    [
      ["dược", [{ term: "dược", folded: false, weight: PARAMS.E }]],
      ["sĩ", [{ term: "sĩ", folded: false, weight: PARAMS.E }, { term: "si", folded: true, weight: 1 }]],
    ],
  );
  assert.deepEqual(queryTerms(stop("Dược sĩ")), ["dược", "sĩ", "si", "duoc_si"]);
  // Without diacritics the folded syllable is ambiguous: dropped, as before.
  assert.deepEqual(stop("duoc si").units.map((u) => u.label), ["si"]);
  // Only stop-like units: all kept with every clause; a rare spelling alone is kept exact.
  assert.equal(stop("được").units[0].clauses.length, 2);
  assert.deepEqual(stop("dược").units[0].clauses.map((c) => c.term), ["dược"]);
});

test("switching the rule off loses the accented rare word: its document is no longer first", async () => {
  // N = 10: "được" in 8 documents (a stop syllable), "dược" in documents 8 and 9.
  const terms = {
    "được": { 0: 8, 1: 8, 2: 8, 3: 8, 4: 8, 5: 8, 6: 8, 7: 8 },
    "dược": { 8: 8, 9: 8 },
    "sĩ": { 1: 24, 9: 8 },
  };
  const rule = handIndex({ count: 10, terms, stop: ["duoc"], stopSpellings: ["được"], params: PARAMS }).index;
  // Off: every spelling of "duoc" counted as frequent, the old rule.
  const off = handIndex({ count: 10, terms, stop: ["duoc"], stopSpellings: ["được", "dược"], params: PARAMS }).index;
  assert.deepEqual(await ranked(rule, "dược sĩ"), [9]);
  assert.deepEqual(await ranked(off, "dược sĩ"), [1, 9]);
  // The kept unit reads only its own spelling's postings: "được" documents score nothing.
  assert.deepEqual(await ranked(rule, "dược"), [8, 9]);
  // An accented misspelling of the stop syllable, in no document, alone: the word is found.
  assert.equal((await ranked(rule, "đuợc")).length, 10);
  assert.deepEqual((await ranked(rule, "đuợc")).slice(0, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
  // Beside a word, the misspelling is still left out (only "sĩ" matches).
  assert.deepEqual(await ranked(rule, "đuợc sĩ"), await ranked(rule, "sĩ"));
  assert.deepEqual(await ranked(rule, "duoc si"), await ranked(off, "duoc si"));
});

test("scores are the formula of the spec, worked out by hand", async () => {
  // 8 documents with postings, N = 10 and a df above the postings' count: the engine takes
  // df and N as the index states them (the export writes live counts, tdbvantq.search's).
  const { index } = handIndex({
    count: 8,
    total: 10,
    terms: { "đảng": { 0: 8 }, "đang": { 0: 4, 1: 16 }, "ủy": { 0: 12, 2: 3 } },
    df: { "đảng": 2 },
    pairs: { dang_uy: [0] },
    params: PARAMS,
  });
  const { K1, weightScale: scale, E, C, Q } = PARAMS;
  const bm25 = (weight, df, q) => weight * idf(10, df) * (q / scale) * (K1 + 1) / (q / scale + K1);
  // Folded query: the spellings of "dang" add up (q 8 + 4 for doc 0; df 2 + 2).
  assert.ok(Math.abs((await scoreOf(index, "dang", 0)) - bm25(1, 4, 12)) < 1e-12);
  assert.ok(Math.abs((await scoreOf(index, "dang", 1)) - bm25(1, 4, 16)) < 1e-12);
  // Accented: the exact spelling scores again with weight E.
  assert.ok(Math.abs((await scoreOf(index, "đảng", 0)) - (bm25(E, 2, 8) + bm25(1, 4, 12))) < 1e-12);
  // Two units, one pair: doc 0 holds both and the pair; doc 2 only "ủy"; doc 1 only "dang".
  const full = (bm25(1, 4, 12) + bm25(1, 2, 12)) * 1 ** C * (1 + Q * 1);
  assert.ok(Math.abs((await scoreOf(index, "dang uy", 0)) - full) < 1e-12);
  // Every unit is needed when some document has them all (two units ≤ msmAllUnits).
  assert.deepEqual(await ranked(index, "dang uy"), [0]);
  // Without such a document, each one matching a unit is kept, its share below 1.
  const scattered = handIndex({ count: 3, total: 10, terms: { dang: { 1: 8 }, uy: { 2: 8 } }, params: PARAMS });
  const share = idf(10, 1) / (idf(10, 1) + idf(10, 1)); // unit weights: idf of the documents matched
  const alone = bm25(1, 1, 8) * share ** C;
  assert.ok(Math.abs((await scoreOf(scattered.index, "dang uy", 1)) - alone) < 1e-12);
});

test("knob Q: the query as a phrase beats the same words apart", async () => {
  const make = (Q) =>
    handIndex({
      count: 3,
      terms: { dong: { 0: 8, 1: 8, 2: 8 }, ho: { 0: 8, 1: 8, 2: 8 }, tu: { 0: 8, 1: 8, 2: 8 } },
      pairs: { dong_ho: [1, 2], ho_tu: [2] },
      // The phrase-only rule off: it would drop doc 0, which holds no pair.
      params: { ...PARAMS, Q, phraseOnlyUnits: 0 },
    }).index;
  // Doc 2 has both pairs adjacent, doc 1 one of two, doc 0 none.
  assert.deepEqual(await ranked(make(1), "dong ho tu"), [2, 1, 0]);
  const phrase = await make(1).search("dong ho tu");
  const [s2, s1, s0] = phrase.hits.map((h) => h.score);
  assert.ok(Math.abs(s1 / s0 - 1.5) < 1e-12 && Math.abs(s2 / s0 - 2) < 1e-12);
  // Q = 0: word order no longer counts; equal scores keep Whoosh's order.
  assert.deepEqual(await ranked(make(0), "dong ho tu"), [0, 1, 2]);
});

test("knob C: a document with all the syllables beats one with most of them", async () => {
  // Doc 0: a, b, c, d once each; doc 1: a, b, c three times as strongly, no d.
  const make = (C) =>
    handIndex({
      count: 10,
      terms: { a: { 0: 8, 1: 24 }, b: { 0: 8, 1: 24 }, c: { 0: 8, 1: 24 }, d: { 0: 8 } },
      params: { ...PARAMS, C, K1: 1.2, weightScale: 8, msmAllUnits: 3, msmNoUnits: 6 },
    }).index;
  assert.deepEqual(await ranked(make(0.5), "a b c d"), [0, 1]);
  assert.deepEqual(await ranked(make(0), "a b c d"), [1, 0]);
});

test("minimum should match: noise matching a minor part of the query is dropped", async () => {
  const terms = { to: { 0: 8, 1: 80 }, lien: { 0: 8, 2: 8 }, gia: { 0: 8, 2: 8 } };
  const { index } = handIndex({ count: 5, terms, params: PARAMS });
  assert.deepEqual(await ranked(index, "to lien gia"), [0]);
  // Four units: the bar is the best share × (msmNoUnits − 4) / (msmNoUnits − msmAllUnits).
  const four = handIndex({
    count: 6,
    terms: { ...terms, xa: { 0: 8, 2: 8, 3: 8 } },
    params: { ...PARAMS, msmAllUnits: 3, msmNoUnits: 6 },
  }).index;
  assert.deepEqual((await ranked(four, "to lien gia xa")).sort(), [0, 2]);
  const loose = handIndex({
    count: 6,
    terms: { ...terms, xa: { 0: 8, 2: 8, 3: 8 } },
    params: { ...PARAMS, msmAllUnits: 3, msmNoUnits: 4 },
  }).index;
  assert.deepEqual((await ranked(loose, "to lien gia xa")).sort(), [0, 1, 2, 3]);
});

test("knob E: the exact diacritics score above a folded coincidence", async () => {
  // Doc 0 writes "đang", doc 1 "đảng", as strongly.
  const make = (E) =>
    handIndex({ count: 4, terms: { "đang": { 0: 8 }, "đảng": { 1: 8 } }, params: { ...PARAMS, E } }).index;
  assert.deepEqual(await ranked(make(1), "đảng"), [1, 0]);
  assert.deepEqual(await ranked(make(1), "đang"), [0, 1]);
  assert.deepEqual(await ranked(make(0), "đảng"), [0, 1]); // E = 0: a tie, Whoosh's order
  assert.deepEqual(await ranked(make(1), "dang"), [0, 1]); // typed without diacritics: a tie
});

test("an acronym typed finds the documents the index gave it to", async () => {
  const { index, fetched } = handIndex({
    count: 3,
    terms: { antt: { 2: 8 }, an: { 1: 8, 2: 8 }, ninh: { 2: 8 } },
    glossary: { ANTT: ["an ninh trật tự"] },
    params: PARAMS,
  });
  assert.deepEqual(await ranked(index, "ANTT"), [2]);
  assert.equal(fetched.filter((name) => name.startsWith("t/")).length, 1);
});

test("an index of another format is refused with a message naming it", async () => {
  const { index } = handIndex({ count: 1, params: PARAMS });
  const manifest = await index.loader("manifest.json.gz");
  const old = new index.constructor("", async (name) =>
    name === "manifest.json.gz" ? { ...manifest, format: "static-search-1" } : index.loader(name),
  );
  await assert.rejects(old.search("dang"), /static-search-1.*static-search-4/);
});

test("question words are not units; their pairs stay; capitals are an acronym", () => {
  const plan = planQuery("Tổ hòa giải là gì?", new Glossary(), PARAMS);
  assert.deepEqual(plan.units.map((u) => u.label), ["tổ", "hòa", "giải"]);
  assert.deepEqual(plan.pairs, ["to_hoa", "hoa_giai", "giai_la", "la_gi"]);
  // Without diacritics: frames by folded syllables, "gi" and "nao" alone.
  assert.deepEqual(planQuery("tu quan la gi", new Glossary(), PARAMS).units.map((u) => u.label), ["tu", "quan"]);
  assert.deepEqual(planQuery("o dau co camera nao", new Glossary(), PARAMS).units.map((u) => u.label), ["co", "camera"]);
  assert.deepEqual(planQuery("dau tu", new Glossary(), PARAMS).units.map((u) => u.label), ["dau", "tu"]);
  assert.deepEqual(planQuery("Camera AI nào tốt?", new Glossary(), PARAMS).units.map((u) => u.label), ["camera", "ai", "tốt"]);
  // A frame broken by punctuation is not a frame; a query of question words only keeps them.
  assert.deepEqual(planQuery("bao, nhieu", new Glossary(), PARAMS).units.map((u) => u.label), ["bao", "nhieu"]);
  assert.deepEqual(planQuery("bao nhiêu", new Glossary(), PARAMS).units.map((u) => u.label), ["bao", "nhiêu"]);
  // Without the manifest's lists, every syllable is a unit.
  const none = { ...PARAMS, questionWords: [], questionFrames: [], foldedQuestionWords: [] };
  assert.deepEqual(planQuery("tu quan la gi", new Glossary(), none).units.map((u) => u.label), ["tu", "quan", "la", "gi"]);
});

test("an editors' synonym typed gives each unit of its run the rule's term (weight S), once", () => {
  const synonyms = [{ term: "~chet|qua-doi|tu-vong", left: ["chet", "qua doi", "tu vong"], right: ["chet", "qua doi", "tu vong"] }];
  for (const query of ["qua đời", "qua doi"]) {
    const plan = planQuery(query, GLOSSARY, PARAMS, synonyms);
    assert.equal(plan.units.length, 2);
    for (const unit of plan.units) {
      const added = unit.clauses.filter((c) => c.synonym);
      assert.deepEqual(added, [{ term: "~chet|qua-doi|tu-vong", folded: false, weight: PARAMS.S, synonym: true }]);
      assert.ok(PARAMS.S < 1, "a synonym weighs less than the folded clause");
    }
    assert.ok(plan.highlight.bigrams.has("tu_vong") && plan.highlight.folded.has("chet"));
  }
  // Half a phrase is not the phrase: "qua" alone triggers nothing.
  assert.ok(planQuery("qua cầu", GLOSSARY, PARAMS, synonyms).units.every((u) => !u.clauses.some((c) => c.synonym)));
});
