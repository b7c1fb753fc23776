// The browser side of the site search: reads the static index that
// plugins/static_search exports from the Whoosh index (format static-search-4)
// and ranks with the formula of vnsearch-3 (plugins/lib/tdbvantq/search/README.md,
// "Ranking"), so the browser's results and facets equal `scripts/search.py`'s.
//
// Files (all under the index base URL, see plugins/static_search/README.md):
//   manifest.json.gz         fixed name, small: parameters, glossary, stop syllables,
//                            shard count, shard directory pages' hashes
//   docs.<hash>.json.gz      per document: year, day, kind, models, places (lists of
//                            numbers as characters), Whoosh's order; N; chunk directory
//                            pages' hashes
//   d/t<page>.<hash>.json.gz shard directory page: the hashes of shard_page shards
//   d/f<page>.<hash>.json.gz chunk directory page: {starts, hashes} of chunk_span ids
//   t/<shard>.<hash>.json.gz term shards: {folded key: {term: [df, doc steps, weights]}}
//                            (a pair: [df, doc steps]), numbers as characters
//   f/<first>.<hash>.json.gz fragments (title, url, date, models, text) of a few documents

import { Glossary, fold, tokenize } from "./vntext.js";

/** The one index format this engine reads (plugins/static_search FORMAT). */
const INDEX_FORMAT = "static-search-4";

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

function adjacentPairs(syls, joiner) {
  const out = [];
  for (let i = 1; i < syls.length; i++) {
    if (!syls[i].boundary) out.push(syls[i - 1].folded + joiner + syls[i].folded);
  }
  return out;
}

/**
 * Query plan, as vnsearch.searcher.plan_query builds it:
 * {query, accented, units: [{label, folded, clauses: [{term, folded, weight}]}],
 *  pairs: ["a_b", ...], highlight: {accented, exact, folded, bigrams, pairs, joiner, snippet}}.
 * A unit is one distinct query syllable; its clauses are the exact spelling
 * (accented queries only, weight E), the folded syllable (weight 1) and the
 * folded acronym of any glossary expansion the query spells out (weight 1), and
 * the index term of any editors' synonym rule the query spells out (weight S).
 * `synonyms`: the manifest's list (vntext.Synonyms.query_rules()).
 */
export function planQuery(query, glossary, params, synonyms = []) {
  const boundary = new RegExp(params.boundary);
  const text = String(query).slice(0, params.maxQueryChars);
  const syls = syllables(text, boundary).slice(0, params.maxSyllables);
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
  for (const syl of syls) {
    const key = accented ? syl.norm : syl.folded;
    let unit = units.get(key);
    if (!unit) {
      unit = { label: key, folded: syl.folded, clauses: [] };
      if (accented) unit.clauses.push({ term: syl.norm, folded: false, weight: params.E });
      unit.clauses.push({ term: syl.folded, folded: true, weight: 1 });
      units.set(key, unit);
    }
    unitOf.push(unit);
    highlight.exact.add(syl.norm);
    highlight.folded.add(syl.folded);
  }
  const pairs = [...new Set(adjacentPairs(syls, params.joiner))];
  for (const pair of pairs) highlight.pairs.add(pair);
  if (glossary && glossary.size) {
    highlightExpansions(syls, glossary, highlight, boundary, params.joiner);
    addAcronymClauses(syls, unitOf, glossary, highlight, params.maxAcronymRun);
  }
  if (synonyms && synonyms.length) addSynonymClauses(syls, unitOf, synonyms, highlight, params);
  // A unit only ever typed as a question word is not scored (its pairs stay);
  // a query made only of question words keeps them.
  const mask = questionMask(text, syls, accented, params, boundary);
  const asked = new Set(unitOf.filter((unit, i) => !mask[i]));
  const kept = [...units.values()].filter((unit) => asked.has(unit));
  return { query, accented, units: kept.length ? kept : [...units.values()], pairs, highlight };
}

