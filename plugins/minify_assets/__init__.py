from minify_assets.plugin import MinifyError, minify_output, register

__all__ = ["MinifyError", "minify_output", "register"]
