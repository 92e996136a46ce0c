"""Bringing articles in from the web: pages with their language variants (and feeds).

Nothing here is imported on the start-up path or by ``reader search``: httpx, lxml,
trafilatura and feedparser are heavy, and only the commands and workers that fetch need them.

* :mod:`reader.sources.fetch`: one HTTP GET with the reader's limits (:func:`fetch`).
* :mod:`reader.sources.charset`: bytes to text the way a browser decodes a page.
* :mod:`reader.sources.extract`: the main text of a page as Markdown, and its metadata.
* :mod:`reader.sources.variants`: the language variants a page links to.
* :mod:`reader.sources.write`: Markdown files with TOML front matter, written atomically.
* :mod:`reader.sources.importer`: all of it for one URL (:func:`import_article`).
* :mod:`reader.sources.feeds`: RSS and Atom documents, a page's feed links, OPML.
* :mod:`reader.sources.feed_refresh`: every feed fetched, each new entry imported.
"""
