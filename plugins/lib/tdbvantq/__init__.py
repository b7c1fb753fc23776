"""The site's shared library: Vietnamese text, search, writes, Markdown files, the importer and the content checker (README.md)."""
