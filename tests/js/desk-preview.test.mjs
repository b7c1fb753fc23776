// The desk's preview helpers (plugins/editor_desk/static/desk-preview.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { dateline, modelLinks } from "../../plugins/editor_desk/static/desk-preview.js";
import { words } from "../../theme/static/js/vntext.js";

test("dateline reads the form's Vietnam time as the theme prints it", () => {
  assert.equal(dateline("2023-08-03 08:57+07:00"), "Thứ Năm, 03/08/2023 08:57");
  assert.equal(dateline("2024-01-07 23:05+07:00"), "Chủ Nhật, 07/01/2024 23:05");
  assert.equal(dateline("hôm qua"), "hôm qua");
});

test("model names and aliases link to their model page once", () => {
  const rules = {
    models: [
      { slug: "dong-ho-tu-quan", name: "Dòng họ tự quản", aliases: ["Dòng họ 3 kỷ cương"] },
      { slug: "camera-an-ninh", name: "Camera an ninh", aliases: [] },
    ],
  };
  const links = modelLinks(rules, words, ["dòng họ 3 kỷ cương", "Dòng họ tự quản", "Không có", "Camera an ninh"]);
  assert.deepEqual(links.map((m) => m.slug), ["dong-ho-tu-quan", "camera-an-ninh"]);
});
