"""The public site of a workspace: home, article, sector, tag and author pages, search.

Every page lists published articles only, with the byline, sectors and tags loaded in a fixed
number of queries whatever the size of the archive (keyset pagination, no OFFSET, no N+1).
Responses carry an ETag (a hash of the body) and Last-Modified, and answer 304 when unchanged.

Pages for anonymous visitors are kept rendered for a short while (``_PageCache``): the queries
still run on every request, and the page is taken from memory only when what they loaded (the
*fingerprint*: ids, dates, slugs and bylines of the articles shown, the page cursor) is the
same as when it was rendered. See docs/publishing.md, "Rendered-page cache".

One module per sub-area: ``queries`` (what is public, keyset pages, filters), ``addresses``
(public URLs), ``rendering`` (the site's frame, ETag and Last-Modified, the rendered-page cache),
``pages`` (home, article, sector, tag, author, search), ``media`` (covers and photos) and
``blueprint`` (the URL rules; the feeds and the sitemap add theirs from ``feeds.py``).
"""
