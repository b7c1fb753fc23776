"""JSON for a `<script type="application/ld+json">` element: the one serializer.

`</script>` would end the element, `<!--` followed by `<script>` would make the
parser swallow the rest of the page (a model named `<!--<script>` blanked the
model directory), and U+2028/U+2029 break older JavaScript parsers. Every `<`,
`>`, `&`, U+2028 and U+2029 is written as a JSON escape, which JSON readers
decode to the same text.
"""

from __future__ import annotations

import json
from typing import Any

_ESCAPES = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_json(data: Any, *, indent: int | None = None) -> str:
    """`data` as JSON text that is safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, indent=indent).translate(_ESCAPES)
