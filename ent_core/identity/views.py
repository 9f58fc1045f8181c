"""Sign-up, sign-in, verification, password reset, OpenID Connect, account and tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ent_core.db import db
from ent_core.errors import user_errors
from ent_core.identity import oidc, service
from ent_core.identity.forms import (
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
    ResetRequestForm,
    SignInForm,
    SignUpForm,
    TokenCreateForm,
)
from ent_core.identity.models import ApiToken, User
from ent_core.identity.service import SignInThrottled, TokenRefused
from ent_core.identity.tokens import create_api_token, revoke_api_token

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")
account_bp = Blueprint("account", __name__, url_prefix="/account")

_OIDC_NEXT_KEY = "ent_oidc_next"


# -- helpers ----------------------------------------------------------------------------------


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site, never another host."""
    if not target:
        return None
    target = target.strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _after_sign_in_url(target: str | None = None) -> str:
    return safe_next(target) or url_for("platform.workspaces")


def _me() -> User:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _render_sign_in(form: SignInForm, status: int = 200, **context: Any) -> Any:
    return (
        render_template("auth/sign_in.html", form=form, providers=oidc.providers(), **context),
        status,
    )


def _link_refused(exc: TokenRefused, *, kind: str) -> Any:
    return render_template("auth/link_refused.html", message=exc.message, kind=kind), 400


# -- sign-in and sign-out ---------------------------------------------------------------------


@auth_bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    form = SignInForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(_after_sign_in_url(request.args.get("next")))
        form.next.data = safe_next(request.args.get("next")) or ""
    if not form.validate_on_submit():
        return _render_sign_in(form)
    with user_errors(form) as refused:
        user = service.sign_in_with_password(form.email.data, form.password.data)
        login_user(user, remember=bool(form.remember.data))
        return redirect(_after_sign_in_url(form.next.data))
    if isinstance(refused.error, SignInThrottled):
        response, status = _render_sign_in(form, 429)
        return response, status, {"Retry-After": str(refused.error.retry_after)}
    return _render_sign_in(form)  # wrong credentials: the form again, saying so


@auth_bp.post("/sign-out")
def sign_out() -> Any:
    if current_user.is_authenticated:
        # Ends every session of the person: a copy of this cookie must not outlive it.
        service.end_sessions(_me(), "auth.sign_out")
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("platform.home"))


# -- sign-up and email verification -----------------------------------------------------------


@auth_bp.route("/sign-up", methods=["GET", "POST"])
def sign_up() -> Any:
    if current_user.is_authenticated:
        return redirect(_after_sign_in_url())
    form = SignUpForm()
    if form.validate_on_submit():
        with user_errors(form):  # the password policy: says nothing about the address
            service.sign_up(form.email.data, form.password.data, name=form.name.data)
            # The same page whether the account is new or the address already had one (its
            # owner gets a notice by mail): nobody learns here who has an account.
            email = service.normalise_email(form.email.data)
            return render_template("auth/sign_up_sent.html", email=email)
    return render_template("auth/sign_up.html", form=form, providers=oidc.providers())


@auth_bp.get("/verify/<token>")
def verify_email(token: str) -> Any:
    try:
        user = service.verify_email(token)
    except TokenRefused as exc:
        if exc.code != "token_used":
            return _link_refused(exc, kind="verify")
        flash(exc.message, "info")
    else:
        flash(_("Thank you, %(email)s is confirmed.", email=user.email), "success")
    if current_user.is_authenticated:
        return redirect(url_for("account.settings"))
    return redirect(url_for("auth.sign_in"))


@auth_bp.post("/verify/resend")
@login_required
def resend_verification() -> Any:
    user = _me()
    if user.email_verified:
        flash(_("This email address is already confirmed."), "info")
    elif service.send_verification_mail(user):
        flash(_("We sent a new confirmation link to %(email)s.", email=user.email), "success")
    else:
        flash(
            _(
                "We sent a link a moment ago. Please check your inbox (and spam folder) "
                "before asking again."
            ),
            "info",
        )
    return redirect(url_for("account.settings"))


# -- password reset ---------------------------------------------------------------------------


@auth_bp.route("/reset", methods=["GET", "POST"])
def reset_request() -> Any:
    form = ResetRequestForm()
    if form.validate_on_submit():
        service.request_password_reset(form.email.data)
        # The same answer whether or not the account exists: nobody learns who has one.
        flash(
            _(
                "If an account uses %(email)s, we sent it a link to choose a new password. "
                "The link works for one hour.",
                email=form.email.data,
            ),
            "info",
        )
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_request.html", form=form)


