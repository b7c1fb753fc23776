// node tests/js/desk_rules_cli.mjs RULES.json VECTORS.json: the desk's verdict on every
// case (JSON list of problem lists), for tests/test_editor_desk_rules.py.
import { readFileSync } from "node:fs";

import { checkText } from "../../plugins/editor_desk/static/desk-rules.js";
import { words } from "../../theme/static/js/vntext.js";

const rules = JSON.parse(readFileSync(process.argv[2], "utf8"));
const vectors = JSON.parse(readFileSync(process.argv[3], "utf8"));
const verdicts = vectors.cases.map((c) =>
  checkText(rules, c.text, { words, path: c.path, kind: "article" }).map(({ line, code, message }) => ({ line, code, message })),
);
process.stdout.write(JSON.stringify(verdicts));
