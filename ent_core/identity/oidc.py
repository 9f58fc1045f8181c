"""OpenID Connect sign-in through authlib for the providers named in ``ENT_OIDC_PROVIDERS``.

The code flow with PKCE (S256), ``state`` and ``nonce``; endpoints come from the issuer's
discovery document. An account is linked to a provider identity only when the provider vouches
for the email address (``email_verified``): an unverified claim could take over any account.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _

from ent_core.audit import record
from ent_core.config import OIDCProvider
from ent_core.db import db
from ent_core.forms import PERSON_NAME_MAX, neutralise
from ent_core.identity.models import OIDCIdentity, User
from ent_core.identity.service import IdentityError, create_account, find_user, normalise_email

if TYPE_CHECKING:
    from authlib.integrations.flask_client import FlaskOAuth2App

log = logging.getLogger(__name__)

SCOPES = "openid email profile"
_CLIENTS_KEY = "ent.oidc_clients"


class OIDCError(IdentityError):
    """The provider's answer cannot sign anyone in; ``message`` says why to the person."""

    default_status = 400


def provider(name: str) -> OIDCProvider | None:
    return current_app.config.get("ENT_OIDC_PROVIDERS", {}).get(name)


def providers() -> list[OIDCProvider]:
    """Configured providers, in name order (for the sign-in page)."""
    return [p for _, p in sorted(current_app.config.get("ENT_OIDC_PROVIDERS", {}).items())]


def client_for(config: OIDCProvider) -> FlaskOAuth2App:
    """The authlib client of a provider, cached per configuration (discovery is fetched once)."""
    # authlib and requests load only where OpenID Connect is used: they cost a worker ~12 MB.
    from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App

    clients: dict[OIDCProvider, FlaskOAuth2App] = current_app.extensions.setdefault(
        _CLIENTS_KEY, {}
    )
    client = clients.get(config)
    if client is None:
        client = FlaskOAuth2App(
            FlaskIntegration(f"ent_oidc_{config.name}"),
            f"ent_oidc_{config.name}",
            client_id=config.client_id,
            client_secret=config.client_secret,
            server_metadata_url=f"{config.issuer}/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "timeout": 10},
        )
        clients[config] = client
    return client


def check_issuer(config: OIDCProvider, client: FlaskOAuth2App) -> None:
    """Discovery must describe the configured issuer (OpenID Connect Discovery, section 4.3)."""
    issuer = str(client.load_server_metadata().get("issuer", "")).rstrip("/")
    if issuer != config.issuer:
        log.error(
            "OIDC provider %s announces issuer %r, not %r", config.name, issuer, config.issuer
        )
        raise OIDCError("oidc_misconfigured", _("This sign-in provider is misconfigured."))


def sign_in_from_claims(config: OIDCProvider, claims: dict[str, Any]) -> User:
    """Find, link or create the account for verified ID-token claims."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise OIDCError("oidc_no_subject", _("The provider did not identify the account."))
    identity = db.session.scalar(
        db.select(OIDCIdentity).where(
            OIDCIdentity.provider == config.name, OIDCIdentity.subject == subject
        )
    )
    user = identity.user if identity is not None else _link_or_create(config, subject, claims)
    if not user.is_active:
        raise OIDCError("account_disabled", _("This account is disabled."))
    return user


def _link_or_create(config: OIDCProvider, subject: str, claims: dict[str, Any]) -> User:
    email = normalise_email(str(claims.get("email") or ""))
    if not email:
        raise OIDCError(
            "oidc_no_email",
            _(
                "%(provider)s did not share your email address, so no account can be opened.",
                provider=config.label,
            ),
        )
    # Some providers (Amazon Cognito) send the boolean as a string.
    verified = claims.get("email_verified") in (True, "true")
    user = find_user(email)
    if user is not None:
        if not verified:
            raise OIDCError(
                "oidc_email_unverified",
                _(
                    "An account already uses %(email)s, but %(provider)s has not verified that "
                    "this address is yours, so we cannot link them. Sign in with your password, "
                    "or verify the address with %(provider)s first.",
                    email=email,
                    provider=config.label,
                ),
                409,
            )
        action = "auth.identity_linked"
    else:
        name = str(claims.get("name") or claims.get("preferred_username") or "")
        # The provider's claim is not typed here: drop direction controls, cut to the limit.
        name = neutralise(name).strip()[:PERSON_NAME_MAX]
        user = create_account(email, None, name=name, verified=verified)
        action = "auth.identity_created"
    db.session.add(OIDCIdentity(user_id=user.id, provider=config.name, subject=subject))
    record(action, subject=email, actor=user, details={"provider": config.name})
    db.session.commit()
    return user
