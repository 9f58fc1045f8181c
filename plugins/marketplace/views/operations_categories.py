"""The operator's categories (``/admin/marketplace/categories``): the list with each
commission, a new category, and a category's names, sector, commission, position, state."""

from __future__ import annotations

from typing import Any

from ent_plugins.marketplace import category_editing as editing
from ent_plugins.marketplace.models import MarketplaceCategory
from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale
from wtforms import BooleanField, DecimalField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from ent_core import sdk

_l = sdk._l
#: The platform's sectors (ent_core's defaults); categories may add theirs.
SECTORS = ("it", "green", "civil_society", "culture", "economy", "tourism")


class CategoryForm(sdk.FlaskForm):
    """A category as the operator edits it; the commission is a percentage (8 = 8 %)."""

    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(min=2, max=40)],
        description=_l("Lowercase letters, digits and hyphens; it never changes."),
    )
    name_fr = StringField(_l("Name in French"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    name_ar = StringField(_l("Name in Arabic"), validators=[DataRequired(), Length(max=120)])
    sector = SelectField(_l("Sector"), validators=[DataRequired()])
    commission_percent = DecimalField(
        _l("Commission (%)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=50)],
        description=_l("The platform's share of each sale, excluding VAT: 0 to 50 %."),
    )
    position = IntegerField(_l("Position"), validators=[InputRequired(), NumberRange(min=0)])
    active = BooleanField(_l("Open to listings"), default=True)
    submit = SubmitField(_l("Save"))

    def offer_sectors(self) -> CategoryForm:
        known = set(SECTORS) | {c.sector for c in editing.all_categories()}
        self.sector.choices = [(code, str(sdk.sector_label(code))) for code in sorted(known)]
        return self

    def values(self) -> dict[str, Any]:
        return {
            "fr": self.name_fr.data,
            "en": self.name_en.data,
            "ar": self.name_ar.data,
            "sector": self.sector.data,
            "commission_percent": self.commission_percent.data,
            "position": self.position.data,
            "active": self.active.data,
        }


RENAME = {"fr": "name_fr", "en": "name_en", "ar": "name_ar"}


def listing() -> Any:
    return render_template(
        "marketplace/operations/categories.html",
        categories=editing.all_categories(),
        percent=editing.rate_to_percent,
        name=editing.category_name,
        language=str(get_locale() or "fr")[:2],
        sector_label=sdk.sector_label,
    )


def new() -> Any:
    form = CategoryForm().offer_sectors()
    if not form.is_submitted():
        form.position.data = len(editing.all_categories())
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=RENAME):
            category = editing.create_category(
                form.code.data or "", form.values(), actor=sdk.current_user
            )
            sdk.db.session.commit()
            flash(sdk._("The category %(code)s is created.", code=category.code), "success")
            return redirect(url_for("marketplace_admin.categories"), 303)
    page = render_template("marketplace/operations/category_form.html", form=form, category=None)
    return page, 422 if form.errors else 200


def edit(code: str) -> Any:
    category = sdk.db.session.scalar(
        sdk.db.select(MarketplaceCategory).where(MarketplaceCategory.code == code)
    )
    if category is None:
        sdk.abort(404)
    form = CategoryForm(obj=None).offer_sectors()
    del form.code
    if not form.is_submitted():
        names = category.names or {}
        form.name_fr.data, form.name_en.data = names.get("fr", ""), names.get("en", "")
        form.name_ar.data, form.sector.data = names.get("ar", ""), category.sector
        form.commission_percent.data = editing.rate_to_percent(category.commission_rate)
        form.position.data, form.active.data = category.position, category.active
    if form.validate_on_submit():
        with sdk.user_errors(form, rename=RENAME):
            editing.update_category(category, form.values(), actor=sdk.current_user)
            sdk.db.session.commit()
            flash(sdk._("The category %(code)s is saved.", code=category.code), "success")
            return redirect(url_for("marketplace_admin.categories"), 303)
    page = render_template(
        "marketplace/operations/category_form.html", form=form, category=category
    )
    return page, 422 if form.errors else 200
