"""Sign-up, sign-in, verification, password reset, OpenID Connect, account and tokens."""

from __future__ import annotations

from flask import Blueprint

auth_bp = Blueprint("auth", __name__, url_prefix="/auth")
account_bp = Blueprint("account", __name__, url_prefix="/account")


# Skeleton endpoints the shell links to; the identity work replaces them.
@auth_bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> str:
    return ""


@auth_bp.route("/sign-up", methods=["GET", "POST"])
def sign_up() -> str:
    return ""


@auth_bp.post("/sign-out")
def sign_out() -> str:
    return ""


@account_bp.get("/")
def settings() -> str:
    return ""
