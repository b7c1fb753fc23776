// Instant preview, laid out like theme/templates/article.html (headline, sapo, dateline,
// photo with caption, body, source, model badges, tags) and styled with the site's CSS.

const WEEKDAYS = ["Chủ Nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"];
const VN_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})/;

/** "2023-08-03 08:57+07:00" (as the form holds it) -> "Thứ Năm, 03/08/2023 08:57". */
export function dateline(value) {
  const match = VN_DATE.exec(String(value || ""));
  if (!match) return String(value || "");
  const [, y, mo, d, hh, mm] = match;
  const weekday = WEEKDAYS[new Date(Date.UTC(+y, +mo - 1, +d)).getUTCDay()];
  return `${weekday}, ${d}/${mo}/${y} ${hh}:${mm}`;
}

/** Model names (or aliases) -> [{name, slug}] from the catalogue in rules.json. */
export function modelLinks(rules, words, names) {
  const byKey = new Map();
  for (const model of rules.models) {
    for (const name of [model.name, ...model.aliases]) byKey.set(words(name).join(" "), model);
  }
  return names
    .map((name) => byKey.get(words(name).join(" ")))
    .filter(Boolean)
    .filter((model, index, all) => all.indexOf(model) === index);
}

/**
 * Every author on one line, as the site's byline (theme/templates/article.html):
 * "Tác giả: A, B"; empty without an author. A name given twice is shown once.
 */
export function byline(names) {
  const unique = [...new Set(names.map((name) => String(name).trim()).filter(Boolean))];
  return unique.length ? `Tác giả: ${unique.join(", ")}` : "";
}

function list(value) {
  if (!value) return [];
  const items = typeof value.toJS === "function" ? value.toJS() : value;
  return Array.isArray(items) ? items.filter(Boolean) : [String(items)];
}

function photoUrl(getAsset, value) {
  if (!value) return "";
  const asset = getAsset(value);
  const url = asset && asset.toString();
  if (url && !url.includes("{static}")) return url;
  return String(value).replace(/^\{static\}/, "..");
}

export function registerPreviews(CMS, { rules, words }) {
  const h = window.h;
  CMS.registerPreviewStyle("../theme/css/site.css");

  function ArticlePreview({ entry, widgetFor, getAsset }) {
    const data = entry.get("data");
    const get = (key) => data.get(key);
    const authors = [...list(get("authors")), ...list(get("author"))];
    const models = modelLinks(rules, words, list(get("models")));
    const image = get("image");
    return h("main", { id: "main" },
      h("article", { className: "story" },
        h("header", null,
          h("p", { className: "kicker" }, get("category") || ""),
          h("h1", null, get("title") || ""),
          h("p", { className: "meta" },
            h("time", null, dateline(get("date"))),
            byline(authors) ? h("span", { className: "byline" }, byline(authors)) : null,
            get("status") === "draft" ? h("span", null, "Bản nháp") : null)),
        get("summary") ? h("div", { className: "lede" }, get("summary")) : null,
        image
          ? h("figure", { className: "photo" },
            h("img", { src: photoUrl(getAsset, image), alt: get("image_caption") || get("title") || "" }),
            get("image_caption") ? h("figcaption", null, get("image_caption")) : null)
          : null,
        h("div", { className: "story-body" }, widgetFor("body")),
        h("footer", { className: "story-foot" },
          get("source_name") || get("source") ? h("p", { className: "source" }, `Nguồn: ${get("source_name") || get("source")}`) : null,
          models.length
            ? h("nav", { className: "article-models", "aria-label": "Mô hình trong bài" },
              h("span", { className: "article-models-label" }, "Mô hình:"),
              h("ul", null, ...models.map((model) =>
                h("li", { key: model.slug },
                  h("a", { className: "model-badge", href: `../mo-hinh/${model.slug}/`, "data-model": model.slug }, model.name)))))
            : null,
          list(get("tags")).length
            ? h("ul", { className: "tags", "aria-label": "Chủ đề" }, ...list(get("tags")).map((tag) => h("li", { key: tag }, tag)))
            : null)));
  }

  function SimplePreview(titleKey) {
    return function Preview({ entry, widgetFor }) {
      return h("main", { id: "main" },
        h("article", { className: "story" },
          h("header", null, h("h1", null, entry.getIn(["data", titleKey]) || "")),
          h("div", { className: "story-body" }, widgetFor("body"))));
    };
  }

  CMS.registerPreviewTemplate("articles", ArticlePreview);
  CMS.registerPreviewTemplate("models", SimplePreview("name"));
  CMS.registerPreviewTemplate("pages", SimplePreview("title"));
}
