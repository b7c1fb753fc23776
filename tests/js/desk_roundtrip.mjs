// node tests/js/desk_roundtrip.mjs SCHEMA.json < paths: every file read and written back
// through the desk's format; prints JSON {checked, mismatches, headers} for the Python test.
import { readFileSync } from "node:fs";

import { parseDocument, readEntry, writeEntry } from "../../plugins/editor_desk/static/pelican-format.js";

const schema = JSON.parse(readFileSync(process.argv[2], "utf8"));
const paths = readFileSync(0, "utf8").split("\n").filter(Boolean);
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }); // keep a BOM: it is part of the bytes
const result = { checked: [], mismatches: [], skipped: [], headers: {} };
for (const path of paths) {
  const bytes = readFileSync(path);
  let text;
  try {
    text = decoder.decode(bytes);
  } catch {
    result.skipped.push(path); // not UTF-8: the desk never opens it (make check reports it)
    continue;
  }
  const written = Buffer.from(writeEntry(schema, readEntry(schema, text)), "utf8");
  (written.equals(bytes) ? result.checked : result.mismatches).push(path);
  const parsed = parseDocument(text);
  result.headers[path] = {
    fields: parsed.fields.map((f) => [f.key, f.name, f.value, f.start + 1]),
    malformed: parsed.malformed ? [parsed.malformed.line, parsed.malformed.text] : null,
    body_start: parsed.bodyStart + 1,
  };
}
process.stdout.write(JSON.stringify(result));
