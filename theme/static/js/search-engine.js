// The browser side of the site search: reads the static index that
// plugins/static_search exports from the Whoosh index and ranks with the
// formula documented in plugins/vnsearch/README.md ("Ranking"), so the
// browser's order equals `scripts/search.py`'s.
//
// Files (all under the index base URL, see plugins/static_search/README.md):
//   manifest.json            fixed name, tiny: parameters, glossary, file names
//   docs.<hash>.json.gz      per-document statistics: field lengths, year, kind, models
//   t/<shard>.<hash>.json.gz term shards: term -> [[field, df, postings], ...]
//   f/<hash>.json.gz         fragments (title, url, date, models, text) of a few documents

import { Glossary, fold, tokenize } from "./vntext.js";

/** FNV-1a (32 bit) over UTF-8 bytes; the exporter uses the same function. */
export function termHash(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard of a term: that of its folded form, shared by every spelling of a syllable. */
export function shardOf(term, count) {
  return termHash(fold(term)) % count;
}

/** Fetch and decode one index file; .gz files are gunzipped in the browser. */
export async function httpLoader(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  // Some hosts serve .gz files with Content-Encoding: gzip, and the browser has
  // then already decompressed them: decompress only what still starts as gzip.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return JSON.parse(await new Response(stream).text());
}

/** vntext syllables with the adjacency boundary flag (vnsearch.analysis.syllables). */
export function syllables(text, boundary) {
  const result = [];
  let previousEnd = null;
  for (const token of tokenize(text)) {
    const isBoundary = previousEnd === null || boundary.test(text.slice(previousEnd, token.start));
    result.push({ norm: token.norm, folded: token.folded, start: token.start, end: token.end, boundary: isBoundary });
    previousEnd = token.end;
  }
  return result;
}

function adjacentBigrams(syls, joiner) {
  const out = [];
  for (let i = 1; i < syls.length; i++) {
    if (!syls[i].boundary) out.push(syls[i - 1].folded + joiner + syls[i].folded);
  }
  return out;
}

function fieldClauses(params, suffix, term, factor) {
  return Object.entries(params.weights).map(([name, weight]) => ({
    field: name + suffix,
    term,
    weight: weight * factor,
  }));
}

/**
 * Query plan, clause for clause as vnsearch.searcher.plan_query builds it:
 * {accented, units: [{label, clauses: [{field, term, weight}]}], bigrams: [clause],
 * highlight: {accented, exact, folded, bigrams}}.
 */
export function planQuery(query, glossary, params) {
  const boundary = new RegExp(params.boundary);
  const syls = syllables(String(query).slice(0, params.maxQueryChars), boundary).slice(
    0,
    params.maxSyllables,
  );
  const accented = syls.some((s) => s.norm !== s.folded);
  const units = new Map();
  const unitOf = [];
  const highlight = {
    accented,
    exact: new Set(),
    folded: new Set(),
    bigrams: new Set(),
    pairs: new Set(),
    joiner: params.joiner,
    snippet: params.snippet,
  };
  const { exact, folded, bigram } = params.suffixes;
  for (const syl of syls) {
    const key = accented ? syl.norm : syl.folded;
    let unit = units.get(key);
    if (!unit) {
      unit = { label: key, folded: syl.folded, clauses: [] };
      units.set(key, unit);
      if (accented) unit.clauses.push(...fieldClauses(params, exact, syl.norm, params.E));
      unit.clauses.push(...fieldClauses(params, folded, syl.folded, 1));
    }
    unitOf.push(unit);
    highlight.exact.add(syl.norm);
    highlight.folded.add(syl.folded);
  }
  const bigramTerms = [...new Set(adjacentBigrams(syls, params.joiner))];
  for (const pair of bigramTerms) highlight.pairs.add(pair);
  const bigrams = bigramTerms.flatMap((term) => fieldClauses(params, bigram, term, params.P));
  if (glossary && glossary.size) addAcronyms(syls, unitOf, glossary, highlight, params, boundary);
  return { query, accented, units: [...units.values()], bigrams, highlight };
}

function addAcronyms(syls, unitOf, glossary, highlight, params, boundary) {
  const { folded, bigram } = params.suffixes;
  // Acronym typed -> its expansions (as folded bigrams, or the one syllable).
  syls.forEach((syl, i) => {
    const unit = unitOf[i];
    const seen = new Set();
    for (const expansion of glossary.expansions(syl.norm)) {
      const expansionSyls = syllables(expansion, boundary);
      for (const b of adjacentBigrams(expansionSyls, params.joiner)) highlight.bigrams.add(b);
      if (expansionSyls.length === 1) highlight.folded.add(expansionSyls[0].folded);
      const terms =
        expansionSyls.length === 1
          ? [[folded, expansionSyls[0].folded]]
          : adjacentBigrams(expansionSyls, params.joiner).map((t) => [bigram, t]);
      for (const [suffix, term] of terms) {
        const key = `${suffix}\u0000${term}`;
        if (!seen.has(key)) {
          seen.add(key);
          unit.clauses.push(...fieldClauses(params, suffix, term, 1));
        }
      }
    }
  });
  // Expansion typed -> its acronym, counted for every syllable of the run.
  const byFolded = new Map();
  for (const [phrase, acronym] of glossary.phrases()) byFolded.set(fold(phrase), acronym);
  for (let start = 0; start < syls.length; start++) {
    for (let end = start + 2; end <= Math.min(syls.length, start + params.maxAcronymRun); end++) {
      const acronym = byFolded.get(syls.slice(start, end).map((s) => s.folded).join(" "));
      if (!acronym) continue;
      const foldedAcronym = fold(acronym);
      highlight.folded.add(foldedAcronym);
      for (const unit of new Set(unitOf.slice(start, end))) {
        if (!unit.clauses.some((c) => c.term === foldedAcronym)) {
          unit.clauses.push(...fieldClauses(params, folded, foldedAcronym, 1));
        }
      }
    }
  }
}

/**
 * Units whose folded syllable is in the body of most documents ("của", "và") do
 * not take part in scoring, unless every unit is like that: as
 * vnsearch.searcher.SearchEngine.scored_units does (ranking.STOP_DF_RATIO).
 */
export function dropStopUnits(plan, stopWords = []) {
  const stop = new Set(stopWords);
  const kept = plan.units.filter((unit) => !stop.has(unit.folded));
  return kept.length ? { ...plan, units: kept } : plan;
}

/** Every index term a plan needs, so only their shards are fetched. */
export function queryTerms(plan) {
  const terms = new Set(plan.bigrams.map((c) => c.term));
  for (const unit of plan.units) for (const clause of unit.clauses) terms.add(clause.term);
  return [...terms];
}

export class StaticSearchIndex {
  /**
   * @param {string} baseUrl where manifest.json lives (ends with "/")
   * @param {(url: string) => Promise<any>} loader fetches and decodes one file
   */
  constructor(baseUrl, loader = httpLoader) {
    this.baseUrl = baseUrl;
    this.loader = loader;
    this.shards = new Map();
    this.chunks = new Map();
    this.manifestPromise = null;
    this.docsPromise = null;
  }

  manifest() {
    this.manifestPromise ||= this.loader(this.baseUrl + "manifest.json.gz").then((manifest) => {
      const size = manifest.shard_hash;
      manifest.shardCount = manifest.shards.length / size;
      manifest.shardName = (i) => manifest.shards.slice(i * size, (i + 1) * size);
      this.glossary = new Glossary(manifest.glossary);
      return manifest;
    });
    return this.manifestPromise;
  }

  async docs() {
    const manifest = await this.manifest();
    this.docsPromise ||= this.loader(this.baseUrl + manifest.docs).then((docs) =>
      decodeDocs(docs, manifest.chunk_hash),
    );
    return this.docsPromise;
  }

  shard(manifest, index) {
    if (!this.shards.has(index)) {
      const name = `t/${index.toString(16)}.${manifest.shardName(index)}.json.gz`;
      this.shards.set(index, this.loader(this.baseUrl + name));
    }
    return this.shards.get(index);
  }

  async postings(terms) {
    const manifest = await this.manifest();
    const count = manifest.shardCount;
    const wanted = [...new Set(terms.map((term) => shardOf(term, count)))];
    const loaded = await Promise.all(wanted.map((index) => this.shard(manifest, index)));
    const byShard = new Map(wanted.map((index, i) => [index, loaded[i]]));
    // key (folded form) -> {term: [[field, df, postings], ...]} of every spelling.
    const result = new Map();
    for (const term of terms) {
      const key = fold(term);
      const group = byShard.get(shardOf(term, count))[key];
      if (group) result.set(key, group);
    }
    return result;
  }

  /**
   * Rank every matching document. Returns {plan, hits: [{doc, score}], total,
   * facets: {models: [[slug, name, count]], years: [[year, count]]}}.
   */
  async search(query, { model = "", year = "" } = {}) {
    const manifest = await this.manifest();
    const plan = dropStopUnits(planQuery(query, this.glossary, manifest.params), manifest.stop);
    if (plan.units.length === 0) {
      return { plan, hits: [], total: 0, facets: { models: [], years: [] } };
    }
    const [docs, postings] = await Promise.all([this.docs(), this.postings(queryTerms(plan))]);
    const scores = scoreDocuments(plan, postings, docs, manifest.params);
    return { plan, ...rankAndFacet(scores, docs, { model, year }) };
  }

  /** Title, url, date, kind, models and text of the given documents. */
  async fragments(ids) {
    const docs = await this.docs();
    const files = [...new Set(ids.map((id) => docs.chunkOf(id)))];
    await Promise.all(
      files.map((file) => {
        if (!this.chunks.has(file)) this.chunks.set(file, this.loader(this.baseUrl + file));
        return this.chunks.get(file);
      }),
    );
    return Promise.all(
      ids.map(async (id) => {
        const chunk = await this.chunks.get(docs.chunkOf(id));
        const [title, url, date, kind, models, text] = chunk[String(id)];
        return { id, title, url, date, kind, models, text };
      }),
    );
  }
}

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";

function runningSum(steps) {
  let total = 0;
  return steps.map((step) => (total += step));
}

function decodeDocs(raw, hashSize) {
  // Length columns: a hex string, a reference to an earlier column, or
  // [base, digits] = the base column's codes less one base-36 digit each.
  const columns = [];
  raw.lengths.forEach((column, i) => {
    if (typeof column === "number") columns[i] = columns[column];
    else if (typeof column === "string") columns[i] = hexBytes(column);
    else {
      const [base, digits] = column;
      columns[i] = columns[base].map((code, doc) => code - DIGITS.indexOf(digits[doc]));
    }
  });
  const starts = runningSum(raw.chunk_starts);
  return {
    count: raw.count,
    fields: raw.fields,
    fieldIndex: new Map(raw.fields.map((name, i) => [name, i])),
    average: raw.average,
    total: raw.total_docs,
    years: raw.years,
    models: raw.models,
    modelNames: raw.model_names,
    modelSlugs: raw.model_slugs,
    order: runningSum(raw.order),
    /** Whoosh's byte-quantized length of `field` in `doc` (1 when absent, as Whoosh's scorer). */
    length(field, doc) {
      const code = columns[field][doc];
      return code ? raw.length_table[code] : 1;
    },
    chunkOf(doc) {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (starts[mid] <= doc) low = mid;
        else high = mid - 1;
      }
      return `f/${raw.chunk_hashes.slice(low * hashSize, (low + 1) * hashSize)}.json.gz`;
    },
  };
}