/**
 * Which query syllables are question words (vnsearch.searcher.question_mask):
 * a word alone (questionWords by spelling in an accented query,
 * foldedQuestionWords by folded form otherwise) or a syllable of a frame
 * (questionFrames, typed without punctuation inside); never a syllable typed
 * in capitals ("AI" is an acronym).
 */
export function questionMask(text, syls, accented, params, boundary) {
  const form = (s) => (accented ? s.norm : s.folded);
  const words = new Set(accented ? params.questionWords : params.foldedQuestionWords);
  const frames = params.questionFrames.map((frame) => syllables(frame, boundary).map(form));
  const forms = syls.map(form);
  const mask = forms.map((f) => words.has(f));
  for (let start = 0; start < syls.length; start++) {
    for (const frame of frames) {
      const end = start + frame.length;
      if (end > syls.length) continue;
      const same = frame.every((f, k) => forms[start + k] === f);
      const inside = syls.slice(start + 1, end).some((s) => s.boundary);
      if (same && !inside) for (let k = start; k < end; k++) mask[k] = true;
    }
  }
  syls.forEach((syl, i) => {
    const typed = text.slice(syl.start, syl.end);
    if (typed.length > 1 && typed === typed.toUpperCase() && typed !== typed.toLowerCase()) mask[i] = false;
  });
  return mask;
}

/**
 * An acronym typed ("PCCC") needs no clause (the index holds the acronym where
 * its expansion is written); its expansions are only marked in snippets: their
 * folded pairs, or the one syllable of a one-syllable expansion.
 */
function highlightExpansions(syls, glossary, highlight, boundary, joiner) {
  for (const syl of syls) {
    for (const expansion of glossary.expansions(syl.norm)) {
      const expansionSyls = syllables(expansion, boundary);
      for (const pair of adjacentPairs(expansionSyls, joiner)) highlight.bigrams.add(pair);
      if (expansionSyls.length === 1) highlight.folded.add(expansionSyls[0].folded);
    }
  }
}

/**
 * An expansion typed ("an ninh trật tự"): every run of 2..maxRun query syllables
 * whose folded forms spell a glossary expansion gives each unit of the run the
 * folded acronym ("antt") as a folded clause, once per unit.
 */
function addAcronymClauses(syls, unitOf, glossary, highlight, maxRun) {
  const byFolded = glossary.foldedPhrases();
  for (let start = 0; start < syls.length; start++) {
    for (let end = start + 2; end <= Math.min(syls.length, start + maxRun); end++) {
      const acronym = byFolded.get(syls.slice(start, end).map((s) => s.folded).join(" "));
      if (!acronym) continue;
      const foldedAcronym = fold(acronym);
      highlight.folded.add(foldedAcronym);
      for (const unit of new Set(unitOf.slice(start, end))) {
        if (!unit.clauses.some((c) => c.folded && c.term === foldedAcronym)) {
          unit.clauses.push({ term: foldedAcronym, folded: true, weight: 1 });
        }
      }
    }
  }
}

/**
 * An editors' synonym rule (vnsearch.planning._add_synonyms): every run of
 * 1..maxRun query syllables whose folded forms spell one of a rule's left
 * phrases gives each unit of the run the rule's index term as an exact clause
 * of weight S, once per unit; the rule's right phrases are marked in snippets.
 */
