// The body field: Decap's Markdown editor (plain-text mode), with a button that uploads a
// photo into the story's own folder and inserts it with its caption, written as the
// importer writes a photo in a story (<figure>, <img src="{static}/…">, <figcaption>).

/** The figure markup for a photo at `src` ({static}/images/<slug>/<file>) with `caption`. */
export function figureMarkup(src, caption) {
  const escape = (text, quote) => {
    let out = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    if (quote) out = out.replace(/"/g, "&quot;");
    return out;
  };
  const clean = caption.replace(/\s+/g, " ").trim();
  const lines = ["<figure>", `<img src="${escape(src, true)}" alt="${escape(clean, true)}">`];
  if (clean) lines.push(`<figcaption>${escape(clean, false)}</figcaption>`);
  lines.push("</figure>");
  return lines.join("\n");
}

/** `body` with the figure appended as its own block. */
export function appendFigure(body, src, caption) {
  const text = body.replace(/\s+$/, "");
  return `${text}${text ? "\n\n" : ""}${figureMarkup(src, caption)}\n`;
}

export function registerBodyWidget(CMS) {
  const h = window.h;
  const markdown = CMS.getWidget("markdown");
  const BodyControl = window.createClass({
    // One body per form: a fixed id survives Decap re-mounting the form (after a save).
    photoControl() {
      return `desk-photo-${this.props.field.get("name")}`;
    },
    // Decap re-renders a widget only when its value changes unless the control says
    // otherwise: an inserted photo arrives through mediaPaths.
    shouldComponentUpdate(next) {
      const now = this.props;
      return next.value !== now.value || next.mediaPaths !== now.mediaPaths ||
        next.classNameWrapper !== now.classNameWrapper || next.hasActiveStyle !== now.hasActiveStyle;
    },
    componentDidUpdate() {
      const { mediaPaths, onRemoveInsertedMedia, onChange, value } = this.props;
      const id = this.photoControl();
      const inserted = mediaPaths && mediaPaths.get(id);
      if (!inserted || inserted === this.lastInserted) return;
      this.lastInserted = inserted; // the prop stays until Decap clears it
      onRemoveInsertedMedia(id);
      const caption = window.prompt("Chú thích ảnh (người đọc thấy dưới ảnh):", "") || "";
      onChange(appendFigure(value || "", String(inserted), caption));
    },
    openLibrary() {
      this.props.onOpenMediaLibrary({
        controlID: this.photoControl(), forImage: true, privateUpload: false,
        value: "", allowMultiple: false, field: this.props.field,
      });
    },
    render() {
      return h("div", null,
        h(markdown.control, this.props),
        h("button", { type: "button", "data-desk-photo": "", onClick: () => this.openLibrary(),
          style: { marginTop: "8px", padding: "6px 12px", cursor: "pointer" } },
          "Chèn ảnh có chú thích vào nội dung"));
    },
  });
  CMS.registerWidget("desk-body", BodyControl, markdown.preview);
}
