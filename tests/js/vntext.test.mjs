// The JavaScript mirror of plugins/lib/tdbvantq/text against the shared vectors
// (tests/vectors/vntext.json), the same file the Python tests run.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  Glossary,
  GlossaryError,
  fold,
  foldChars,
  foldedWords,
  hasDiacritics,
  lower,
  normalize,
  parseGlossary,
  slugify,
  tokenize,
  words,
} from "../../theme/static/js/vntext.js";

const vectors = JSON.parse(
  readFileSync(new URL("../vectors/vntext.json", import.meta.url), "utf8"),
);
const input = (c) => (c.nfd ? c.input.normalize("NFD") : c.input);

for (const [name, fn] of [["normalize", normalize], ["lower", lower], ["fold", fold]]) {
  test(`${name} matches the shared vectors`, () => {
    assert.ok(vectors[name].length > 0);
    for (const c of vectors[name]) {
      assert.equal(fn(input(c)), c.expected, `${name}(${JSON.stringify(c.input)})`);
    }
  });
}

test("normalize output is NFC", () => {
  for (const c of vectors.normalize) {
    const out = normalize(input(c));
    assert.equal(out, out.normalize("NFC"));
  }
});

test("tokenize matches the shared vectors (norm, folded, spans, numbers)", () => {
  for (const c of vectors.tokenize) {
    const text = input(c);
    const tokens = tokenize(text);
    const label = JSON.stringify(c.input);
    assert.deepEqual(tokens.map((t) => t.norm), c.norm, `norm of ${label}`);
    assert.deepEqual(words(text), c.norm);
    if (c.folded) {
      assert.deepEqual(tokens.map((t) => t.folded), c.folded, `folded of ${label}`);
      assert.deepEqual(foldedWords(text), c.folded);
    }
    if (c.spans) {
      assert.deepEqual(tokens.map((t) => [t.start, t.end]), c.spans, `spans of ${label}`);
    }
    if (c.numbers) {
      assert.deepEqual(tokens.map((t) => t.isNumber), c.numbers, `numbers of ${label}`);
    }
    for (const t of tokens) assert.equal(text.slice(t.start, t.end), t.text);
  }
});

test("slugify matches the shared vectors", () => {
  for (const c of vectors.slugify) assert.equal(slugify(input(c)), c.expected);
});

test("glossary expansions and reverse lookups match the shared vectors", () => {
  const g = vectors.glossary;
  const glossary = parseGlossary(g.source);
  for (const c of g.expansions) {
    assert.deepEqual(glossary.expansions(c.input), c.expected, `expansions(${c.input})`);
  }
  for (const c of g.acronym_for) {
    assert.equal(glossary.acronymFor(c.input), c.expected, `acronymFor(${c.input})`);
  }
  const pairs = [...glossary];
  assert.ok(pairs.some(([a, e]) => a === "PCCC" && e === "phòng cháy, chữa cháy"));
});

test("malformed glossary lines raise an error naming the line", () => {
  for (const line of vectors.glossary.errors) {
    assert.throws(() => parseGlossary(`# ok\n${line}\n`, "acronyms.txt"), (error) => {
      assert.ok(error instanceof GlossaryError);
      assert.match(error.message, /^acronyms\.txt:2: /);
      return true;
    });
  }
});

test("the project's glossary file parses and expands its acronyms", () => {
  const text = readFileSync(new URL("../../content/data/acronyms.txt", import.meta.url), "utf8");
  const glossary = parseGlossary(text);
  assert.ok(glossary instanceof Glossary);
  assert.ok(glossary.expansions("tdbvantq").includes("Toàn dân bảo vệ an ninh Tổ quốc"));
  assert.equal(glossary.acronymFor("toàn dân bảo vệ an ninh tổ quốc"), "TDBVANTQ");
});

test("hasDiacritics tells typed-with-marks queries from folded ones", () => {
  assert.equal(hasDiacritics("đường"), true);
  assert.equal(hasDiacritics("Duong"), false);
  assert.equal(hasDiacritics("dong ho tu quan"), false);
  assert.equal(hasDiacritics("hoà"), true);
});

test("foldChars folds one character for one, as fold does on NFC text", () => {
  const text = normalize("Đảng ủy xã Hòa Bình; ĐOÀN Thanh niên, 2024.");
  assert.equal(foldChars(text), fold(text));
  // Where fold changes the length (Hangul decomposes, a stray mark goes), offsets stay valid.
  for (const odd of ["한국어 dòng họ", "q\u0301 dòng họ"]) {
    assert.notEqual(fold(odd).length, odd.length);
    assert.equal(foldChars(odd).length, odd.length);
    assert.ok(foldChars(odd).endsWith("dong ho"));
  }
});
