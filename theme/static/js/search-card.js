// Pieces of a search result card that hold no DOM, so node --test can check them
// (tests/js/search-card.test.mjs). search.js renders them with textContent only.

/** How many model badges a result card shows before "+N". */
export const MAX_BADGES = 3;

/**
 * The badges a card shows: the first `max` model names, and how many more there
 * are (0 when all fit). A phone screen is not filled by ten badges.
 */
export function badgeSummary(models, max = MAX_BADGES) {
  const names = Array.isArray(models) ? models.map(String) : [];
  if (names.length <= max) return { shown: names, more: 0 };
  return { shown: names.slice(0, max), more: names.length - max };
}
