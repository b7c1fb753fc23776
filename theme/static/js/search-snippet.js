// Snippets: the best window of a result's text around the query's syllables,
// with only the matched words in <mark>. Mirror of plugins/lib/tdbvantq/search/snippet.py.
// The result is HTML in which everything but <mark> is escaped. Every constant
// (window, focus size, gains) comes from the index manifest through the plan's
// highlight (highlight.snippet, highlight.joiner), as vnsearch exports them.

import { syllables } from "./search-engine.js";
import { foldChars } from "./vntext.js";

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/** Python's html.escape(text, quote=True). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * Per syllable: 2 = exact (or any match of a folded query), 1 = folded only, 0.
 * With wholeUnits, a syllable the query typed next to another one is marked
 * only where the text has it next to that one too ("an" of "an ninh" is not
 * marked inside "Công an"), as vnsearch.snippet.Highlight.hits.
 */
export function highlightHits(highlight, syls, wholeUnits = true) {
  const strong = highlight.accented ? 1 : 2;
  let hits = syls.map((s) => {
    if (highlight.accented && highlight.exact.has(s.norm)) return 2;
    return highlight.folded.has(s.folded) ? strong : 0;
  });
  const joined = syls.map(() => false);
  for (let i = 1; i < syls.length; i++) {
    if (syls[i].boundary) continue;
    const pair = syls[i - 1].folded + highlight.joiner + syls[i].folded;
    if (highlight.bigrams.has(pair)) hits[i - 1] = hits[i] = 2;
    if (highlight.bigrams.has(pair) || highlight.pairs.has(pair)) joined[i - 1] = joined[i] = true;
  }
  if (wholeUnits && highlight.pairs.size) {
    const paired = new Set([...highlight.pairs].flatMap((pair) => pair.split(highlight.joiner)));
    hits = hits.map((h, i) => (joined[i] || !paired.has(syls[i].folded) ? h : 0));
  }
  return hits;
}

/** Best window of `text` for the plan's highlight, as escaped HTML with <mark>. */
export function makeSnippet(fullText, highlight, boundary) {
  const { window, adjacentGain, distinctGain } = highlight.snippet;
  const [text, textCutStart, textCutEnd] = focus(fullText, highlight);
  const syls = syllables(text, boundary);
  if (syls.length === 0) return escapeHtml(text);
  const hits = highlightHits(highlight, syls);
  // Window value: hits, + adjacentGain per adjacent pair of hits, + distinctGain
  // per distinct syllable hit.
  const gains = hits.map(
    (hit, i) => hit + (i && hit && hits[i - 1] && !syls[i].boundary ? adjacentGain : 0),
  );
  const seen = new Map();
  let bestStart = 0;
  let bestValue = -1;
  let value = 0;
  for (let i = 0; i < syls.length; i++) {
    value += gains[i];
    if (hits[i]) seen.set(syls[i].folded, (seen.get(syls[i].folded) || 0) + 1);
    if (i >= window) {
      value -= gains[i - window];
      if (hits[i - window]) {
        const key = syls[i - window].folded;
        const left = (seen.get(key) || 0) - 1;
        if (left) seen.set(key, left);
        else seen.delete(key);
      }
    }
    const total = value + distinctGain * seen.size;
    if (total > bestValue) {
      bestValue = total;
      bestStart = Math.max(0, i - window + 1);
    }
  }
  if (bestValue <= 0) bestStart = 0;
  const end = Math.min(syls.length, bestStart + window);
  let marks = hits.slice(bestStart, end);
  // An exact match in view: do not also mark folded coincidences.
  if (marks.includes(2)) marks = marks.map((h) => (h === 2 ? 1 : 0));
  return render(
    text,
    syls.slice(bestStart, end),
    marks,
    textCutStart || bestStart > 0,
    textCutEnd || end < syls.length,
  );
}

function positions(haystack, text, terms) {
  if (haystack.length !== text.length || !terms.size) return [];
  const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const alternatives = [...terms].sort((a, b) => b.length - a.length).map(escape).join("|");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`, "gu");
  return [...haystack.matchAll(pattern)].map((m) => m.index);
}

/**
 * A slice of a long text around its densest run of query syllables, found with
 * one regex on the folded text (vnsearch.snippet._focus): [text, cutStart, cutEnd].
 */
function focus(text, highlight) {
  const FOCUS_CHARS = highlight.snippet.focusChars;
  if (text.length <= FOCUS_CHARS) return [text, false, false];
  const foldedText = foldChars(text); // one character for one: offsets stay valid
  const phrases = new Set(
    [...highlight.bigrams, ...highlight.pairs].map((b) => b.replace(highlight.joiner, " ")),
  );
  // Whole units first: the query's pairs (and acronym expansions) as phrases;
  // then exact-diacritic syllables; then any folded syllable.
  let found = positions(foldedText, text, phrases);
  if (!found.length && highlight.accented && highlight.exact.size) {
    found = positions(text.toLowerCase(), text, highlight.exact);
  }
  if (!found.length) found = positions(foldedText, text, new Set([...highlight.folded, ...phrases]));
  if (!found.length) return [text.slice(0, FOCUS_CHARS), false, true];
  const span = Math.floor(FOCUS_CHARS / 3);
  let best = found[0];
  let bestCount = 0;
  let j = 0;
  found.forEach((start, i) => {
    while (found[j] < start - span) j += 1;
    if (i - j + 1 > bestCount) {
      bestCount = i - j + 1;
      best = found[j];
    }
  });
  let begin = Math.max(0, best - Math.floor(FOCUS_CHARS / 3));
  let end = Math.min(text.length, begin + FOCUS_CHARS);
  // Start and end on whitespace so no syllable is cut in half.
  if (begin > 0) {
    const space = text.indexOf(" ", begin);
    begin = space >= 0 && space < best ? space + 1 : begin;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end - 1);
    end = space > begin ? space : end;
  }
  return [text.slice(begin, end), begin > 0, end < text.length];
}

function render(text, syls, hits, cutStart, cutEnd) {
  const out = cutStart ? ["… "] : [];
  let position = syls[0].start;
  let i = 0;
  while (i < syls.length) {
    if (!hits[i]) {
      i += 1;
      continue;
    }
    let j = i;
    // Join runs of marked syllables separated only by spaces: <mark>dòng họ</mark>.
    while (j + 1 < syls.length && hits[j + 1] && !text.slice(syls[j].end, syls[j + 1].start).trim()) {
      j += 1;
    }
    out.push(escapeHtml(text.slice(position, syls[i].start)));
    out.push(`<mark>${escapeHtml(text.slice(syls[i].start, syls[j].end))}</mark>`);
    position = syls[j].end;
    i = j + 1;
  }
  out.push(escapeHtml(text.slice(position, syls[syls.length - 1].end)));
  if (cutEnd) out.push(" …");
  return out.join("").replace(/\n/g, " ");
}
