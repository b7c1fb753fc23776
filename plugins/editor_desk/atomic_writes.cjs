// Preloaded into decap-server (`node --require`, plugins/editor_desk/localserver.py).
// Its local backend saves an entry with fs.promises.writeFile, which truncates the file
// and then writes it: a build or a reader at that moment meets an empty or partial
// article, and a crash mid-save leaves one. Here a write to a path goes to a temporary
// file beside it, flushed, then renamed over the target, so the article on disk is
// always the old one or the new one (as tdbvantq.writes.write_atomically does).
"use strict";

const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const inPlace = fs.promises.writeFile;

async function keptMode(target) {
  try {
    return (await fs.promises.stat(target)).mode & 0o7777;
  } catch (error) {
    if (error.code === "ENOENT") return 0o644;
    throw error;
  }
}

async function writeFileAtomically(file, data, options) {
  if (typeof file !== "string") return inPlace.call(fs.promises, file, data, options);
  const random = crypto.randomBytes(6).toString("hex");
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${random}.tmp`);
  let handle;
  try {
    handle = await fs.promises.open(temp, "wx", 0o600);
    await handle.writeFile(data, options);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.chmod(temp, await keptMode(file));
    await fs.promises.rename(temp, file);
  } catch (error) {
    await handle?.close().catch(() => {});
    await fs.promises.unlink(temp).catch(() => {});
    throw error;
  }
}

fs.promises.writeFile = writeFileAtomically;
module.exports = { writeFileAtomically };
