// Vietnamese text handling in the browser: a line-by-line mirror of
// plugins/lib/tdbvantq/text (text.py, glossary.py). Both pass tests/vectors/vntext.json;
// change them together.

const TONE_MARKS = new Set(["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]);
const QUALITY_MARKS = new Set(["\u0306", "\u0302", "\u031b"]);
const VOWELS = new Set("aeiouy");
const CODAS = new Set(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]);

// Python's [^\W\d_] (letters) and [^\W_] (letters and digits), Unicode-aware.
const LETTER_RUN = /[\p{L}\p{Nl}\p{No}]+/gu;
const COMBINING = /[\u0300-\u036f]/g;
// Soft hyphen, zero-width space, word joiner, byte order mark: dropped, and a
// word holding one is still one token (vntext.INVISIBLES).
const INVISIBLE_CHARS = "\u00ad\u200b\u2060\ufeff";
const INVISIBLES = new RegExp(`[${INVISIBLE_CHARS}]`, "g");
const TOKEN = new RegExp(
  "\\p{Nd}+(?:[.,/:]\\p{Nd}+)*(?![\\p{L}\\p{N}])" +
    `|[\\p{L}\\p{N}][\\u0300-\\u036f]*(?:[${INVISIBLE_CHARS}]*[\\p{L}\\p{N}][\\u0300-\\u036f]*)*`,
  "gu",
);
const NUMBER = /^\p{Nd}+(?:[.,/:]\p{Nd}+)*$/u;
const NON_SLUG = /[^a-z0-9]+/g;
const OTHER_COMBINING = /\p{Mn}/u;

// Full-width and letterlike compatibility letters and digits fold to their
// NFKC letter, one character for one (vntext.COMPAT); not NFKC on all text,
// which would turn "…" into "...".
const COMPAT_CHAR = /[\uff00-\uffef\u2100-\u214f]/g;
const COMPAT = new Map();
for (const [low, high] of [[0xff00, 0xffef], [0x2100, 0x214f]]) {
  for (let code = low; code <= high; code++) {
    const char = String.fromCharCode(code);
    const nfkc = char.normalize("NFKC");
    if (nfkc.length === 1 && nfkc !== char && /[\p{L}\p{N}]/u.test(nfkc)) COMPAT.set(char, nfkc);
  }
}
const compat = (text) => text.replace(COMPAT_CHAR, (char) => COMPAT.get(char) ?? char);
const lookalikes = (text) =>
  compat(text.replace(/\u00d0/g, "\u0110").replace(/\u00f0/g, "\u0111").replace(INVISIBLES, ""));
const dstroke = (text) => text.replace(/\u0110/g, "D").replace(/\u0111/g, "d");

/** NFC, look-alikes mapped, invisibles dropped, and canonical tone placement in every syllable. */
export function normalize(text) {
  return lookalikes(String(text)).normalize("NFC").replace(LETTER_RUN, normalizeWord);
}

/** Normalized and lowercased: the form compared when diacritics matter. */
export function lower(text) {
  return normalize(text).toLowerCase();
}

/** Lowercase, without any diacritic, with "đ" as "d": "Đảm bảo" -> "dam bao". */
export function fold(text) {
  return dstroke(lookalikes(String(text)).normalize("NFD").replace(COMBINING, "")).toLowerCase();
}

// Characters foldChars maps: those of plugins/lib/tdbvantq/text's table (U+0000 to U+1FFF)
// and the compatibility letters (COMPAT).
const FOLDABLE_CHAR = /[\u0000-\u1fff\uff00-\uffef\u2100-\u214f]/g;
const foldedChars = new Map();

function foldChar(char) {
  let folded = foldedChars.get(char);
  if (folded === undefined) {
    folded = fold(char);
    if (folded.length !== 1) folded = char;
    foldedChars.set(char, folded);
  }
  return folded;
}

/**
 * `fold` one character for one, so offsets stay valid (vntext.fold_chars): for
 * NFC text the same as `fold`; a character whose fold is not one character is kept.
 */
export function foldChars(text) {
  return String(text).replace(FOLDABLE_CHAR, foldChar);
}

/**
 * Split text into syllables and numbers; punctuation is dropped, nothing else.
 * Each token: {text, start, end, norm, folded, isNumber}; offsets are UTF-16
 * indexes into `text` (equal to Python's for Basic Multilingual Plane text).
 */
export function tokenize(text) {
  const tokens = [];
  for (const match of String(text).matchAll(TOKEN)) {
    const raw = match[0];
    tokens.push({
      text: raw,
      start: match.index,
      end: match.index + raw.length,
      norm: lower(raw),
      folded: fold(raw),
      isNumber: NUMBER.test(raw),
    });
  }
  return tokens;
}

/** The normalized lowercase syllables of a text. */
export function words(text) {
  return tokenize(text).map((token) => token.norm);
}

/** The folded syllables of a text. */
export function foldedWords(text) {
  return tokenize(text).map((token) => token.folded);
}

/** URL slug from a Vietnamese title: "Bám cơ sở" -> "bam-co-so". */
export function slugify(text) {
  return fold(normalize(text)).replace(NON_SLUG, "-").replace(/^-+|-+$/g, "");
}

/** True when `text` has a letter with a diacritic (or đ), i.e. it differs from its fold. */
export function hasDiacritics(text) {
  return fold(text) !== String(text).toLowerCase();
}

function normalizeWord(word) {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(word)) return word;
  return placeTone(word);
}

