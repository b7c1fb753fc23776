// Entry point of the story page's query highlight (query-highlight.js), imported by
// article.html only when the address has ?tu-khoa=; bundled into one small file by
// plugins/minify_assets (MINIFY_BUNDLES in pelicanconf.py).
import { run } from "./query-highlight.js";

run();
