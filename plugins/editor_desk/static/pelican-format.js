// The `Key: value` header of the site's Markdown files, read as plugins/lib/tdbvantq/markdown/header.py reads it
// (Python-Markdown's "meta" grammar, which Pelican uses) and written back so that a file
// the editor did not change is byte for byte the same, and a changed file keeps its
// unknown fields, repeated fields, key spellings, field order, blank lines and body.
//
// The desk registers `pelicanFormat(schema)` with CMS.registerCustomFormat. `schema.fields`
// maps a lower-cased key to {name, kind, sep}: kind "list" (split on sep), "date"
// (shown in Vietnam time), anything else a plain string. Keys the schema does not name
// never enter the form: their lines are copied as they are.

export const SOURCE_KEY = "__desk_source"; // the file's text as read: what toFile patches
export const ERROR_KEY = "__desk_error"; // why the header could not be read (Vietnamese)

// Python's str.splitlines boundaries (mdheader splits lines with it).
const BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
// Python's str.strip() white space.
const PY_SPACE = " \\t\\n\\r\\v\\f\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");
const META_RE = new RegExp(`^[ ]{0,3}([A-Za-z0-9_-]+):[${PY_SPACE}]*(.*)$`, "s");
const META_MORE_RE = /^[ ]{4,}(.*)$/s;
const BEGIN_RE = /^-{3}/; // mdheader's `^-{3}(\s.*)?` with re.match: any line starting with ---
const END_RE = /^(-{3}|\.{3})/;

const VN_OFFSET_MINUTES = 7 * 60;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function pyStrip(text) {
  return text.replace(STRIP, "");
}

