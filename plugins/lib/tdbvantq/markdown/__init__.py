"""Content files as Pelican reads them: the metadata header and the prose/code/address parts."""