function addSynonymClauses(syls, unitOf, synonyms, highlight, params) {
  const byPhrase = new Map();
  for (const rule of synonyms) {
    for (const phrase of rule.left) {
      if (!byPhrase.has(phrase)) byPhrase.set(phrase, []);
      byPhrase.get(phrase).push(rule);
    }
  }
  for (let start = 0; start < syls.length; start++) {
    for (let end = start + 1; end <= Math.min(syls.length, start + params.maxAcronymRun); end++) {
      const rules = byPhrase.get(syls.slice(start, end).map((s) => s.folded).join(" ")) || [];
      for (const rule of rules) {
        for (const phrase of rule.right) {
          const parts = phrase.split(" ");
          for (let i = 1; i < parts.length; i++) highlight.bigrams.add(parts[i - 1] + params.joiner + parts[i]);
          if (parts.length === 1) highlight.folded.add(parts[0]);
        }
        for (const unit of new Set(unitOf.slice(start, end))) {
          if (!unit.clauses.some((c) => c.term === rule.term)) {
            unit.clauses.push({ term: rule.term, folded: false, weight: params.S, synonym: true });
          }
        }
      }
    }
  }
}

/**
 * Units whose folded syllable is in most documents ("của", "và") do not take
 * part in scoring, unless every unit is like that: the manifest lists them
 * (`stop`), computed as vnsearch.searcher.SearchEngine.scored_units does.
 * In an accented query, a unit whose own spelling is not one of the frequent
 * ones (`stop_spellings`: "dược", not "được") is kept, scored on its exact
 * spelling only: its shard holds every spelling, only that one is read.
 * (`StaticSearchIndex.search` keeps every unit whole when all kept ones are
 * such spellings and none is in any document: an accented misspelling.)
 */
export function dropStopUnits(plan, stopWords = [], stopSpellings = []) {
  const stop = new Set(stopWords);
  const frequent = new Set(stopSpellings);
  const kept = [];
  for (const unit of plan.units) {
    if (!stop.has(unit.folded)) kept.push(unit);
    else if (plan.accented && !frequent.has(unit.label)) kept.push(exactOnly(unit));
  }
  return kept.length ? { ...plan, units: kept } : plan;
}

/** The unit without the folded clause of its own syllable (vnsearch.searcher.exact_only). */
function exactOnly(unit) {
  const clauses = unit.clauses.filter((c) => !(c.folded && c.term === unit.folded));
  return { ...unit, clauses, exactOnly: true };
}

/**
 * True when every unit of the plan was kept on its exact spelling only and no
 * document has that spelling ("đuợc", a misspelling of a stop syllable): the
 * query then keeps every unit whole (vnsearch SearchEngine.scored_units).
 */
export function onlyMissingSpellings(plan, postings) {
  return plan.units.every((unit) => unit.exactOnly && !(unit.label in (postings.get(fold(unit.label)) || {})));
}

/** Every index term a plan needs (clause terms and pairs), so only their shards are fetched. */
export function queryTerms(plan) {
  const terms = new Set();
  for (const unit of plan.units) for (const clause of unit.clauses) terms.add(clause.term);
  for (const pair of plan.pairs) terms.add(pair);
  return [...terms];
}

export class StaticSearchIndex {
  /**
   * @param {string} baseUrl where manifest.json.gz lives (ends with "/")
   * @param {(url: string) => Promise<any>} loader fetches and decodes one file
   */
  constructor(baseUrl, loader = httpLoader) {
    this.baseUrl = baseUrl;
    this.loader = loader;
    this.shards = new Map();
    this.chunks = new Map();
    this.pages = new Map(); // directory pages (d/), by file name
    this.manifestPromise = null;
    this.docsPromise = null;
  }

  manifest() {
    this.manifestPromise ||= this.loader(this.baseUrl + "manifest.json.gz").then((manifest) => {
      // An index of another format would be misread: refuse it (the page says so).
      if (manifest.format !== INDEX_FORMAT) {
        throw new Error(`${this.baseUrl}manifest.json.gz: format ${manifest.format}, expected ${INDEX_FORMAT}`);
      }
      manifest.shardCount = manifest.shard_count;
      this.glossary = new Glossary(manifest.glossary);
      return manifest;
    });
    return this.manifestPromise;
  }

  async docs() {
    const manifest = await this.manifest();
    this.docsPromise ||= this.loader(this.baseUrl + manifest.docs).then(decodeDocs);
    return this.docsPromise;
  }