function hexBytes(hex) {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
  return bytes;
}

/** Decode a posting list: [delta, tf?] pairs, see plugins/static_search/export.py. */
export function decodePostings(encoded) {
  const docs = [];
  const tfs = [];
  let doc = -1;
  for (let i = 0; i < encoded.length; i++) {
    const value = encoded[i];
    doc += Math.floor(value / 2);
    docs.push(doc);
    tfs.push(value % 2 === 1 ? encoded[++i] : 1);
  }
  return { docs, tfs };
}

/** Lucene's BM25 idf, as vnsearch.schema.idf: near 0 for syllables in every document. */
export function idf(docCount, docFrequency) {
  return Math.log(1 + (docCount - docFrequency + 0.5) / (docFrequency + 0.5));
}

/**
 * The postings of one clause in one field: {df, tfs: Map doc -> tf}. A folded
 * clause ("title" + folded suffix) sums every term of the exact field that folds
 * to its term (tf and df), as vnsearch.postings does.
 */
function clausePostings(clause, postings, docs, params) {
  const folded = params.suffixes.folded;
  const isFolded = clause.field.endsWith(folded);
  const field = isFolded ? clause.field.slice(0, -folded.length) : clause.field;
  const fieldIndex = docs.fieldIndex.get(field);
  const group = postings.get(fold(clause.term)) || {};
  const terms = isFolded ? Object.keys(group).sort() : [clause.term];
  let df = 0;
  const tfs = new Map();
  for (const term of terms) {
    const entry = (group[term] || []).find(([f]) => f === fieldIndex);
    if (!entry || (isFolded && fold(term) !== clause.term)) continue;
    df += entry[1];
    const decoded = decodePostings(entry[2]);
    decoded.docs.forEach((doc, i) => tfs.set(doc, (tfs.get(doc) || 0) + decoded.tfs[i]));
  }
  return { fieldIndex, df, tfs };
}

