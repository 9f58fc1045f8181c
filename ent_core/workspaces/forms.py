"""Forms of the workspace pages (Flask-WTF: every one carries a CSRF token)."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    EmailField,
    Form,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from ent_core.forms import FlaskForm
from ent_core.identity.forms import PlatformEmail
from ent_core.workspaces import vetting
from ent_core.workspaces.labels import KIND_LABELS, SECTOR_LABELS, label, role_label
from ent_core.workspaces.models import CORE_ROLES, WORKSPACE_KINDS


def suggest_slug(name: str) -> str:
    """A web address from a name: accents dropped, lower case, single hyphens (max 63)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:63].rstrip("-")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


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


class ApplicationFields(FlaskForm):
    """The vetting application: every kind's identifiers (the service checks those of the chosen
    kind, so the page works without JavaScript) and supporting documents."""

    ice = StringField(vetting.ICE.label, filters=[_strip])
    rc_number = StringField(vetting.RC_NUMBER.label, filters=[_strip])
    ae_number = StringField(vetting.AE_NUMBER.label, filters=[_strip])
    cin = StringField(vetting.CIN.label, filters=[_strip])
    receipt_number = StringField(vetting.RECEIPT_NUMBER.label, filters=[_strip])
    receipt_date = StringField(vetting.RECEIPT_DATE.label, filters=[_strip])
    accreditation_number = StringField(vetting.ACCREDITATION_NUMBER.label, filters=[_strip])
    documents = MultipleFileField(_l("Supporting documents"))

    def identifiers(self) -> dict[str, str]:
        return {spec.name: self[spec.name].data or "" for spec in vetting.ALL_IDENTIFIERS}

    def files(self) -> list[Any]:
        return [f for f in self.documents.data or () if getattr(f, "filename", None)]


class NewWorkspaceForm(WorkspaceForm, ApplicationFields):
    """Creating a workspace is applying for it: the workspace and its application at once."""


class ApplicationForm(ApplicationFields):
    """Correcting (or completing) the application of an existing workspace."""


class DecisionForm(FlaskForm):
    """An admin's decision on an application; a rejection needs a reason."""

    reason = TextAreaField(_l("Reason (sent to the applicants)"), validators=[Length(max=2000)])


def role_choices(*, with_owner: bool) -> list[tuple[str, Any]]:
    """Core roles a person may hand out; only owners see ``owner``."""
    return [(r, role_label(r)) for r in CORE_ROLES if with_owner or r != "owner"]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[InputRequired(), PlatformEmail()],
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


def timezone_choices() -> dict[str, list[tuple[str, str]]]:
    """The zones a workspace may choose, as option groups: Morocco and UTC, then every zone."""
    from ent_core.localtime import FIRST_ZONES, zone_choices

    names = zone_choices()
    first = [name for name in names if name in FIRST_ZONES]
    return {
        str(_l("Suggested")): [(name, name) for name in first],
        str(_l("Every time zone")): [(name, name) for name in names[len(first) :]],
    }


class WorkspaceSettingsForm(FlaskForm):
    timezone = SelectField(
        _l("Time zone"),
        description=_l(
            "Times are typed and shown in this zone: schedules, sessions, deadlines, calendars. "
            "Morocco's clock change for Ramadan is followed on its own."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = timezone_choices()
