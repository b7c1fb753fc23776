// plugins/editor_desk/atomic_writes.cjs: decap-server's saves go to a temporary file
// that replaces the article, never a truncate-and-write of the article itself.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { test } from "node:test";

const require = createRequire(import.meta.url);
const { writeFileAtomically } = require("../../plugins/editor_desk/atomic_writes.cjs");

function folder() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "desk-atomic-"));
}

test("the preload replaces fs.promises.writeFile, as decap-server calls it", () => {
  assert.equal(fs.promises.writeFile, writeFileAtomically);
  assert.equal(require("node:fs").promises.writeFile, writeFileAtomically);
});

test("a save replaces the file (a new inode), keeps its mode and leaves no temporary", async () => {
  const dir = folder();
  const article = path.join(dir, "bai.md");
  fs.writeFileSync(article, "Title: Cũ\n\nThân bài cũ.\n");
  fs.chmodSync(article, 0o640);
  const before = fs.statSync(article).ino;
  await fs.promises.writeFile(article, "Title: Mới\n\nThân bài mới.\n");
  assert.equal(fs.readFileSync(article, "utf8"), "Title: Mới\n\nThân bài mới.\n");
  assert.notEqual(fs.statSync(article).ino, before);
  assert.equal(fs.statSync(article).mode & 0o777, 0o640);
  assert.deepEqual(fs.readdirSync(dir), ["bai.md"]);
});

test("a new file is created readable, with Buffer data as decap-server sends photos", async () => {
  const dir = folder();
  const photo = path.join(dir, "anh.jpg");
  await fs.promises.writeFile(photo, Buffer.from([0xff, 0xd8, 0xff]));
  assert.deepEqual([...fs.readFileSync(photo)], [0xff, 0xd8, 0xff]);
  assert.equal(fs.statSync(photo).mode & 0o777, 0o644);
});

test("a failed save leaves the article as it was and no temporary", async () => {
  const dir = folder();
  const article = path.join(dir, "bai.md");
  fs.writeFileSync(article, "Title: Cũ\n");
  await assert.rejects(fs.promises.writeFile(article, 42));
  assert.equal(fs.readFileSync(article, "utf8"), "Title: Cũ\n");
  assert.deepEqual(fs.readdirSync(dir), ["bai.md"]);
});