  /** A directory page (d/), fetched once. */
  page(kind, page, hashes, size) {
    const name = `d/${kind}${page.toString(16)}.${hashes.slice(page * size, (page + 1) * size)}.json.gz`;
    if (!this.pages.has(name)) this.pages.set(name, this.loader(this.baseUrl + name));
    return this.pages.get(name);
  }

  shard(manifest, index) {
    if (!this.shards.has(index)) {
      // The shard's hash is in its directory page (plugins/static_search/export.py).
      const size = manifest.shard_hash;
      const page = Math.floor(index / manifest.shard_page);
      const named = this.page("t", page, manifest.shard_pages, size).then((hashes) => {
        const at = (index % manifest.shard_page) * size;
        const name = `t/${index.toString(16)}.${hashes.slice(at, at + size)}.json.gz`;
        return this.loader(this.baseUrl + name);
      });
      this.shards.set(index, named);
    }
    return this.shards.get(index);
  }

  /** The fragment chunk file of document `doc`, from its chunk directory page. */
  async chunkOf(docs, doc) {
    const manifest = await this.manifest();
    const size = manifest.chunk_hash;
    const page = Math.floor(doc / docs.chunkSpan);
    const listed = await this.page("f", page, docs.chunkPages, size);
    const starts = runningSum(listed.starts, page * docs.chunkSpan);
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= doc) low = mid;
      else high = mid - 1;
    }
    // The chunk's first id, in hex, then its content hash.
    return `f/${starts[low].toString(16)}.${listed.hashes.slice(low * size, (low + 1) * size)}.json.gz`;
  }

  /** key (folded form) -> {term: [df, postings]} of every spelling, for the given terms. */
  async postings(terms) {
    const manifest = await this.manifest();
    const count = manifest.shardCount;
    const wanted = [...new Set(terms.map((term) => shardOf(term, count)))];
    const loaded = await Promise.all(wanted.map((index) => this.shard(manifest, index)));
    const byShard = new Map(wanted.map((index, i) => [index, loaded[i]]));
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
   * facets: {models: [[slug, name, count]], years: [[year, count]], places: [[slug, name, count]]}}.
   */
  async search(query, { model = "", year = "", sort = "relevance", place = "" } = {}) {
    const manifest = await this.manifest();
    const planned = planQuery(query, this.glossary, manifest.params, manifest.synonyms || []);
    let plan = dropStopUnits(planned, manifest.stop, manifest.stop_spellings);
    if (plan.units.length === 0) {
      return { plan, hits: [], total: 0, facets: { models: [], years: [], places: [] } };
    }
    let [docs, postings] = await Promise.all([this.docs(), this.postings(queryTerms(plan))]);
    if (onlyMissingSpellings(plan, postings)) {
      plan = planned; // the same shards: already loaded
      postings = await this.postings(queryTerms(plan));
    }
    const scores = scoreDocuments(plan, postings, docs, manifest.params);
    return { plan, ...rankAndFacet(scores, docs, { model, year, sort, place }) };
  }

  /** Title, url, date, kind, models and text of the given documents. */
  async fragments(ids) {
    const docs = await this.docs();
    const fileOf = await Promise.all(ids.map((id) => this.chunkOf(docs, id)));
    await Promise.all(
      [...new Set(fileOf)].map((file) => {
        if (!this.chunks.has(file)) this.chunks.set(file, this.loader(this.baseUrl + file));
        return this.chunks.get(file);
      }),
    );
    return Promise.all(
      ids.map(async (id, i) => {
        const file = fileOf[i];
        const fragment = (await this.chunks.get(file))[String(id)];
        if (!fragment) throw new Error(`${this.baseUrl}${file}: document ${id} is missing`);
        const [title, url, date, kind, models, text] = fragment;
        return { id, title, url, date, kind, models, text };
      }),
    );
  }
}