/** Lines of `text` as [{text, end}] where `end` is the line break that followed it. */
export function splitLines(text) {
  const lines = [];
  let start = 0;
  for (const match of text.matchAll(BREAK)) {
    lines.push({ text: text.slice(start, match.index), end: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) lines.push({ text: text.slice(start), end: "" });
  return lines;
}

/** The header's structure: mdheader.parse_header, keeping every byte around it. */
export function parseDocument(text) {
  const bom = text.startsWith("\ufeff") ? "\ufeff" : "";
  const lines = splitLines(text.slice(bom.length));
  const open = lines.length && BEGIN_RE.test(lines[0].text) ? 1 : 0;
  const fields = [];
  let malformed = null;
  let closed = false;
  let index = open;
  while (index < lines.length) {
    const line = lines[index].text;
    if (!pyStrip(line) || END_RE.test(line)) {
      closed = true;
      index += 1;
      break;
    }
    const meta = META_RE.exec(line);
    const more = META_MORE_RE.exec(line);
    if (meta) {
      fields.push({ key: meta[1].toLowerCase(), name: meta[1], value: pyStrip(meta[2]), start: index, stop: index + 1 });
    } else if (fields.length && more) {
      const last = fields[fields.length - 1];
      last.value = pyStrip(`${last.value} ${pyStrip(line)}`);
      last.stop = index + 1;
    } else {
      malformed = { line: index + 1, text: line };
      break;
    }
    index += 1;
  }
  const bodyStart = index; // 0-based index of the first body line
  const body = lines.slice(bodyStart).map((l) => l.text + l.end).join("");
  return { bom, lines, open, fields, closed, malformed, bodyStart, body };
}

function pad(number, width = 2) {
  return String(number).padStart(width, "0");
}

/** A Date/Modified value as Vietnam wall time "YYYY-MM-DD HH:mm+07:00", or null when the
 * value is not written the one accepted way (then the form shows it as written). */
export function toVietnamTime(value) {
  const match = DATE_RE.exec(pyStrip(value));
  if (!match) return null;
  const [, y, mo, d, h, mi, s, offset] = match;
  let offsetMinutes = VN_OFFSET_MINUTES; // no offset: the site reads Vietnam time
  if (offset === "Z") offsetMinutes = 0;
  else if (offset) {
    const digits = offset.replace(":", "");
    offsetMinutes = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5))) * (offset[0] === "-" ? -1 : 1);
  }
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +(s || 0)) - offsetMinutes * 60000;
  const local = new Date(utc + VN_OFFSET_MINUTES * 60000);
  if (Number.isNaN(local.getTime())) return null;
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}+07:00`
  );
}

/** The form's value of a header value. */
export function toFormValue(spec, value) {
  if (spec.kind === "list") {
    return value.split(spec.sep).map(pyStrip).filter(Boolean);
  }
  if (spec.kind === "date") return toVietnamTime(value) ?? value;
  return value;
}

/** The header text of a form value ("" for nothing). */
export function toHeaderValue(spec, value) {
  if (value === null || value === undefined) return "";
  if (typeof value?.toJS === "function") value = value.toJS();
  if (Array.isArray(value)) {
    const joiner = spec.sep === ";" ? "; " : `${spec.sep} `;
    return value.map((part) => oneLine(String(part))).filter(Boolean).join(joiner);
  }
  return oneLine(String(value));
}

function oneLine(text) {
  // A header value is one line: Pelican would end the header at a line break.
  return splitLines(text).map((line) => pyStrip(line.text)).filter(Boolean).join(" ");
}

// What the desk writes is NFC (the site's text form); what it does not change keeps its bytes.
const nfc = (text) => text.normalize("NFC");

function parseError(parsed) {
  if (!parsed.malformed) return null;
  const { line, text } = parsed.malformed;
  return (
    `Dòng ${line}: “${text.trim()}” không phải dạng “Tên: giá trị” nên phần thông tin ở đầu tệp ` +
    `dừng ở đây; từ dòng này trở đi được coi là nội dung bài. Sửa dòng này trong ô Nội dung ` +
    `(thêm một dòng trống trước nó, hoặc sửa thành “Tên: giá trị”) rồi hãy lưu.`
  );
}

/** fromFile: the entry's data. */
export function readEntry(schema, text) {
  const parsed = parseDocument(text);
  const data = {};
  const seen = new Set();
  for (const field of parsed.fields) {
    const spec = schema.fields[field.key];
    if (!spec || seen.has(field.key)) continue;
    seen.add(field.key);
    data[field.key] = toFormValue(spec, field.value);
  }
  data.body = parsed.body;
  data[SOURCE_KEY] = text;
  const problem = parseError(parsed);
  if (problem) data[ERROR_KEY] = problem;
  return data;
}

function dominantEnd(lines) {
  const found = lines.find((line) => line.end);
  return found ? found.end : "\n";
}

/** toFile: the file's text. `order` is the schema's keys in the form's order. */
export function writeEntry(schema, data, order = Object.keys(schema.fields)) {
  const source = data[SOURCE_KEY];
  const body = data.body === null || data.body === undefined ? "" : String(data.body);
  // Only the keys this collection's form shows are edited; any other line, even one the
  // schema knows (a Date on a page), is copied as written: a field is never dropped because
  // the form did not show it.
  const keys = order.filter((key) => key !== "body" && schema.fields[key]);
  const editable = new Set(keys);
  const parsed = parseDocument(typeof source === "string" ? source : "");
  const end = dominantEnd(parsed.lines);
  const raw = (from, to) => parsed.lines.slice(from, to).map((l) => l.text + l.end).join("");
  const out = [parsed.bom, raw(0, parsed.open)];
  const done = new Set();
  let cursor = parsed.open;
  for (const field of parsed.fields) {
    cursor = field.stop;
    const spec = schema.fields[field.key];
    if (!spec || !editable.has(field.key) || done.has(field.key)) {
      out.push(raw(field.start, field.stop)); // unknown, not in this form, or repeated: as written
      continue;
    }
    done.add(field.key);
    const before = toHeaderValue(spec, toFormValue(spec, field.value));
    const after = toHeaderValue(spec, data[field.key]);
    if (after === before) {
      out.push(raw(field.start, field.stop));
    } else if (after) {
      out.push(`${field.name}: ${nfc(after)}${parsed.lines[field.stop - 1].end || end}`);
    } // emptied in the form: the line goes, as the editor asked
  }
  let added = "";
  for (const key of keys) {
    if (done.has(key)) continue;
    const value = toHeaderValue(schema.fields[key], data[key]);
    if (value) added += `${schema.fields[key].name}: ${nfc(value)}${end}`;
  }
  const last = parsed.lines[cursor - 1];
  const bodyFollows = !parsed.closed && body !== "" && !(parsed.malformed && parsed.fields.length);
  if ((added || bodyFollows) && cursor > parsed.open && last && !last.end) out.push(end); // header ended the file
  out.push(added);
  out.push(raw(cursor, parsed.bodyStart)); // the blank line (or ---) ending the header
  const hasHeader = parsed.fields.length > 0 || added !== "";
  if (bodyFollows && hasHeader) {
    out.push(end); // a body after a header needs the blank line Pelican ends the header with
  }
  out.push(finalBreak(parsed.body, body, end, typeof source !== "string"));
  return out.join("");
}

// An editor's text area may drop the file's last line break: give it back. Nothing else in
// the body is touched. A new file ends with a line break.
function finalBreak(before, after, end, isNew) {
  if (after === before || !after) return after;
  after = nfc(after);
  if (splitLines(after).at(-1).end) return after;
  const had = isNew || !before ? end : splitLines(before).at(-1)?.end;
  return had ? after + had : after;
}

/** The object CMS.registerCustomFormat takes. */
export function pelicanFormat(schema) {
  return {
    fromFile: (text) => readEntry(schema, text),
    toFile: (data, order) => writeEntry(schema, data, order && order.length ? order : undefined),
  };
}
