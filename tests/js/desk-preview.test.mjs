// The desk's preview helpers (plugins/editor_desk/static/desk-preview.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { byline, dateline, modelLinks } from "../../plugins/editor_desk/static/desk-preview.js";
import { words } from "../../theme/static/js/vntext.js";

test("dateline reads the form's Vietnam time as the theme prints it", () => {
  assert.equal(dateline("2023-08-03 08:57+07:00"), "Thứ Năm, 03/08/2023 08:57");
  assert.equal(dateline("2024-01-07 23:05+07:00"), "Chủ Nhật, 07/01/2024 23:05");
  assert.equal(dateline("hôm qua"), "hôm qua");
});

test("co-authors share one byline, as on the site", () => {
  assert.equal(byline(["Bá Đô", "Quỳnh Trang"]), "Tác giả: Bá Đô, Quỳnh Trang");
  assert.equal(byline(["Bá Đô"]), "Tác giả: Bá Đô");
  assert.equal(byline(["Bá Đô", " ", "Bá Đô"]), "Tác giả: Bá Đô");
  assert.equal(byline([]), "");
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

test("a body photo is written as the importer writes one, caption escaped", async () => {
  const { appendFigure, figureMarkup } = await import("../../plugins/editor_desk/static/desk-body.js");
  assert.equal(
    figureMarkup("{static}/images/a/b.jpg", "Hội nghị <ngày 3>  \"A\""),
    '<figure>\n<img src="{static}/images/a/b.jpg" alt="Hội nghị &lt;ngày 3&gt; &quot;A&quot;">\n' +
      '<figcaption>Hội nghị &lt;ngày 3&gt; "A"</figcaption>\n</figure>',
  );
  assert.equal(figureMarkup("{static}/x.jpg", " "), '<figure>\n<img src="{static}/x.jpg" alt="">\n</figure>');
  assert.equal(appendFigure("Mở đầu.\n\n", "{static}/x.jpg", ""), 'Mở đầu.\n\n<figure>\n<img src="{static}/x.jpg" alt="">\n</figure>\n');
  assert.equal(appendFigure("", "{static}/x.jpg", ""), '<figure>\n<img src="{static}/x.jpg" alt="">\n</figure>\n');
});
