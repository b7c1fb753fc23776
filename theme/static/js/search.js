// The search page (search.html): reads ?q=&mo-hinh=&nam=&sap-xep= on load, answers as
// the reader types, keeps the query in the URL (replaceState while typing,
// pushState on submit and on filters, popstate restores), renders results,
// facets, suggestions and the count. The count is the results heading: after a
// submitted search (the form, or arriving from the header box) focus moves to it;
// while typing it is announced through a polite live region instead. Only the
// escaped snippet with <mark> is ever inserted as HTML; everything else goes
// through textContent.

import { StaticSearchIndex } from "./search-engine.js";
import { badgeSummary } from "./search-card.js";
import { makeSnippet } from "./search-snippet.js";
import { QUERY_PARAM } from "./query-highlight.js";
import { fold, tokenize } from "./vntext.js";

const PAGE = 10;
const TYPING_DELAY = 120;
const KIND_LABELS = { model: "Mô hình" };

const form = document.getElementById("search-form");
const input = document.getElementById("search-query");
const sortSelect = document.getElementById("search-sort");
const status = document.getElementById("search-status");
const results = document.getElementById("search-results");
const facets = document.getElementById("search-facets");
const filters = document.getElementById("search-filters");
const live = document.getElementById("search-live");
const headerInput = document.getElementById("site-search");
const suggestions = document.getElementById("search-suggestions");
const more = document.getElementById("search-more");
const siteRoot = new URL(form.dataset.root || "./", location.href);
const index = new StaticSearchIndex(new URL(form.dataset.index || "search/", location.href).href);

let state = readUrl();
let shown = PAGE;
let sequence = 0;
let typingTimer = 0;
const baseTitle = document.title;

function readUrl() {
  const params = new URLSearchParams(location.search);
  // sap-xep=moi-nhat: newest first; anything else is the default, relevance.
  const sort = params.get("sap-xep") === "moi-nhat" ? "moi-nhat" : "";
  return { q: params.get("q") || "", model: params.get("mo-hinh") || "", year: params.get("nam") || "", place: params.get("dia-phuong") || "", sort };
}

function urlFor(next) {
  const params = new URLSearchParams();
  if (next.q) params.set("q", next.q);
  if (next.model) params.set("mo-hinh", next.model);
  if (next.year) params.set("nam", next.year);
  if (next.place) params.set("dia-phuong", next.place);
  if (next.sort) params.set("sap-xep", next.sort);
  const query = params.toString();
  return location.pathname + (query ? `?${query}` : "");
}

function remember(push) {
  const url = urlFor(state);
  if (url === location.pathname + location.search) return;
  history[push ? "pushState" : "replaceState"]({ ...state }, "", url);
}

function element(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key in node && key !== "type") node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function displayDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return match ? `${match[3]}/${match[2]}/${match[1]}` : "";
}

function renderHit(fragment, highlight, boundary, query) {
  const target = new URL(fragment.url, siteRoot);
  // The story marks the query where it matched (query-highlight.js reads ?tu-khoa=).
  if (query.trim()) target.searchParams.set(QUERY_PARAM, query.trim());
  const href = /^https?:$/.test(target.protocol) ? target.href : siteRoot.href; // never javascript:
  const meta = element("p", { className: "meta" });
  if (KIND_LABELS[fragment.kind]) meta.append(element("span", { className: "search-kind", text: KIND_LABELS[fragment.kind] }));
  const date = displayDate(fragment.date);
  if (date) meta.append(element("time", { dateTime: fragment.date, text: date }));
  const { shown, more } = badgeSummary(fragment.models);
  const badges = shown.length
    ? element("ul", { className: "search-badges", "aria-label": "Mô hình" }, [
        ...shown.map((name) => element("li", { text: name })),
        more ? element("li", { className: "search-badges-more", title: `và ${more} mô hình khác`, text: `+${more}` }) : null,
      ])
    : null;
  const snippet = element("p", { className: "search-snippet" });
  snippet.innerHTML = makeSnippet(fragment.text, highlight, boundary); // escaped; only <mark> is markup
  return element("li", { className: "search-hit" }, [
    element("h3", {}, [element("a", { href, text: fragment.title || fragment.url })]),
    meta.childNodes.length ? meta : null,
    badges,
    snippet,
  ]);
}

