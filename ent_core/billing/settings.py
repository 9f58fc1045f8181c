"""Billing settings: the app's config (the environment or the configuration file), else a default.

| name | default | meaning |
| --- | --- | --- |
| ``ENT_BILLING_TRIAL_DAYS`` | 14 | days a new subscription is usable before its first payment |
| ``ENT_BILLING_GRACE_DAYS`` | 15 | days a past-due subscription stays usable |
| ``ENT_BILLING_RENEWAL_NOTICE_DAYS`` | 14 | days before period end the renewal invoice is issued |
| ``ENT_BILLING_PAYMENT_DAYS`` | 15 | payment term of a new invoice |
| ``ENT_BILLING_BANK_ACCOUNT`` | "" | the RIB/IBAN shown in bank transfer instructions |
| ``ENT_BILLING_SELLER`` | "Smart Médias ENT" | seller's name when ``ENT_OPERATOR_NAME`` is empty |
| ``ENT_OPERATOR_NAME`` | "" | the platform operator's legal name, the seller on invoices |
| ``ENT_OPERATOR_ADDRESS`` | "" | its address |
| ``ENT_OPERATOR_ICE``, ``_RC``, ``_IF`` | "" | its ICE, trade register and tax (IF) numbers |
"""

from __future__ import annotations

from flask import current_app

DEFAULTS: dict[str, str] = {
    "ENT_BILLING_TRIAL_DAYS": "14",
    "ENT_BILLING_GRACE_DAYS": "15",
    "ENT_BILLING_RENEWAL_NOTICE_DAYS": "14",
    "ENT_BILLING_PAYMENT_DAYS": "15",
    "ENT_BILLING_BANK_ACCOUNT": "",
    "ENT_BILLING_SELLER": "Smart Médias ENT",
    "ENT_OPERATOR_NAME": "",
    "ENT_OPERATOR_ADDRESS": "",
    "ENT_OPERATOR_ICE": "",
    "ENT_OPERATOR_RC": "",
    "ENT_OPERATOR_IF": "",
}


def text_setting(name: str) -> str:
    value = current_app.config.get(name)  # read by ent_core.config, environment or file
    return str(DEFAULTS[name] if value is None else value)


def int_setting(name: str) -> int:
    value = text_setting(name)
    try:
        return int(value)
    except ValueError:
        raise RuntimeError(f"{name} must be a whole number of days, not {value!r}") from None
