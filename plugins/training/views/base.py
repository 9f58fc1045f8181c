"""What every training page shares: the generic form page, the posted-action check, uploads."""

from __future__ import annotations

from typing import Any

from ent_plugins.training.forms import ActionForm
from flask import render_template

from ent_core import sdk

VIEW = "workspace.view"
UPLOAD_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/webp")


def form_page(
    form: Any, title: str, back: str, *, multipart: bool = False, note: str | None = None
) -> Any:
    status = 422 if form.errors else 200
    return render_template(
        "training/form.html", form=form, title=title, back=back, multipart=multipart, note=note
    ), status


def posted() -> None:
    """A button's POST carries a valid CSRF token, or it is a 400."""
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


def member_by_email(email: str) -> Any:
    """A member of the current workspace with this email, or None."""
    target = (email or "").strip().lower()
    for member in sdk.workspace_members(sdk.current_workspace()):
        if member.email.lower() == target:
            return member
    return None


def store(file: Any) -> Any:
    """Check an uploaded file by its content and store it; raises UploadRejected."""
    return sdk.store_upload(file, allowed=UPLOAD_TYPES, original_name=file.filename)


def has_file(field: Any) -> bool:
    return bool(field.data and getattr(field.data, "filename", ""))


def status_label(status: str) -> str:
    labels = {
        "enrolled": sdk._("enrolled"),
        "waiting": sdk._("waiting list"),
        "withdrawn": sdk._("withdrawn"),
        "valid": sdk._("valid"),
        "expired": sdk._("expired"),
        "revoked": sdk._("revoked"),
    }
    return labels.get(status, status)