function facetGroup(legend, param, current, values) {
  const list = element("ul");
  const option = (label, value, count) => {
    const pressed = value === current;
    const button = element("button", { type: "button", "aria-pressed": String(pressed) }, [
      label,
      count === undefined ? null : ` (${count})`,
    ]);
    button.dataset.filter = `${param}=${value}`;
    button.addEventListener("click", async () => {
      state = { ...state, [param]: pressed ? "" : value };
      shown = PAGE;
      remember(true);
      await run();
      // The filters were redrawn: keep keyboard focus on the same choice.
      const again = [...facets.querySelectorAll("button")].find((b) => b.dataset.filter === button.dataset.filter);
      (again || status).focus();
    });
    list.append(element("li", {}, [button]));
  };
  option("Tất cả", "", undefined);
  for (const [value, label, count] of values) option(label, value, count);
  return element("fieldset", {}, [element("legend", { text: legend }), list]);
}

function renderFacets(found) {
  facets.replaceChildren();
  const models = found.facets.models.map(([slug, name, count]) => [slug, name, count]);
  const years = found.facets.years.map(([year, count]) => [year, year, count]);
  if (state.model && !models.some(([slug]) => slug === state.model)) models.unshift([state.model, state.model, 0]);
  if (state.year && !years.some(([year]) => year === state.year)) years.unshift([state.year, state.year, 0]);
  if (models.length) facets.append(facetGroup("Mô hình", "model", state.model, models));
  if (years.length) facets.append(facetGroup("Năm", "year", state.year, years));
  const places = (found.facets.places || []).map(([slug, name, count]) => [slug, name, count]);
  if (state.place && !places.some(([slug]) => slug === state.place)) places.unshift([state.place, state.place, 0]);
  if (places.length) facets.append(facetGroup("Địa phương", "place", state.place, places));
  // The filters keep their place while empty (no layout shift when they fill in).
  filters.classList.toggle("is-empty", !facets.childNodes.length);
  if (state.model || state.year || state.place) filters.open = true;
}

function suggestionLink(label, next) {
  const link = element("a", { href: urlFor(next), text: label });
  link.addEventListener("click", (event) => {
    event.preventDefault();
    state = next;
    input.value = state.q;
    shown = PAGE;
    remember(true);
    run(true);
  });
  return link;
}

function renderSuggestions(query) {
  const items = [];
  const folded = fold(query).trim();
  if (folded && folded !== query.trim().toLowerCase()) items.push(folded);
  const glossary = index.glossary;
  if (glossary) {
    const tokens = tokenize(query);
    for (const token of tokens) {
      for (const expansion of glossary.expansions(token.norm)) {
        items.push(query.slice(0, token.start) + expansion + query.slice(token.end));
      }
    }
    const acronym = glossary.acronymFor(query);
    if (acronym) items.push(acronym);
  }
  const list = element("ul");
  for (const text of [...new Set(items)].slice(0, 5)) {
    list.append(element("li", {}, [suggestionLink(text, { ...state, q: text })]));
  }
  if (state.model || state.year || state.place) {
    list.append(element("li", {}, [suggestionLink("Tìm trong tất cả mô hình, địa phương và các năm", { q: state.q, model: "", year: "", place: "" })]));
  }
  suggestions.replaceChildren();
  if (list.childNodes.length) {
    suggestions.append(element("p", { text: "Thử tìm:" }), list);
    suggestions.hidden = false;
  } else {
    suggestions.hidden = true;
  }
}