/** doc -> weight * bm25(field, term, doc) for one clause, computed as vnsearch.postings does. */
function clauseScores(clause, postings, docs, params, cache) {
  const key = `${clause.field}\u0000${clause.term}`;
  let base = cache.get(key);
  if (!base) {
    const { fieldIndex, df, tfs } = clausePostings(clause, postings, docs, params);
    const average = docs.average[fieldIndex] || 1;
    const ids = [...tfs.keys()];
    base = {
      ids,
      tfs: ids.map((doc) => tfs.get(doc)),
      // BM25's length normalizer with Whoosh's byte-quantized field length.
      norms: ids.map((doc) => params.K1 * (1 - params.B + (params.B * docs.length(fieldIndex, doc)) / average)),
      idf: df ? idf(docs.total, df) : 0,
    };
    cache.set(key, base);
  }
  const factor = clause.weight * base.idf * (params.K1 + 1);
  return { ids: base.ids, scores: base.tfs.map((tf, i) => (factor * tf) / (tf + base.norms[i])) };
}

/** The field clauses of each distinct query pair, in query order. */
function pairsOf(bigrams) {
  const grouped = new Map();
  for (const clause of bigrams) {
    if (!grouped.has(clause.term)) grouped.set(clause.term, []);
    grouped.get(clause.term).push(clause);
  }
  return [...grouped.values()];
}

