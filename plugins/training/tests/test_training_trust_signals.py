"""Trust signals: a workspace whose members hold certificates they chose to show proves it."""

from __future__ import annotations

from typing import Any

from test_training_badges import _opt_in, certified  # noqa: F401 - the fixture

from ent_core import sdk


def test_certificates_of_members_are_a_trust_signal(
    certified: Any,  # noqa: F811
    learner_client: Any,
    learner: Any,
    centre: Any,
    app: Any,
) -> None:
    def certificates() -> list[Any]:
        from flask_babel import refresh

        with app.test_request_context("/?lang=en"):
            refresh()  # the test's app context may hold the default language already
            return [s for s in sdk.trust_signals(centre) if s.code == "certificates"]

    assert certificates() == []  # not shown by the learner: not counted
    _opt_in(learner_client)
    (signal,) = certificates()
    assert signal.label == "1 verifiable certificate"
    assert signal.detail == "Fact-checking"
    assert signal.url == f"http://localhost/s/cime/training/certificates/{certified.number}"
    assert signal.since is not None
