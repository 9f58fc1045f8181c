"""The SDK is the plugins' contract: names never vanish without a deprecation release."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from ent_core import sdk
from ent_core.deprecation import DeprecatedNames, EntDeprecationWarning

ROOT = Path(__file__).resolve().parent.parent
#: Every name the SDK has ever published. Add new names here when you add them to __all__;
#: never delete one: retire it through ``deprecated`` first (docs/sdk.md).
PUBLISHED = (ROOT / "tests" / "sdk_public_names.txt").read_text().split()


def test_every_published_name_is_still_available_or_deprecated():
    gone = [n for n in PUBLISHED if n not in sdk.__all__ and n not in sdk.deprecated_names()]
    assert not gone, f"removed without a deprecation release: {gone}"


def test_new_names_are_recorded_as_published():
    unrecorded = sorted(set(sdk.__all__) - set(PUBLISHED))
    assert not unrecorded, f"add to tests/sdk_public_names.txt: {unrecorded}"


def test_every_public_name_resolves():
    assert [n for n in sdk.__all__ if not hasattr(sdk, n)] == []


def test_every_public_name_is_documented():
    text = (ROOT / "docs" / "sdk.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Za-z_][\w]*)`", text))
    missing = sorted(set(sdk.__all__) - documented)
    assert not missing, f"docs/sdk.md does not mention: {missing}"


def test_a_deprecated_name_keeps_working_with_a_warning_naming_its_replacement():
    names = DeprecatedNames("ent_core.sdk")
    names.add("old_helper", sdk.get_or_404, since="0.1", removed_in="0.3", use_instead="get_or_404")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert names("old_helper") is sdk.get_or_404
    assert caught[0].category is EntDeprecationWarning
    assert "use get_or_404 instead" in str(caught[0].message)
    assert "removed in 0.3" in str(caught[0].message)
    with pytest.raises(AttributeError):
        names("never_existed")


def test_unknown_sdk_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        sdk.does_not_exist  # noqa: B018
