"""An associate's own page in the associates' workspace: their status, and the badge choice."""

from __future__ import annotations

from typing import Any

from ent_plugins.governance import associates
from ent_plugins.governance.permissions import VIEW
from flask import flash, redirect, render_template, url_for
from wtforms import BooleanField, SubmitField

from ent_core import sdk


class BadgeForm(sdk.FlaskForm):
    shown = BooleanField(sdk._l("Show my associate status beside my name on articles"))
    submit = SubmitField(sdk._l("Save"))


@sdk.require_permission(VIEW)
def associate_badge() -> Any:
    if not associates.is_associates_workspace():
        sdk.abort(404)
    member = associates.my_membership(sdk.current_user)
    if member is None:
        return render_template("governance/associates/badge.html", member=None, form=None)
    form = BadgeForm(shown=associates.badge_shown(member))
    if form.validate_on_submit():
        associates.choose_badge(member, form.shown.data)
        sdk.db.session.commit()
        flash(sdk._("Your choice is saved."), "success")
        return redirect(url_for(".associate_badge"), 303)
    workspace = sdk.current_workspace()
    return render_template(
        "governance/associates/badge.html",
        member=member,
        form=form,
        state=associates.status_today(member, workspace),
        verify_url=associates.verify_url(workspace, member),
    )