function runningSum(steps, from = 0) {
  let total = from;
  return steps.map((step) => (total += step));
}

// Numbers as string characters (plugins/static_search/export.py number_chars): one
// character U+0030 + n below NUMBER_SPAN, else U+E000 + n / NUMBER_SPAN then U+0030 + rest.
const NUMBER_BASE = 0x30;
const NUMBER_SPAN = 0xa000;
const NUMBER_HIGH = 0xe000;

/** A string of number characters -> the numbers (export.py number_chars). */
export function decodeNumbers(text) {
  const values = [];
  let high = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= NUMBER_HIGH) {
      high = (code - NUMBER_HIGH) * NUMBER_SPAN;
      continue;
    }
    values.push(high + code - NUMBER_BASE);
    high = 0;
  }
  return values;
}

/** `count` lists of numbers joined by "," (export.py number_lists) -> arrays. */
export function decodeNumberLists(text, count) {
  return text.split(",", count).map(decodeNumbers);
}

/**
 * Each document's places; when the table says so, a commune's province is added
 * back (the export leaves out a province the document's commune implies).
 */
function decodePlaces(raw) {
  if (raw.places === undefined) return raw.years.map(() => []); // an index without places
  const lists = decodeNumberLists(raw.places, raw.count);
  if (!raw.places_imply_provinces) return lists;
  const index = new Map(raw.place_slugs.map((slug, i) => [slug, i]));
  const province = raw.place_slugs.map((slug) => (slug.includes("/") ? index.get(slug.split("/")[0]) : undefined));
  return lists.map((places) => {
    const all = new Set(places);
    for (const place of places) if (province[place] !== undefined) all.add(province[place]);
    return [...all];
  });
}

/** The docs table: N, facets, Whoosh's order (ties) and the chunk directory pages. */
function decodeDocs(raw) {
  return {
    count: raw.count,
    total: raw.total_docs,
    years: raw.years,
    // vnsearch.searcher.day_key: year * 1000 + day of the year, 0 without a date.
    days: raw.days.map((day, doc) => (day && raw.years[doc] ? Number(raw.years[doc]) * 1000 + day : 0)),
    models: decodeNumberLists(raw.models, raw.count),
    modelNames: raw.model_names,
    modelSlugs: raw.model_slugs,
    // Place facet (plugins/places): an index without it has no places.
    places: decodePlaces(raw),
    placeNames: raw.place_names || [],
    placeSlugs: raw.place_slugs || [],
    order: runningSum(raw.order),
    chunkSpan: raw.chunk_span,
    chunkPages: raw.chunk_pages,
  };
}

/**
 * A syllable's postings, its doc steps and weights as number characters (ids from −1)
 * -> {docs, weights}: q are integers.
 */
export function decodeWeightedPostings(steps, weightsText) {
  const docs = decodePairPostings(steps);
  const weights = decodeNumbers(weightsText);
  return { docs, weights };
}

/** A pair's doc steps as number characters (ids from −1) -> the documents where the pair is adjacent. */
export function decodePairPostings(steps) {
  let doc = -1;
  return decodeNumbers(steps).map((delta) => (doc += delta));
}

/** Lucene's BM25 idf, as vnsearch's: near 0 for syllables in every document. */
export function idf(docCount, docFrequency) {
  // A folded clause's df (the sum of its spellings') can pass N: capped there (vnsearch.schema.idf).
  docFrequency = Math.min(docFrequency, docCount);
  return Math.log(1 + (docCount - docFrequency + 0.5) / (docFrequency + 0.5));
}

/**
 * A clause's evidence: {df, q: Map doc -> integer weight}. An exact clause reads
 * its one term; a folded clause every spelling that folds to its term, their
 * weights and dfs summed (integers, so the sum is exact in any order).
 */
