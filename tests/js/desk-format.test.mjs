// The desk's header format (plugins/editor_desk/static/pelican-format.js): read as
// plugins/lib/tdbvantq/markdown/header.py reads, written back byte for byte when nothing changed.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ERROR_KEY,
  parseDocument,
  readEntry,
  toVietnamTime,
  writeEntry,
} from "../../plugins/editor_desk/static/pelican-format.js";

const schema = {
  fields: {
    title: { name: "Title", kind: "string", sep: "" },
    slug: { name: "Slug", kind: "string", sep: "" },
    date: { name: "Date", kind: "date", sep: "" },
    authors: { name: "Authors", kind: "list", sep: "," },
    tags: { name: "Tags", kind: "list", sep: "," },
    models: { name: "Models", kind: "list", sep: ";" },
    summary: { name: "Summary", kind: "string", sep: "" },
  },
};
const order = ["title", "slug", "date", "authors", "summary", "models", "tags", "body"];

const UNUSUAL = [
  "---\ntitle:   Bài  lạ\nDATE: 2023-08-03 21:15-04:00\nX-Custom: giữ\nTags: a,b ,  c\nSummary: Một sapo\n    viết tiếp.\nTitle: lặp lại\n---\n\nThân bài  \n",
  "Title: a\r\nDate: 2023-01-01 00:00\r\n\r\nb\r\n",
  "\ufeffTitle: có BOM\n\nx",
  "Title: chỉ có đầu",
  "\nChỉ có thân bài\n",
  "Tags Phong trào\nTitle: x\n\nbody\n",
  "Title: x\n  hai dấu cách\n\nbody\n",
  "",
  "Title: Hòa\u2028Date: x\n\nb\u2029c\n",
];

test("every unusual file comes back byte for byte", () => {
  for (const text of UNUSUAL) {
    const data = readEntry(schema, text);
    assert.equal(writeEntry(schema, data, order), text, JSON.stringify(text));
  }
});

test("reading follows mdheader: first value wins, continuation joined, key lower-cased", () => {
  const data = readEntry(schema, UNUSUAL[0]);
  assert.equal(data.title, "Bài  lạ");
  assert.equal(data.summary, "Một sapo viết tiếp.");
  assert.deepEqual(data.tags, ["a", "b", "c"]);
  assert.equal(data.date, "2023-08-04 08:15+07:00"); // shown in Vietnam time
  assert.equal(data.body, "\nThân bài  \n");
  assert.equal(data.x_custom, undefined); // unknown fields stay out of the form…
  const parsed = parseDocument(UNUSUAL[0]);
  assert.deepEqual(parsed.fields.map((f) => f.name), ["title", "DATE", "X-Custom", "Tags", "Summary", "Title"]);
});

test("a changed field keeps the key's spelling, the order and the unknown fields", () => {
  const data = readEntry(schema, UNUSUAL[0]);
  data.title = "Tiêu đề mới";
  data.authors = ["Nguyễn Văn A", "Trần Thị Bình"];
  const out = writeEntry(schema, data, order);
  assert.equal(
    out,
    "---\ntitle: Tiêu đề mới\nDATE: 2023-08-03 21:15-04:00\nX-Custom: giữ\nTags: a,b ,  c\nSummary: Một sapo\n    viết tiếp.\nTitle: lặp lại\nAuthors: Nguyễn Văn A, Trần Thị Bình\n---\n\nThân bài  \n",
  );
});

test("a date changed in the form is written in Vietnam time with +07:00", () => {
  const data = readEntry(schema, "Title: x\nDate: 2023-08-03 21:15-04:00\n\nb\n");
  data.date = "2023-08-05 09:30+07:00";
  assert.equal(writeEntry(schema, data, order), "Title: x\nDate: 2023-08-05 09:30+07:00\n\nb\n");
  assert.equal(toVietnamTime("2023-12-31 20:00Z"), "2024-01-01 03:00+07:00");
  assert.equal(toVietnamTime("03/08/2023"), null);
});

test("a new story is written in the form's order, NFC, with lists joined as the site splits them", () => {
  const out = writeEntry(schema, {
    title: "Hoa\u0300 gia\u0309i", slug: "hoa-giai", date: "2026-12-01 09:30+07:00",
    authors: ["Nguyễn Văn A", "Trần Thị Bình"], models: ["Camera an ninh", "Dòng họ tự quản"],
    tags: [], body: "Nội dung",
  }, order);
  assert.equal(
    out,
    "Title: Hoà giải\nSlug: hoa-giai\nDate: 2026-12-01 09:30+07:00\nAuthors: Nguyễn Văn A, Trần Thị Bình\n" +
      "Models: Camera an ninh; Dòng họ tự quản\n\nNội dung\n",
  );
});

test("a header cut short names its line and keeps every byte", () => {
  const text = "Title: x\nTags Phong trào\nModels: Camera an ninh\n\nbody\n";
  const data = readEntry(schema, text);
  assert.match(data[ERROR_KEY], /^Dòng 2: “Tags Phong trào”/);
  assert.equal(data.body, "Tags Phong trào\nModels: Camera an ninh\n\nbody\n");
  assert.equal(writeEntry(schema, data, order), text);
});

test("an emptied field is removed, and only that one", () => {
  const data = readEntry(schema, "Title: x\nSlug: s\nX: y\n\nb\n");
  data.slug = "";
  assert.equal(writeEntry(schema, data, order), "Title: x\nX: y\n\nb\n");
});

test("a field the collection's form does not show is kept even when the form sends nothing", () => {
  const text = "Title: Giới thiệu\nDate: 2023-01-01 08:00+07:00\nAuthors: A, B\n\nTrang.\n";
  const data = readEntry(schema, text);
  delete data.date; // Decap may send only the form's own fields
  delete data.authors;
  data.title = "Giới thiệu trang";
  assert.equal(
    writeEntry(schema, data, ["title", "slug", "body"]),
    "Title: Giới thiệu trang\nDate: 2023-01-01 08:00+07:00\nAuthors: A, B\n\nTrang.\n",
  );
});
