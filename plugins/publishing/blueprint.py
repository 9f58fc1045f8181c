"""URL rules of the newsroom, and nothing else.

Members' pages live under ``/w/<workspace>/publishing/`` and the API under
``/api/v1/workspaces/<workspace>/publishing/``; the public site has its own blueprint.
"""

from __future__ import annotations

from ent_plugins.publishing import api, views

from ent_core import sdk

members = sdk.WorkspaceBlueprint("publishing", __name__, template_folder="templates")
members.add_url_rule("/", view_func=views.index)
members.add_url_rule("/articles/new", view_func=views.new, methods=["GET", "POST"])
members.add_url_rule("/articles/<int:article_id>", view_func=views.show)
members.add_url_rule(
    "/articles/<int:article_id>/edit", view_func=views.edit, methods=["GET", "POST"]
)
members.add_url_rule("/articles/<int:article_id>/lock", view_func=views.lock, methods=["POST"])
members.add_url_rule("/articles/<int:article_id>/delete", view_func=views.delete, methods=["POST"])
members.add_url_rule(
    "/articles/<int:article_id>/transitions", view_func=views.transition, methods=["POST"]
)
members.add_url_rule(
    "/articles/<int:article_id>/promote", view_func=views.promote, methods=["POST"]
)
members.add_url_rule(
    "/articles/<int:article_id>/comments", view_func=views.comment, methods=["POST"]
)
members.add_url_rule("/articles/<int:article_id>/cover/<int:width>", view_func=views.cover)
members.add_url_rule("/articles/<int:article_id>/history", view_func=views.history)
members.add_url_rule(
    "/articles/<int:article_id>/revisions/<int:revision_id>", view_func=views.revision
)
members.add_url_rule(
    "/articles/<int:article_id>/revisions/<int:revision_id>/restore",
    view_func=views.restore,
    methods=["POST"],
)
members.add_url_rule("/authors", view_func=views.authors)
members.add_url_rule("/authors/new", view_func=views.author_new, methods=["GET", "POST"])
members.add_url_rule(
    "/authors/<int:author_id>/edit", view_func=views.author_edit, methods=["GET", "POST"]
)
members.add_url_rule("/authors/<int:author_id>/photo", view_func=views.author_photo)

api_bp = sdk.ApiBlueprint("publishing_api", __name__)
api_bp.add_url_rule("/articles", view_func=api.list_articles, methods=["GET"])
api_bp.add_url_rule("/articles", view_func=api.create_article, methods=["POST"])
api_bp.add_url_rule("/articles/<int:article_id>", view_func=api.get_article, methods=["GET"])
api_bp.add_url_rule("/articles/<int:article_id>", view_func=api.update_article, methods=["PATCH"])
api_bp.add_url_rule("/articles/<int:article_id>", view_func=api.delete_article, methods=["DELETE"])
api_bp.add_url_rule(
    "/articles/<int:article_id>/transitions", view_func=api.transition, methods=["POST"]
)
api_bp.add_url_rule(
    "/articles/<int:article_id>/revisions", view_func=api.list_revisions, methods=["GET"]
)
api_bp.add_url_rule(
    "/articles/<int:article_id>/revisions/<int:revision_id>/restore",
    view_func=api.restore_revision,
    methods=["POST"],
)
api_bp.add_url_rule(
    "/articles/<int:article_id>/comments", view_func=api.list_comments, methods=["GET"]
)
api_bp.add_url_rule(
    "/articles/<int:article_id>/comments", view_func=api.add_comment, methods=["POST"]
)
api_bp.add_url_rule("/articles/<int:article_id>/lock", view_func=api.take_lock, methods=["POST"])
api_bp.add_url_rule(
    "/articles/<int:article_id>/lock", view_func=api.release_lock, methods=["DELETE"]
)
api_bp.add_url_rule("/articles/<int:article_id>/cover", view_func=api.set_cover, methods=["PUT"])
api_bp.add_url_rule("/authors", view_func=api.list_authors, methods=["GET"])
api_bp.add_url_rule("/authors", view_func=api.create_author, methods=["POST"])