function clauseEvidence(clause, postings) {
  const group = postings.get(fold(clause.term)) || {};
  let spellings = [];
  if (clause.folded) spellings = Object.keys(group).filter((term) => fold(term) === clause.term);
  else if (clause.term in group) spellings = [clause.term];
  let df = 0;
  const q = new Map();
  for (const term of spellings) {
    const [termDf, steps, weightsText] = group[term];
    df += termDf;
    const { docs, weights } = decodeWeightedPostings(steps, weightsText);
    docs.forEach((doc, i) => q.set(doc, (q.get(doc) || 0) + weights[i]));
  }
  return { df, q };
}

/**
 * doc -> s_c(d) = weight · idf(N, df) · w · (K1 + 1) / (w + K1), with w = q / weightScale
 * the BM25F pseudo-frequency (its length normalization was done at index time).
 * `cache` keeps each clause's evidence for the query (an acronym clause is in several units).
 */
function clauseScores(clause, postings, docs, params, cache) {
  const key = `${clause.folded}\u0000${clause.term}`;
  if (!cache.has(key)) cache.set(key, clauseEvidence(clause, postings));
  const { df, q } = cache.get(key);
  const factor = clause.weight * idf(docs.total, df) * (params.K1 + 1);
  const scores = new Map();
  for (const [doc, weight] of q) {
    const w = weight / params.weightScale;
    scores.set(doc, (factor * w) / (w + params.K1));
  }
  return scores;
}

