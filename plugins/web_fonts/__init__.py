from web_fonts.plugin import FONT_FILES, copy_fonts, register

__all__ = ["FONT_FILES", "copy_fonts", "register"]
