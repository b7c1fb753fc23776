"""Python-Markdown's attribute lists, limited to class and id.

`![ảnh](/x.png){: .wide #hinh-1 }` gives the photo a class and an id, as with
the stock extension. Any other key (`onerror="…"`, `style=…`, `autofocus`) is
never set: its name goes into a marker attribute that the sanitizer removes and
reports at the line (`Thuộc tính onerror trong {: …} không được phép`).
Use it in MARKDOWN["extension_configs"] as "safe_html.attr_list", in place of
"markdown.extensions.attr_list" (and of "extra", which includes it).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

from safe_html.audit import REFUSED_MARKER


class SafeAttrListTreeprocessor(AttrListTreeprocessor):
    def assign_attrs(self, elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        refused = []
        for key, value in attrs:
            if key in (".", "class") and value:
                classes = elem.get("class")
                elem.set("class", f"{classes} {value}" if classes else value)
            elif key == "id" and value:
                elem.set("id", value)
            else:
                refused.append(self.sanitize_name(key))
        if refused:
            earlier = elem.get(REFUSED_MARKER)
            elem.set(REFUSED_MARKER, " ".join([earlier, *refused] if earlier else refused))
        return remainder


class SafeAttrListExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Registered under the stock name: fenced_code looks for "attr_list".
        md.treeprocessors.register(SafeAttrListTreeprocessor(md), "attr_list", 8)
        md.registerExtension(self)


def makeExtension(**kwargs: Any) -> SafeAttrListExtension:
    return SafeAttrListExtension(**kwargs)
