// A story opened from a search result (?tu-khoa=…) shows where the query matched: the
// same syllables the result's snippet marks, in the same whole-unit way ("an" of "an
// ninh" is not marked inside "Công an"), from the same code: the query plan of
// search-engine.js and highlightHits of search-snippet.js, over vntext.js's syllables.
// Loaded only when the parameter is there (a few lines in article.html import it).
// The query is the reader's text from the address bar: it only ever reaches the page
// as the text of existing nodes wrapped in <mark> elements, never as HTML.

import { httpLoader, planQuery, syllables } from "./search-engine.js";
import { highlightHits } from "./search-snippet.js";
import { Glossary } from "./vntext.js";

/** The address parameter search results add to a story's link. */
export const QUERY_PARAM = "tu-khoa";

/**
 * The [start, end) ranges of `text` to mark for a query plan's highlight: the snippet's
 * rule over the whole text (with an exact-diacritic match anywhere, folded coincidences
 * are not marked), runs of marked syllables separated only by spaces joined into one.
 */
export function markRanges(text, highlight, boundary) {
  const syls = syllables(text, boundary);
  let hits = highlightHits(highlight, syls);
  if (hits.includes(2)) hits = hits.map((h) => (h === 2 ? 1 : 0));
  const ranges = [];
  for (let i = 0; i < syls.length; i++) {
    if (!hits[i]) continue;
    let j = i;
    while (j + 1 < syls.length && hits[j + 1] && !text.slice(syls[j].end, syls[j + 1].start).trim()) j += 1;
    ranges.push([syls[i].start, syls[j].end]);
    i = j;
  }
  return ranges;
}

/** The plan's highlight for `query`, with the index's parameters and glossary (its manifest). */
export function queryHighlight(query, manifest) {
  const glossary = new Glossary(manifest.glossary || {});
  return planQuery(query, glossary, manifest.params).highlight;
}

const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEXTAREA", "MARK", "svg"]);
const INLINE = new Set(["A", "ABBR", "B", "CITE", "CODE", "DFN", "EM", "I", "KBD", "Q", "S", "SMALL",
  "SPAN", "STRONG", "SUB", "SUP", "TIME", "U", "VAR", "BDI", "BDO", "DATA", "INS", "DEL"]);

function blockOf(node, root) {
  let element = node.parentElement;
  while (element && element !== root && INLINE.has(element.tagName)) element = element.parentElement;
  return element;
}

/**
 * Wrap the query's matches inside `root` in <mark class="query-mark">. The text of the
 * root's text nodes is read as one string (a pair written across <strong> still counts),
 * with a line break between blocks so words of two paragraphs never pair up. Returns
 * the number of <mark> elements added.
 */
export function highlightElement(root, highlight, boundary) {
  const doc = root.ownerDocument;
  const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */, {
    acceptNode(node) {
      for (let el = node.parentElement; el && el !== root.parentElement; el = el.parentElement) {
        if (SKIP.has(el.tagName)) return 2; // NodeFilter.FILTER_REJECT
      }
      return 1; // NodeFilter.FILTER_ACCEPT
    },
  });
  const pieces = [];
  let text = "";
  let lastBlock = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const block = blockOf(node, root);
    if (pieces.length && block !== lastBlock) text += "\n";
    lastBlock = block;
    pieces.push({ node, start: text.length });
    text += node.data;
  }
  const ranges = markRanges(text, highlight, boundary);
  // Per text node, the parts to wrap; applied from the end so earlier offsets stay valid.
  const parts = new Map();
  let p = 0;
  for (const [start, end] of ranges) {
    while (p < pieces.length && pieces[p].start + pieces[p].node.data.length <= start) p += 1;
    for (let k = p; k < pieces.length && pieces[k].start < end; k++) {
      const { node, start: at } = pieces[k];
      const from = Math.max(start, at) - at;
      const to = Math.min(end, at + node.data.length) - at;
      if (to > from && node.data.slice(from, to).trim()) {
        if (!parts.has(node)) parts.set(node, []);
        parts.get(node).push([from, to]);
      }
    }
  }
  let count = 0;
  for (const [node, spans] of parts) {
    for (const [from, to] of spans.reverse()) {
      const middle = node.splitText(from);
      middle.splitText(to - from);
      const mark = doc.createElement("mark");
      mark.className = "query-mark";
      middle.replaceWith(mark);
      mark.append(middle);
      count += 1;
    }
  }
  return count;
}

/**
 * Highlight `query` in the story's title, lede, photo caption and body. `indexUrl` is the
 * folder of the search index (its manifest gives the boundary, the joiner and the glossary).
 */
export async function highlightStory(story, query, indexUrl, loader = httpLoader) {
  if (!story || !query || !query.trim()) return 0;
  const manifest = await loader(new URL("manifest.json.gz", indexUrl).href);
  const highlight = queryHighlight(query, manifest);
  const boundary = new RegExp(manifest.params.boundary);
  let count = 0;
  for (const part of story.querySelectorAll("h1, .lede, figure.photo figcaption, .story-body")) {
    count += highlightElement(part, highlight, boundary);
  }
  story.dataset.queryMarks = String(count);
  return count;
}

/** The entry point article.html imports when the address has ?tu-khoa=. */
export function run() {
  const story = document.querySelector("article.story[data-search-index]");
  const query = new URLSearchParams(location.search).get(QUERY_PARAM) || "";
  if (!story) return Promise.resolve(0);
  return highlightStory(story, query.slice(0, 200), new URL(story.dataset.searchIndex, location.href)).catch(
    (error) => {
      // No index (a build without search): the story reads as it is, unmarked.
      console.warn("query highlight:", error);
      return 0;
    },
  );
}
