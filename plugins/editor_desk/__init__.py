"""The editors' desk at /admin/: Decap CMS over the site's own content files."""

from editor_desk.plugin import desk_config, register, write_desk

__all__ = ["desk_config", "register", "write_desk"]