/** doc -> number of the plan's pairs adjacent in it (pair postings: yes/no per document). */
function adjacentPairCounts(pairs, postings) {
  const counts = new Map();
  for (const pair of pairs) {
    const entry = (postings.get(pair) || {})[pair];
    if (!entry) continue;
    for (const doc of decodePairPostings(entry[1])) counts.set(doc, (counts.get(doc) || 0) + 1);
  }
  return counts;
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
 * The phrase-only rule (vnsearch.scoring.phrase_only; shared vectors in
 * tests/vectors/phrase_only.json): a query of 2..phraseOnlyUnits scored units
 * with pairs, some of whose documents hold every pair adjacent, keeps only the
 * documents holding at least one pair adjacent or matching a synonym rule;
 * the others only scatter its words. `adjacent`: doc -> pairs adjacent in it.
 */
export function phraseOnly(units, pairs, adjacent, synonymDocs, docs, params) {
  if (pairs === 0 || units < 2 || units > params.phraseOnlyUnits) return docs;
  if (docs.length > params.phraseOnlyMaxDocs) return docs; // more kept: all stay (vnsearch's bound)
  if (!docs.some((doc) => (adjacent.get(doc) || 0) === pairs)) return docs;
  return docs.filter((doc) => (adjacent.get(doc) || 0) > 0 || synonymDocs.has(doc));
}

/**
 * doc -> score(d) = total(d) · share(d)^C · (1 + Q · phrase(d)) for the documents
 * kept by the minimum-should-match rule (plugins/lib/tdbvantq/search/README.md, "Ranking"):
 *   S_u(d)   = Σ clause scores of unit u (plan order), U_u = idf(N, documents u matches),
 *   total(d) = Σ_u S_u(d), share(d) = Σ_{u matched} U_u / Σ_u U_u,
 *   phrase(d) = share of the query's pairs adjacent in d (0 without pairs).
 */
export function scoreDocuments(plan, postings, docs, params) {
  const cache = new Map();
  const totals = new Map();
  const coverage = new Map();
  const matched = new Map(); // doc -> number of units it matches
  const synonymDocs = new Set(); // documents matching a synonym clause
  let unitWeightSum = 0;
  for (const unit of plan.units) {
    const unitScores = new Map();
    for (const clause of unit.clauses) {
      for (const [doc, score] of clauseScores(clause, postings, docs, params, cache)) {
        unitScores.set(doc, (unitScores.get(doc) || 0) + score);
        if (clause.synonym) synonymDocs.add(doc);
      }
    }
    const unitWeight = idf(docs.total, unitScores.size); // a rare unit counts more
    unitWeightSum += unitWeight;
    for (const [doc, score] of unitScores) {
      totals.set(doc, (totals.get(doc) || 0) + score);
      coverage.set(doc, (coverage.get(doc) || 0) + unitWeight);
      matched.set(doc, (matched.get(doc) || 0) + 1);
    }
  }
  const share = new Map();
  for (const [doc, value] of coverage) share.set(doc, value / unitWeightSum);
  const adjacent = adjacentPairCounts(plan.pairs, postings);
  const result = new Map();
  const kept = minimumShouldMatch(plan.units.length, matched, share, params);
  for (const doc of phraseOnly(plan.units.length, plan.pairs.length, adjacent, synonymDocs, kept, params)) {
    // 1 + Q · phrase(d), phrase(d) = adjacent pairs / query pairs (vnsearch's grouping).
    const phraseFactor = plan.pairs.length ? 1 + (params.Q * (adjacent.get(doc) || 0)) / plan.pairs.length : 1;
    result.set(doc, totals.get(doc) * share.get(doc) ** params.C * phraseFactor);
  }
  return result;
}

/**
 * Filter by model/year, count facets, order by score (ties as the engine breaks them).
 * The facet rule (plugins/lib/tdbvantq/search/README.md, "Facets"): each facet counts the
 * matching documents that pass every other filter; models by count then slug,
 * years newest first.
 */
export function rankAndFacet(scores, docs, { model = "", year = "", sort = "relevance", place = "" } = {}) {
  const modelIndex = model ? docs.modelSlugs.indexOf(model) : -2;
  const matchesModel = (doc) => modelIndex === -2 || docs.models[doc].includes(modelIndex);
  const matchesYear = (doc) => !year || docs.years[doc] === year;
  // A docs table without places (an older export, a hand-made test table) has none.
  const placesOf = (doc) => (docs.places ? docs.places[doc] : []);
  const placeIndex = place ? (docs.placeSlugs || []).indexOf(place) : -2;
  const matchesPlace = (doc) => placeIndex === -2 || placesOf(doc).includes(placeIndex);
  const modelCounts = new Map();
  const yearCounts = new Map();
  const placeCounts = new Map();
  const hits = [];
  for (const [doc, score] of scores) {
    const inModel = matchesModel(doc);
    const inYear = matchesYear(doc);
    const inPlace = matchesPlace(doc);
    if (inYear && inPlace) {
      for (const m of docs.models[doc]) modelCounts.set(m, (modelCounts.get(m) || 0) + 1);
    }
    if (inModel && inPlace && docs.years[doc]) {
      yearCounts.set(docs.years[doc], (yearCounts.get(docs.years[doc]) || 0) + 1);
    }
    if (inModel && inYear) {
      for (const p of placesOf(doc)) placeCounts.set(p, (placeCounts.get(p) || 0) + 1);
    }
    if (inModel && inYear && inPlace) hits.push({ doc, score });
  }
  // "newest": the same hits by publication day, newest first, ties by relevance
  // (vnsearch SearchEngine.newest); facets do not depend on the order.
  const byDay = sort === "newest" ? (a, b) => docs.days[b.doc] - docs.days[a.doc] : () => 0;
  hits.sort((a, b) => byDay(a, b) || b.score - a.score || docs.order[a.doc] - docs.order[b.doc]);
  const byCount = (a, b) => b[b.length - 1] - a[a.length - 1];
  return {
    hits,
    total: hits.length,
    facets: {
      models: [...modelCounts]
        .map(([m, count]) => [docs.modelSlugs[m], docs.modelNames[m], count])
        .sort((a, b) => byCount(a, b) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      years: [...yearCounts].sort((a, b) => b[0].localeCompare(a[0])),
      places: [...placeCounts]
        .map(([p, count]) => [docs.placeSlugs[p], docs.placeNames[p], count])
        .sort((a, b) => byCount(a, b) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    },
  };
}
