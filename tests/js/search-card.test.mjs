// A search result card's model badges: at most 3, then "+N".
import assert from "node:assert/strict";
import { test } from "node:test";

import { MAX_BADGES, badgeSummary } from "../../theme/static/js/search-card.js";

const names = (n) => Array.from({ length: n }, (_, i) => `Mô hình ${i + 1}`);

test("three badges or fewer are all shown, with no +N", () => {
  assert.equal(MAX_BADGES, 3);
  assert.deepEqual(badgeSummary([]), { shown: [], more: 0 });
  assert.deepEqual(badgeSummary(names(3)), { shown: names(3), more: 0 });
});

test("ten badges show the first three and +7", () => {
  assert.deepEqual(badgeSummary(names(10)), { shown: names(3), more: 7 });
  assert.deepEqual(badgeSummary(names(4)), { shown: names(3), more: 1 });
});

test("names are kept as text (escaping is left to textContent)", () => {
  const hostile = ['<img src=x onerror="alert(1)">', "a", "b", "c"];
  assert.deepEqual(badgeSummary(hostile), { shown: hostile.slice(0, 3), more: 1 });
  assert.deepEqual(badgeSummary(undefined), { shown: [], more: 0 });
});