/**
 * The documents that match enough of the query (vnsearch.searcher.minimum_should_match):
 * all units for a short query (when some document has them all); for n units up
 * to msmNoUnits, the best idf-weighted share times
 * (msmNoUnits - n) / (msmNoUnits - msmAllUnits); from msmNoUnits on, all of them.
 */
function minimumShouldMatch(units, matched, share, params) {
  if (units <= params.msmAllUnits) {
    let best = 0;
    for (const count of matched.values()) best = Math.max(best, count);
    if (best < units) return [...matched.keys()];
    return [...matched].filter(([, count]) => count === units).map(([doc]) => doc);
  }
  if (units >= params.msmNoUnits) return [...matched.keys()];
  const bar = (params.msmNoUnits - units) / (params.msmNoUnits - params.msmAllUnits);
  let best = 0;
  for (const value of share.values()) best = Math.max(best, value);
  const least = best * bar;
  return [...share].filter(([, value]) => value >= least).map(([doc]) => doc);
}

/**
 * score(d) = (Σ_u S_u(d) + B(d)) * share(d) ** C * (1 + Q * phrase(d)), over the
 * documents kept by the minimum-should-match rule; share and phrase are the
 * idf-weighted shares of the query's units and adjacent pairs that d holds.
 * Summed in vnsearch.searcher.SearchEngine.score_all's order.
 */
