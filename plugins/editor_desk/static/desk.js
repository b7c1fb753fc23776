// The editors' desk: registers the site's header format, the checks `make check` runs,
// the notice for a file whose header cannot be read, and the preview, then starts Decap.
// Loaded as a module after decap-cms.js (window.CMS), from admin/ in the built site.

import { ERROR_KEY, parseDocument, pelicanFormat, writeEntry } from "./pelican-format.js";
import { checkText } from "./desk-rules.js";
import { registerPreviews } from "./desk-preview.js";
import { registerBodyWidget } from "./desk-body.js";
import { words } from "../theme/js/vntext.js";

const CMS = window.CMS;
const h = window.h;
const KIND = { articles: "article", models: "model", pages: "page" };

async function load(name) {
  const response = await fetch(name, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${name}: ${response.status}`);
  return response.json();
}

// config.yml is JSON (which YAML reads) after one comment line: read it here so the
// site's address can be added before Decap starts.
async function loadConfig() {
  const response = await fetch("config.yml", { cache: "no-cache" });
  if (!response.ok) throw new Error(`config.yml: ${response.status}`);
  const text = await response.text();
  return JSON.parse(text.replace(/^#.*\n/, ""));
}

function contentPath(entry, data, collection, contentDir) {
  const path = entry.get("path");
  if (path && !entry.get("newRecord")) return path.replace(new RegExp(`^${contentDir}/`), "");
  const slug = data.slug || "bai-moi";
  if (collection === "articles") return `articles/${String(data.date || "").slice(0, 4) || "0000"}/${slug}.md`;
  return `${collection}/${slug}.md`;
}

function uploadedFiles(entry, contentDir) {
  const files = entry.get("mediaFiles");
  if (!files) return [];
  const list = typeof files.toJS === "function" ? files.toJS() : files;
  return list.map((file) => String(file.path || "").replace(/^\/+/, "").replace(new RegExp(`^${contentDir}/`), ""));
}

// Files this session has saved (photos uploaded with an earlier save): rules.json lists the
// content files of the last build, which may not have run since.
const saved = new Set();

/** The reason a save is refused (Vietnamese, one problem a line), or "" to let it through. */
export function refusal(schema, rules, entry) {
  const collection = entry.get("collection");
  const data = entry.get("data").toJS();
  const text = writeEntry(schema, data, schema.order[collection]);
  const parsed = parseDocument(text);
  if (parsed.malformed && data[ERROR_KEY]) return data[ERROR_KEY];
  const contentDir = schema.content_dir;
  const problems = checkText(rules, text, {
    words,
    path: contentPath(entry, data, collection, contentDir),
    extraFiles: [...uploadedFiles(entry, contentDir), ...saved],
    kind: KIND[collection] || "article",
  });
  return problems.map((problem) => `${problem.message}. ${problem.hint}`.replace(/\.\. /, ". ")).join("\n");
}

function NoticeControl(props) {
  const message = props.value;
  return h(
    "p",
    { id: props.forID, className: props.classNameWrapper, role: message ? "alert" : undefined, "data-desk-notice": "" },
    message || "Tệp đọc được đầy đủ: mọi dòng thông tin đều ở dạng “Tên: giá trị”.",
  );
}

function NoticePreview() {
  return null;
}

async function start() {
  const [schema, rules, config] = await Promise.all([load("schema.json"), load("rules.json"), loadConfig()]);
  CMS.registerCustomFormat("pelican-md", "md", pelicanFormat(schema));
  CMS.registerWidget("desk-notice", NoticeControl, NoticePreview);
  registerBodyWidget(CMS);
  CMS.registerEventListener({
    name: "preSave",
    handler: ({ entry }) => {
      // Throwing stops the save before anything is written; Decap shows the message.
      const reason = refusal(schema, rules, entry);
      if (reason) throw new Error(reason);
      return undefined;
    },
  });
  CMS.registerEventListener({
    name: "postSave",
    handler: ({ entry }) => {
      for (const path of uploadedFiles(entry, schema.content_dir)) saved.add(path);
    },
  });
  registerPreviews(CMS, { rules, words });
  // The site is the folder above admin/, whatever SITEURL the build had: "Xem bản hoàn
  // chỉnh" and preview links go there (merged into config.yml by Decap).
  const site = new URL("../", window.location.href).href.replace(/\/$/, "");
  CMS.init({ config: { ...config, site_url: site, display_url: site, load_config_file: false } });
}

start().catch((error) => {
  document.body.textContent = `Không mở được bàn biên tập: ${error.message}`;
});
