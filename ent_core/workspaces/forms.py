"""Forms of the workspace pages (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, Form, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core.workspaces.labels import KIND_LABELS, SECTOR_LABELS, label, role_label
from ent_core.workspaces.models import CORE_ROLES, WORKSPACE_KINDS


def suggest_slug(name: str) -> str:
    """A web address from a name: accents dropped, lower case, single hyphens (max 63)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:63].rstrip("-")


def select_choices(pairs: list[tuple[str, Any]]) -> list[SelectChoice]:
    """``(value, label)`` pairs as the options WTForms expects."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (one per choice) instead of a multi-select box."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WorkspaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=200)])
    slug = StringField(
        _l("Web address"),
        validators=[
            Optional(),
            Length(min=3, max=63),
            Regexp(
                r"^[a-z0-9-]+$",
                message=_l("Use lower-case letters, digits and hyphens only."),
            ),
        ],
        filters=[lambda v: v.strip().lower() if isinstance(v, str) else v],
    )
    kind = SelectField(
        _l("Kind of organisation"),
        choices=select_choices(
            [("", _l("Choose…")), *((k, KIND_LABELS[k]) for k in WORKSPACE_KINDS)]
        ),
        validators=[InputRequired(message=_l("Choose a kind of workspace."))],
    )
    sectors = MultiCheckboxField(_l("Sectors"), choices=[], validate_choice=True)

    def set_sector_choices(self, codes: list[str]) -> None:
        self.sectors.choices = select_choices([(c, label(SECTOR_LABELS, c)) for c in codes])


def role_choices(*, with_owner: bool) -> list[tuple[str, Any]]:
    """Core roles a person may hand out; only owners see ``owner``."""
    return [(r, role_label(r)) for r in CORE_ROLES if with_owner or r != "owner"]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(), Email(check_deliverability=False), Length(max=254)],
    )
    role = SelectField(_l("Role"), choices=[], default="member")


class MemberRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[])


class ExtraRoleForm(FlaskForm):
    role = SelectField(_l("Additional role"), choices=[])


class ConfirmForm(FlaskForm):
    """A button-only form (remove, revoke, switch): it carries just the CSRF token."""


@functools.cache
def settings_form_class(settings_form: type[Form]) -> type[FlaskForm]:
    """Give a plugin's plain WTForms settings form the CSRF protection of Flask-WTF."""
    return type(f"{settings_form.__name__}Page", (FlaskForm, settings_form), {})