export function scoreDocuments(plan, postings, docs, params) {
  const cache = new Map();
  const totals = new Map();
  const coverage = new Map();
  const matched = new Map();
  let unitWeightSum = 0;
  for (const unit of plan.units) {
    const unitScores = new Map();
    for (const clause of unit.clauses) {
      const { ids, scores } = clauseScores(clause, postings, docs, params, cache);
      for (let i = 0; i < ids.length; i++) {
        unitScores.set(ids[i], (unitScores.get(ids[i]) || 0) + scores[i]);
      }
    }
    const unitWeight = idf(docs.total, unitScores.size);
    unitWeightSum += unitWeight;
    for (const [doc, score] of unitScores) {
      totals.set(doc, (totals.get(doc) || 0) + score);
      coverage.set(doc, (coverage.get(doc) || 0) + unitWeight);
      matched.set(doc, (matched.get(doc) || 0) + 1);
    }
  }
  const phrase = new Map();
  let pairWeightSum = 0;
  for (const clauses of pairsOf(plan.bigrams)) {
    const pairScores = new Map();
    for (const clause of clauses) {
      const { ids, scores } = clauseScores(clause, postings, docs, params, cache);
      for (let i = 0; i < ids.length; i++) {
        pairScores.set(ids[i], (pairScores.get(ids[i]) || 0) + scores[i]);
      }
    }
    const pairWeight = idf(docs.total, pairScores.size); // a rare pair says more
    pairWeightSum += pairWeight;
    for (const [doc, score] of pairScores) {
      if (totals.has(doc)) {
        totals.set(doc, totals.get(doc) + score);
        phrase.set(doc, (phrase.get(doc) || 0) + pairWeight);
      }
    }
  }
  const share = new Map();
  for (const [doc, value] of coverage) share.set(doc, value / unitWeightSum);
  const result = new Map();
  for (const doc of minimumShouldMatch(plan.units.length, matched, share, params)) {
    const phraseFactor = pairWeightSum ? 1 + (params.Q * (phrase.get(doc) || 0)) / pairWeightSum : 1;
    result.set(doc, totals.get(doc) * share.get(doc) ** params.C * phraseFactor);
  }
  return result;
}

/**
 * Filter by model/year, count facets, order by score (ties as the engine breaks them).
 * The facet rule (plugins/vnsearch/README.md, "Facets"): each facet counts the
 * matching documents that pass every other filter; models by count then slug,
 * years newest first.
 */
export function rankAndFacet(scores, docs, { model = "", year = "" } = {}) {
  const modelIndex = model ? docs.modelSlugs.indexOf(model) : -2;
  const matchesModel = (doc) => modelIndex === -2 || docs.models[doc].includes(modelIndex);
  const matchesYear = (doc) => !year || docs.years[doc] === year;
  const modelCounts = new Map();
  const yearCounts = new Map();
  const hits = [];
  for (const [doc, score] of scores) {
    const inModel = matchesModel(doc);
    const inYear = matchesYear(doc);
    if (inYear) {
      for (const m of docs.models[doc]) modelCounts.set(m, (modelCounts.get(m) || 0) + 1);
    }
    if (inModel && docs.years[doc]) {
      yearCounts.set(docs.years[doc], (yearCounts.get(docs.years[doc]) || 0) + 1);
    }
    if (inModel && inYear) hits.push({ doc, score });
  }
  hits.sort((a, b) => b.score - a.score || docs.order[a.doc] - docs.order[b.doc]);
  const byCount = (a, b) => b[b.length - 1] - a[a.length - 1];
  return {
    hits,
    total: hits.length,
    facets: {
      models: [...modelCounts]
        .map(([m, count]) => [docs.modelSlugs[m], docs.modelNames[m], count])
        .sort((a, b) => byCount(a, b) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      years: [...yearCounts].sort((a, b) => b[0].localeCompare(a[0])),
    },
  };
}
