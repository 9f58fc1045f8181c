"""Members' pages of classified ads: post, list, change, withdraw, renew, boost."""

from __future__ import annotations

from typing import Any

from ent_plugins.ads import classifieds as service
from ent_plugins.ads.catalogues import CLASSIFIED_KINDS, CLASSIFIED_STATUSES
from ent_plugins.ads.classified_boards import body_html
from ent_plugins.ads.classified_forms import ActionForm, ClassifiedEditForm, ClassifiedForm, PayForm
from ent_plugins.ads.classified_images import prepare
from ent_plugins.ads.models import ClassifiedAd, ClassifiedImage
from ent_plugins.ads.permissions import POST_CLASSIFIEDS
from ent_plugins.ads.settings import settings
from flask import flash, redirect, render_template, request, url_for

from ent_core import sdk

#: Ads per page of the workspace's list.
LIST_SIZE = 50


def _remaining() -> int:
    return sdk.quota_remaining(sdk.current_workspace(), service.QUOTA)


def _prepared(form: ClassifiedForm) -> list[Any] | None:
    """The form's pictures checked and re-encoded, or None after showing what is wrong."""
    prepared = []
    for n, (data, alt) in enumerate(form.pictures(), start=1):
        try:
            prepared.append(prepare(data, alt))
        except sdk.UploadRejected as exc:
            field = getattr(form, f"image_{n}")
            field.errors = [*field.errors, exc.message]
            return None
        except sdk.UserError as exc:
            field = getattr(form, f"alt_{n}")
            field.errors = [*field.errors, exc.message]
            return None
    return prepared


def _page(template: str, form: Any, **values: Any) -> Any:
    status = 422 if form.errors else 200
    return render_template(
        template,
        form=form,
        remaining=_remaining(),
        price=service.price_of("post"),
        statuses=CLASSIFIED_STATUSES,
        kinds=CLASSIFIED_KINDS,
        **values,
    ), status


def _go_to_invoice(invoice: Any, message: str) -> Any:
    flash(message, "info")
    if sdk.has_permission("workspace.manage_billing"):
        return redirect(url_for("billing.invoice", number=invoice.number), 303)
    return None


@sdk.require_permission(POST_CLASSIFIEDS)
def classifieds() -> Any:
    try:
        page = max(1, min(int(request.args.get("page", "1")), 10_000))
    except ValueError:
        page = 1
    rows = sdk.db.session.scalars(
        sdk.scoped(ClassifiedAd)
        .order_by(ClassifiedAd.created_at.desc(), ClassifiedAd.id.desc())
        .offset((page - 1) * LIST_SIZE)
        .limit(LIST_SIZE + 1)
    ).all()
    return render_template(
        "ads/classifieds/index.html",
        sector_label=sdk.sector_label,
        ads=rows[:LIST_SIZE],
        page=page,
        more=len(rows) > LIST_SIZE,
        remaining=_remaining(),
        price=service.price_of("post"),
        statuses=CLASSIFIED_STATUSES,
        kinds=CLASSIFIED_KINDS,
        rules=settings(),
        allowed=service.allowed_transitions,
        boosted=service.boosted,
    )


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_new() -> Any:
    workspace = sdk.current_workspace()
    form = ClassifiedForm()
    form.set_boards(service.board_codes(workspace))
    if form.validate_on_submit():
        prepared = _prepared(form)
        if prepared is not None:
            with sdk.user_errors(form):
                ad, invoice = service.create_classified(
                    workspace, sdk.current_user, form.fields(), prepared, pay=form.pay.data
                )
                sdk.db.session.commit()
                if invoice is not None:
                    done = _go_to_invoice(
                        invoice,
                        sdk._(
                            "Your free ads are used up: the ad will be published once invoice "
                            "%(number)s is paid.",
                            number=invoice.number,
                        ),
                    )
                    if done is not None:
                        return done
                elif ad.status == "pending":
                    flash(
                        sdk._(
                            "The ad is saved; it will be published once a moderator has read it."
                        ),
                        "success",
                    )
                else:
                    flash(sdk._("The ad is published."), "success")
                return redirect(url_for(".classified", classified_id=ad.id), 303)
    return _page("ads/classifieds/form.html", form, title=sdk._("Post a classified ad"), ad=None)


@sdk.require_permission(POST_CLASSIFIEDS)
def classified(classified_id: int) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    return render_template(
        "ads/classifieds/ad.html",
        sector_label=sdk.sector_label,
        ad=ad,
        body=body_html(ad),
        statuses=CLASSIFIED_STATUSES,
        kinds=CLASSIFIED_KINDS,
        allowed=service.allowed_transitions(ad),
        boosted=service.boosted(ad),
        action_form=ActionForm(),
        pay_form=PayForm(),
        remaining=_remaining(),
        price=service.price_of("post"),
        boost_price=service.price_of("boost"),
        rules=settings(),
    )


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_edit(classified_id: int) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    if ad.status not in service.EDITABLE:
        flash(sdk._("This ad can no longer be changed."), "error")
        return redirect(url_for(".classified", classified_id=ad.id), 303)
    form = ClassifiedEditForm(obj=ad)
    form.set_boards(sorted({*service.board_codes(ad.workspace), ad.sector}))
    form.remove_images.choices = [(i.id, i.alt_text) for i in ad.images]
    del form.pay
    if form.validate_on_submit():
        prepared = _prepared(form)
        if prepared is not None:
            with sdk.user_errors(form):
                service.update_classified(
                    ad, form.fields(), prepared, tuple(form.remove_images.data or ())
                )
                sdk.db.session.commit()
                flash(sdk._("The ad is saved."), "success")
                return redirect(url_for(".classified", classified_id=ad.id), 303)
    return _page("ads/classifieds/form.html", form, title=sdk._("Change the ad"), ad=ad)


def _posted() -> None:
    if not ActionForm().validate_on_submit():
        sdk.abort(400)


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_withdraw(classified_id: int) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    _posted()
    with sdk.user_errors():
        service.withdraw(ad)
        sdk.db.session.commit()
        flash(sdk._("The ad is withdrawn from its board."), "success")
    return redirect(url_for(".classified", classified_id=ad.id), 303)


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_renew(classified_id: int) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    form = PayForm()
    if not form.validate_on_submit():
        sdk.abort(400)
    with sdk.user_errors():
        invoice = service.renew(ad, sdk.current_user, pay=form.pay.data)
        sdk.db.session.commit()
        if invoice is None:
            flash(sdk._("The ad is renewed and back on top of its board."), "success")
        else:
            done = _go_to_invoice(
                invoice,
                sdk._(
                    "The ad will be renewed once invoice %(number)s is paid.",
                    number=invoice.number,
                ),
            )
            if done is not None:
                return done
    return redirect(url_for(".classified", classified_id=ad.id), 303)


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_boost(classified_id: int) -> Any:
    ad = sdk.get_or_404(ClassifiedAd, classified_id)
    _posted()
    with sdk.user_errors():
        invoice = service.boost(ad, sdk.current_user)
        sdk.db.session.commit()
        done = _go_to_invoice(
            invoice,
            sdk._(
                "The ad will stay on top of its board for %(days)d days once invoice "
                "%(number)s is paid.",
                days=settings().boost_days,
                number=invoice.number,
            ),
        )
        if done is not None:
            return done
    return redirect(url_for(".classified", classified_id=ad.id), 303)


@sdk.require_permission(POST_CLASSIFIEDS)
def classified_image(image_id: int) -> Any:
    image = sdk.get_or_404(ClassifiedImage, image_id)
    return sdk.send_upload(image.file_token)
