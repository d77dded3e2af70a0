"""Full-text search over the portal's published decisions."""

from __future__ import annotations

from . import snapshot


def document_text(fields: dict, category: str) -> str:
    """The text a portal entry is found by: every public field's value, in layout order."""
    parts = []
    for f in snapshot.fields_of(category):
        value = fields.get(f.key)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    return "\n".join(parts)