@auth_bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Any:
    try:
        service.user_for_reset_token(token)
    except TokenRefused as exc:
        return _link_refused(exc, kind="reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        with user_errors(form) as refused:
            service.reset_password(token, form.password.data)
            logout_user()
            flash(_("Your password is changed. Please sign in with it."), "success")
            return redirect(url_for("auth.sign_in"))
        if isinstance(refused.error, TokenRefused):  # used meanwhile, in another tab
            return _link_refused(refused.error, kind="reset")
    return render_template("auth/reset_password.html", form=form)


# -- OpenID Connect ---------------------------------------------------------------------------


def _oidc_failure(message: str, status: int) -> Any:
    return _render_sign_in(SignInForm(formdata=None), status, oidc_error=message)


@auth_bp.get("/oidc/<name>/login")
def oidc_login(name: str) -> Any:
    import requests  # with authlib, loaded only where OpenID Connect is used (memory)

    config = oidc.provider(name)
    if config is None:
        abort(404)
    client = oidc.client_for(config)
    try:
        oidc.check_issuer(config, client)
        session[_OIDC_NEXT_KEY] = safe_next(request.args.get("next")) or ""
        return client.authorize_redirect(service.external_url("auth.oidc_callback", name=name))
    except oidc.OIDCError as exc:
        return _oidc_failure(exc.message, 502)
    except requests.RequestException:
        current_app.logger.exception("OIDC provider %s unreachable", name)
        return _oidc_failure(
            _(
                "%(provider)s cannot be reached right now. Please try again later.",
                provider=config.label,
            ),
            502,
        )


@auth_bp.get("/oidc/<name>/callback")
def oidc_callback(name: str) -> Any:
    import requests
    from authlib.integrations.base_client import OAuthError

    config = oidc.provider(name)
    if config is None:
        abort(404)
    client = oidc.client_for(config)
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
        if not claims.get("email") and client.load_server_metadata().get("userinfo_endpoint"):
            extra = client.userinfo(token=token)
            if extra.get("sub") == claims.get("sub"):
                claims = {**extra, **claims}
        user = oidc.sign_in_from_claims(config, claims)
    except OAuthError as exc:
        current_app.logger.warning("OIDC sign-in with %s refused: %s", name, exc)
        return _oidc_failure(
            _(
                "The sign-in with %(provider)s could not be completed. Please try again.",
                provider=config.label,
            ),
            400,
        )
    except oidc.OIDCError as exc:
        return _oidc_failure(exc.message, exc.status)
    except requests.RequestException:
        current_app.logger.exception("OIDC provider %s unreachable", name)
        return _oidc_failure(
            _(
                "%(provider)s cannot be reached right now. Please try again later.",
                provider=config.label,
            ),
            502,
        )
    login_user(user)
    service.note_sign_in(user, method="oidc", provider=name)
    return redirect(_after_sign_in_url(session.pop(_OIDC_NEXT_KEY, None)))


# -- account ----------------------------------------------------------------------------------


def _language_choices() -> list[tuple[str, str]]:
    from ent_core.i18n import LANGUAGE_NAMES

    return [("", _("Automatic (from your browser)"))] + [
        (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["ENT_LANGUAGES"]
    ]


@account_bp.route("/", methods=["GET", "POST"])
@login_required
def settings() -> Any:
    user = _me()
    form = ProfileForm(obj=None if request.method == "POST" else user)
    form.locale.choices = _language_choices()
    if request.method == "GET":
        form.locale.data = user.locale or ""
    if form.validate_on_submit():
        service.update_profile(user, name=form.name.data, locale=form.locale.data or None)
        # The switcher's choice lives in the session and wins; the saved language replaces it.
        if form.locale.data:
            session["lang"] = form.locale.data
        else:
            session.pop("lang", None)
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("account.settings"))
    return render_template("account/settings.html", form=form, user=user)


@account_bp.route("/password", methods=["GET", "POST"])
@login_required
def password() -> Any:
    user = _me()
    form = PasswordChangeForm()
    if form.validate_on_submit():
        with user_errors(form):
            service.change_password(user, form.current_password.data, form.password.data)
            # The nonce changed: every other session ends, this one is signed in again.
            remember_cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            login_user(user, remember=remember_cookie in request.cookies)
            flash(_("Your password is changed. Your other sessions are signed out."), "success")
            return redirect(url_for("account.settings"))
    return render_template("account/password.html", form=form, user=user)


@account_bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Any:
    """For a lost phone or a shared computer: every session and remember-me cookie ends."""
    service.end_sessions(_me(), "auth.sign_out_everywhere")
    logout_user()
    flash(_("You are signed out on every device. Please sign in again."), "success")
    return redirect(url_for("auth.sign_in"))


@account_bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Any:
    user = _me()
    form = TokenCreateForm()
    new_secret = new_token = None
    if form.validate_on_submit():
        new_token, new_secret = create_api_token(user, form.name.data)
        form = TokenCreateForm(formdata=None)
    rows = db.session.scalars(
        db.select(ApiToken)
        .where(ApiToken.user_id == user.id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()
    body = render_template(
        "account/tokens.html", form=form, tokens=rows, new_secret=new_secret, new_token=new_token
    )
    # The page may carry a secret shown exactly once: no cache may keep a copy.
    return body, 200, {"Cache-Control": "no-store"}


@account_bp.post("/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Any:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    revoke_api_token(token, actor=_me())
    flash(_("The token “%(name)s” is revoked.", name=token.name), "success")
    return redirect(url_for("account.tokens"))