const toneCache = new Map();

function placeTone(word) {
  let result = toneCache.get(word);
  if (result === undefined) {
    result = computeTone(word);
    if (toneCache.size > 65536) toneCache.clear();
    toneCache.set(word, result);
  }
  return result;
}

function computeTone(word) {
  const letters = splitLetters(word.normalize("NFD"));
  if (letters === null) return word;
  const tones = [];
  letters.forEach((letter, i) => {
    if (letter[2]) tones.push(i);
  });
  if (tones.length !== 1) return word;
  const target = tonePosition(letters.map(([base, quality]) => [base.toLowerCase(), quality]));
  const current = tones[0];
  if (target === null || target === current) return word;
  const tone = letters[current][2];
  letters[current][2] = "";
  letters[target][2] = tone;
  return letters.map(([b, q, t]) => b + q + t).join("").normalize("NFC");
}

function splitLetters(decomposed) {
  const letters = [];
  for (const char of decomposed) {
    if (TONE_MARKS.has(char) || QUALITY_MARKS.has(char)) {
      if (letters.length === 0) return null;
      const slot = TONE_MARKS.has(char) ? 2 : 1;
      if (slot === 2 && letters[letters.length - 1][2]) return null;
      letters[letters.length - 1][slot] += char;
    } else if (OTHER_COMBINING.test(char)) {
      return null;
    } else {
      letters.push([char, "", ""]);
    }
  }
  return letters;
}

function tonePosition(letters) {
  const vowelPositions = [];
  letters.forEach(([base], i) => {
    if (VOWELS.has(base)) vowelPositions.push(i);
  });
  if (vowelPositions.length === 0) return null;
  const first = vowelPositions[0];
  const last = vowelPositions[vowelPositions.length - 1];
  if (last - first + 1 !== vowelPositions.length) return null;
  const onset = letters.slice(0, first).map(([base]) => base).join("");
  const coda = letters.slice(last + 1).map(([base]) => base).join("");
  if (!CODAS.has(coda)) return null;
  let nucleus = [];
  for (let i = first; i <= last; i++) nucleus.push(i);
  // "qu" and "gi" onsets: the u/i belongs to the onset, not the nucleus.
  if (
    nucleus.length > 1 &&
    ((onset === "q" && letters[first][0] === "u") || (onset === "g" && letters[first][0] === "i"))
  ) {
    nucleus = nucleus.slice(1);
  }
  if (nucleus.length > 3) return null;
  const marked = nucleus.filter((i) => letters[i][1]);
  if (marked.length) return marked[marked.length - 1];
  if (coda) return nucleus[nucleus.length - 1];
  if (nucleus.length === 3) return nucleus[1];
  return nucleus[0];
}

/** A glossary line that cannot be read; the message names the source and line. */
export class GlossaryError extends Error {}

/** The press's acronyms, used both ways at query time (mirror of vntext.Glossary). */
export class Glossary {
  /** @param {Object<string, string[]>} entries acronym -> expansions */
  constructor(entries = {}) {
    this.entries = entries;
    this.byFolded = new Map();
    this.byPhrase = new Map();
    this.byFoldedPhrase = new Map();
    for (const [acronym, expansions] of Object.entries(entries)) {
      const key = fold(acronym);
      if (!this.byFolded.has(key)) this.byFolded.set(key, []);
      this.byFolded.get(key).push(...expansions);
      for (const expansion of expansions) {
        const phrase = words(expansion).join(" ");
        if (!this.byPhrase.has(phrase)) this.byPhrase.set(phrase, acronym);
        if (!this.byFoldedPhrase.has(fold(phrase))) this.byFoldedPhrase.set(fold(phrase), acronym);
      }
    }
  }

  *[Symbol.iterator]() {
    for (const [acronym, expansions] of Object.entries(this.entries)) {
      for (const expansion of expansions) yield [acronym, expansion];
    }
  }

  get size() {
    return Object.keys(this.entries).length;
  }

  /** Expansions of an acronym, found however it is typed ("pccc", "BĐBP", "bdbp"). */
  expansions(word) {
    return [...(this.byFolded.get(fold(word)) || [])];
  }

  /** The acronym of an expansion, compared syllable by syllable, punctuation ignored. */
  acronymFor(phrase) {
    const found = this.byPhrase.get(words(phrase).join(" "));
    return found === undefined ? null : found;
  }

  /** Every expansion as folded syllables joined by spaces -> its acronym (the first listed). */
  foldedPhrases() {
    return new Map(this.byFoldedPhrase);
  }

  /** Every expansion as normalized lowercase syllables joined by spaces -> its acronym. */
  phrases() {
    return new Map(this.byPhrase);
  }
}

/** Parse the glossary format of content/data/acronyms.txt. */
export function parseGlossary(text, source = "<glossary>") {
  const entries = {};
  const lines = String(text).split(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const at = line.indexOf("=");
    const sep = at >= 0;
    const acronym = normalize((sep ? line.slice(0, at) : line).trim());
    const expansion = normalize((sep ? line.slice(at + 1) : "").trim());
    if (!sep || !acronym || !expansion || acronym.includes(" ")) {
      throw new GlossaryError(
        `${source}:${index + 1}: expected 'ACRONYM = expansion', got ${JSON.stringify(line)}`,
      );
    }
    (entries[acronym] ||= []).push(expansion);
  });
  return new Glossary(entries);
}