/** Show the count in the results heading; focus it, or announce it while the reader types. */
function report(message, moveFocus) {
  status.textContent = message;
  status.hidden = !message;
  if (moveFocus && message) {
    live.textContent = "";
    status.focus();
  } else {
    live.textContent = message;
  }
}

function clear(message, moveFocus) {
  results.replaceChildren();
  facets.replaceChildren();
  filters.classList.add("is-empty");
  suggestions.hidden = true;
  more.hidden = true;
  report(message, moveFocus);
}

async function run(moveFocus = false) {
  const mine = ++sequence;
  const query = state.q;
  if (headerInput) headerInput.value = query; // the header box shows the current query
  if (!query.trim()) return clear("");
  if (!tokenize(query).length) return clear("Hãy gõ ít nhất một chữ hoặc một số để tìm.", moveFocus);
  let found;
  let fragments;
  let hits;
  try {
    const sort = state.sort === "moi-nhat" ? "newest" : "relevance";
    found = await index.search(query, { model: state.model, year: state.year, place: state.place, sort });
    fragments = await index.fragments(found.hits.slice(0, shown).map((hit) => hit.doc));
    const boundary = new RegExp((await index.manifest()).params.boundary);
    hits = fragments.map((f) => renderHit(f, found.plan.highlight, boundary, query));
  } catch (error) {
    // A missing or damaged index file: the page says so; nothing is left uncaught.
    if (mine === sequence) clear("Không tải được chỉ mục tìm kiếm. Hãy thử tải lại trang.");
    console.warn("search index:", error);
    return;
  }
  if (mine !== sequence) return; // a newer query has started
  results.replaceChildren(...hits);
  renderFacets(found);
  more.hidden = found.total <= shown;
  document.title = `${query} – ${baseTitle}`;
  if (found.total) {
    suggestions.hidden = true;
    report(`Tìm thấy ${found.total} kết quả cho “${query}”`, moveFocus);
  } else {
    renderSuggestions(query);
    report(`Không tìm thấy kết quả nào cho “${query}”`, moveFocus);
  }
}

input.addEventListener("input", () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    state = { ...state, q: input.value };
    shown = PAGE;
    remember(false);
    run();
  }, TYPING_DELAY);
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typingTimer);
  state = { ...state, q: input.value };
  shown = PAGE;
  remember(true);
  run(true);
});

// ↓ from the box (or from the results heading, where a search leaves focus) goes
// to the first result; ↑/↓ move between result links.
function toFirstResult(event) {
  const first = results.querySelector("a");
  if (event.key === "ArrowDown" && first) {
    event.preventDefault();
    first.focus();
  }
}
input.addEventListener("keydown", toFirstResult);
status.addEventListener("keydown", toFirstResult);
results.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const links = [...results.querySelectorAll("li > h3 > a")];
  const at = links.indexOf(document.activeElement);
  if (at < 0) return;
  event.preventDefault();
  const next = at + (event.key === "ArrowDown" ? 1 : -1);
  if (next < 0) input.focus();
  else if (next < links.length) links[next].focus();
});

// "Xem thêm" may disappear once everything is shown: focus the first new result.
more.addEventListener("click", async () => {
  const before = results.children.length;
  shown += PAGE;
  await run();
  results.querySelectorAll("li > h3 > a")[before]?.focus();
});

sortSelect.addEventListener("change", () => {
  state = { ...state, sort: sortSelect.value === "moi-nhat" ? "moi-nhat" : "" };
  shown = PAGE;
  remember(true);
  run();
});

window.addEventListener("popstate", () => {
  state = readUrl();
  input.value = state.q;
  sortSelect.value = state.sort;
  shown = PAGE;
  run();
});

input.value = state.q;
sortSelect.value = state.sort;
// Arriving with a query (from the header box or a shared link) counts as a submitted search.
run(Boolean(state.q.trim()));
