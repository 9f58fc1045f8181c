"""The public site's URL rules (the feeds and the sitemap add theirs in ``feeds.py``)."""

from __future__ import annotations

from ent_plugins.publishing.public import media, pages

from ent_core import sdk

public_bp = sdk.PublicBlueprint("publishing_public", __name__, template_folder="../templates")

public_bp.add_url_rule("/", view_func=pages.home)
public_bp.add_url_rule("/articles/<slug>", view_func=pages.article)
public_bp.add_url_rule("/sectors/<code>/", view_func=pages.sector)
public_bp.add_url_rule("/tags/<slug>/", view_func=pages.tag)
public_bp.add_url_rule("/authors/<slug>/", view_func=pages.author)
public_bp.add_url_rule("/search", view_func=pages.search)
public_bp.add_url_rule("/media/covers/<int:article_id>/<int:width>", view_func=media.cover)
public_bp.add_url_rule("/media/authors/<slug>/photo", view_func=media.author_photo)
