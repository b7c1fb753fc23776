// The checks the desk runs before a save: the same date, model-name, link and
// active-markup rules as `make check`, with its Vietnamese messages. The rule data
// (patterns, offsets, model names, messages) is exported by the build from the
// checker's own code into admin/rules.json (plugins/editor_desk/rules.py); this file
// only mirrors the logic. tests/vectors/desk_rules.json holds cases both sides agree on.

import { parseDocument, splitLines } from "./pelican-format.js";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INDENTED = /^(?: {4}|\t)/;
const LIST_ITEM = /^ {0,3}(?:[-*+]|\d+[.)])\s/;
const INLINE_CODE = /(`+).+?\1/g;
const LINK = /(?:\{|\|)(static|filename|attach)(?:\}|\|)([^\s"'<>)\]]+)/g;
// link_rules._LINK_CONTEXT: only where a URL stands (link target, attribute, header value).
const LINK_CONTEXT = /(?:\]\(\s*<?|\]:\s*|=\s*["']?|<|,\s*|^[A-Za-z_]+:\s*)$/;
const ATTR_LIST = /\{:([^}]*)\}/g;
const ATTR_OK = /^(?:\.[\w-]+|#[\w-]+|(?:class|id)=.*)$/i;

function regex(spec, extra = "") {
  return new RegExp(spec.source, spec.flags + extra);
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function problem(line, code, entry, values = {}) {
  return { line, code, message: fill(entry.message, values), hint: entry.hint ? fill(entry.hint, values) : "" };
}

/** mdsource.code_block_lines: 1-based numbers of lines inside code blocks of the body. */
export function codeBlockLines(lines, bodyStart = 1) {
  const inside = new Set();
  let fence = "";
  let previousBlank = true;
  let inIndented = false;
  for (let number = bodyStart; number <= lines.length; number += 1) {
    const line = lines[number - 1];
    if (fence) {
      inside.add(number);
      const stripped = line.trim();
      if (stripped.startsWith(fence[0].repeat(fence.length)) && !stripped.split(fence[0]).join("")) fence = "";
      continue;
    }
    const opening = FENCE.exec(line);
    if (opening) {
      fence = opening[1];
      inside.add(number);
      inIndented = false;
      continue;
    }
    const blank = !line.trim();
    if (INDENTED.test(line) && !blank && (previousBlank || inIndented)) {
      inIndented = inIndented || !afterListItem(lines, number);
      if (inIndented) inside.add(number);
    } else if (!blank) {
      inIndented = false;
    }
    previousBlank = blank;
  }
  return inside;
}

function afterListItem(lines, number) {
  for (let earlier = number - 2; earlier >= 0; earlier -= 1) {
    const text = lines[earlier];
    if (!text.trim()) continue;
    return LIST_ITEM.test(text) || INDENTED.test(text);
  }
  return false;
}

function withoutInlineCode(line) {
  return line.replace(INLINE_CODE, (match) => " ".repeat(match.length));
}

/** strict_content.checks.find_active_markup, plus `{: …}` attribute lists. */
export function activeMarkup(rules, lines, bodyStart) {
  const found = [];
  const messages = rules.messages.markup;
  const tagRe = regex(rules.markup_patterns.tag);
  const eventRe = regex(rules.markup_patterns.event);
  const urlRe = regex(rules.markup_patterns.url);
  const srcRe = regex(rules.markup_patterns.src);
  const trusted = new Set(rules.iframe_hosts.map((host) => host.toLowerCase()));
  const code = codeBlockLines(lines, bodyStart);
  lines.forEach((raw, index) => {
    const number = index + 1;
    if (code.has(number)) return;
    const line = withoutInlineCode(raw);
    const tag = tagRe.exec(line);
    if (tag && !trustedIframe(tag, trusted, srcRe)) {
      found.push(problem(number, "unsafe-html", messages[`tag_${tag[1].toLowerCase()}`]));
    }
    const event = eventRe.exec(line);
    if (event) found.push(problem(number, "unsafe-html", messages.event, { attr: event[1] }));
    const url = urlRe.exec(line);
    if (url) found.push(problem(number, "unsafe-html", messages[`url_${url[1].toLowerCase()}`]));
    for (const list of line.matchAll(ATTR_LIST)) {
      const keys = list[1].trim().split(/\s+/).filter((part) => part && !ATTR_OK.test(part));
      if (keys.length) {
        const names = keys.map((part) => part.split("=")[0]).join(", ");
        found.push(problem(number, "unsafe-html", rules.messages.attr_list, { keys: names }));
      }
    }
  });
  return found;
}

function trustedIframe(tag, trusted, srcRe) {
  if (tag[1].toLowerCase() !== "iframe" || !trusted.size) return false;
  const source = srcRe.exec(`${tag[2]}>`);
  return Boolean(source) && trusted.has(source[1].toLowerCase());
}

function daysIn(year, month) {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why the build refuses a Date/Modified value: "format", "unreal" or null (accepted). */
export function dateProblem(rules, value) {
  const match = regex(rules.date).exec(value.trim());
  if (!match) return "format";
  const offset = match.groups.offset;
  if (offset && offset !== "Z") {
    const hours = Number(offset.slice(1, 3));
    const minutes = Number(offset.slice(-2));
    const span = (hours * 60 + minutes) * (offset[0] === "-" ? -1 : 1);
    const [low, high] = rules.offset_minutes;
    if (minutes >= 60 || span < low || span > high) return "unreal";
  }
  const [y, mo, d, h, mi, s] = [0, 5, 8, 11, 14, 17].map((at, i) =>
    Number(value.trim().slice(at, at + (i === 0 ? 4 : 2))),
  );
  const hasSeconds = /^\S+[ T]\d{2}:\d{2}:/.test(value.trim());
  const real =
    mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo) && h <= 23 && mi <= 59 && (!hasSeconds || s <= 59) && y >= 1;
  if (real) return null;
  return offset ? "unreal" : "format";
}

function modelKnown(rules, words, name) {
  if (!rules._modelKeys) {
    Object.defineProperty(rules, "_modelKeys", { value: new Set(rules.model_keys), enumerable: false });
  }
  return rules._modelKeys.has(words(name).join(" ")) || rules.model_slugs.includes(name.trim());
}

function resolveLink(path, docFolder) {
  const parts = (path.startsWith("/") ? path.slice(1) : `${docFolder}/${path}`).split("/");
  const out = [];
  for (const part of parts) {
    if (part === "..") out.pop();
    else if (part && part !== ".") out.push(part);
  }
  return out.join("/");
}

/**
 * Every problem `make check` would report for these rules in the file `text`.
 * `options`: words (vntext.words), path (content-relative path the file is saved at),
 * extraFiles (content-relative paths uploaded with this save), kind ("article", "page",
 * "model").
 */
export function checkText(rules, text, options) {
  const { words, path = "articles/new.md", extraFiles = [], kind = "article" } = options;
  const parsed = parseDocument(text);
  const lines = splitLines(text.replace(/^\ufeff/, "")).map((line) => line.text);
  const problems = [];
  const first = new Map();
  for (const field of parsed.fields) if (!first.has(field.key)) first.set(field.key, field);
  if (kind === "article") {
    for (const key of ["date", "modified"]) {
      const field = first.get(key);
      if (!field || !field.value || /\[CẦN ĐIỀN/.test(field.value)) continue;
      const why = dateProblem(rules, field.value);
      if (why) problems.push(problem(field.start + 1, "bad-date", rules.messages[`${key}_${why}`], { value: field.value }));
    }
    const models = first.get("models");
    if (models && models.value) {
      for (const name of models.value.split(";").map((part) => part.trim())) {
        if (name && !modelKnown(rules, words, name)) {
          problems.push(problem(models.start + 1, "unknown-model", rules.messages.unknown_model, { name }));
        }
      }
    }
    if (!first.has("author") && !first.has("authors")) {
      problems.push(problem(1, "missing-field", rules.messages.missing_author));
    }
  }
  const files = new Set([...rules.files, ...extraFiles]);
  const folder = path.split("/").slice(0, -1).join("/");
  lines.forEach((line, index) => {
    if (/\[CẦN ĐIỀN/.test(line)) return;
    for (const match of line.matchAll(LINK)) {
      if (!LINK_CONTEXT.test(line.slice(0, match.index))) continue;
      const [, kindOfLink, target] = match;
      let target_path = target.split("#")[0].split("?")[0];
      try {
        target_path = decodeURIComponent(target_path);
      } catch {
        // an undecodable address is looked up as written
      }
      if (!target_path || files.has(resolveLink(target_path, folder))) continue;
      const entry = kindOfLink === "filename" ? rules.messages.broken_link_filename : rules.messages.broken_link_static;
      const resolved = resolveLink(target_path, folder);
      const where = resolved.split("/").slice(0, -1).join("/");
      problems.push(problem(index + 1, "broken-link", entry, { target: `{${kindOfLink}}${target}`, folder: `{${kindOfLink}}/${where}/` }));
    }
  });
  problems.push(...activeMarkup(rules, lines, parsed.bodyStart + 1));
  return problems.sort((a, b) => a.line - b.line);
}
