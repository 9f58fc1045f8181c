"""Languages: how the locale is chosen, translated pages, complete catalogues, compilation."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from setuptools.dist import Distribution

import ent_core
from ent_core import i18n
from ent_core.db import db
from ent_core.testing import sign_in

CORE = Path(ent_core.__file__).resolve().parent
REPO = CORE.parent
HTML_TAG = re.compile(r"<html\b[^>]*>")


def html_tag(response: Any) -> str:
    match = HTML_TAG.search(response.get_data(as_text=True))
    assert match, "the page has no <html> element"
    return match.group(0)


def test_french_is_the_default_left_to_right(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="fr" dir="ltr">'


def test_lang_parameter_selects_arabic_right_to_left(client: Any) -> None:
    assert html_tag(client.get("/?lang=ar")) == '<html lang="ar" dir="rtl">'


def test_accept_language_selects_english(client: Any) -> None:
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert ">Sign in<" in response.get_data(as_text=True)


def test_unsupported_language_falls_back_to_french(client: Any) -> None:
    response = client.get("/?lang=de", headers={"Accept-Language": "de-DE,de"})
    assert html_tag(response) == '<html lang="fr" dir="ltr">'


def test_language_choice_sticks_in_the_session(client: Any) -> None:
    client.get("/?lang=ar")
    response = client.get("/", headers={"Accept-Language": "en"})
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_saved_locale_wins_over_accept_language(client: Any, user: Any) -> None:
    user.locale = "ar"
    db.session.commit()
    sign_in(client, user)
    response = client.get("/", headers={"Accept-Language": "en"})
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_switching_language_overrides_the_saved_locale_for_the_session(
    client: Any, user: Any
) -> None:
    user.locale = "ar"
    db.session.commit()
    sign_in(client, user)
    client.get("/?lang=en")
    assert html_tag(client.get("/")) == '<html lang="en" dir="ltr">'


@pytest.mark.parametrize(
    ("lang", "sign_in_label"),
    [("fr", "Se connecter"), ("ar", "تسجيل الدخول"), ("en", "Sign in")],
)
def test_header_is_translated(client: Any, lang: str, sign_in_label: str) -> None:
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert f">{sign_in_label}</a>" in header


def test_language_switcher_keeps_the_page_and_its_query(client: Any) -> None:
    page = client.get("/nowhere/at/all?q=press&lang=fr").get_data(as_text=True)
    switcher = page.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/nowhere/at/all?q=press&amp;lang=ar"' in switcher
    assert 'href="/nowhere/at/all?q=press&amp;lang=en"' in switcher
    current = re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]+)</a>', switcher)
    assert current == ["Français"]


def test_language_switcher_links_stay_valid_addresses(client: Any) -> None:
    page = client.get("/caf%C3%A9 et th%C3%A9?x=a%26b").get_data(as_text=True)
    switcher = page.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/caf%C3%A9%20et%20th%C3%A9?x=a%26b&amp;lang=en"' in switcher


def test_french_and_arabic_catalogues_are_complete(capsys: Any) -> None:
    """Every string of ent_core is in the fr and ar catalogues, translated and not fuzzy."""
    status = i18n.main(["check"])
    problems = capsys.readouterr().err
    assert status == 0, problems


def test_english_catalogue_lists_every_string() -> None:
    problems = i18n.check(CORE, ["en"])
    assert not [p for p in problems if "missing from the catalogue" in p]


def write_plugin(folder: Path) -> Path:
    package = folder / "ent_sample"
    (package / "templates" / "sample").mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from flask_babel import lazy_gettext as _l\n\nLABEL = _l('Sample notices')\n"
    )
    (package / "templates" / "sample" / "index.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ _('Hello from the sample') }}"
        "{% endblock %}\n"
    )
    return package


def translate(po_path: Path, translations: dict[str, str]) -> None:
    with open(po_path, "rb") as src:
        catalog = read_po(src)
    for message in catalog:
        if message.id in translations:
            message.string = translations[message.id]
    with open(po_path, "wb") as out:
        write_po(out, catalog)


def test_plugin_authors_extract_update_and_compile_their_own_catalogue(tmp_path: Path) -> None:
    package = write_plugin(tmp_path)
    assert i18n.main(["update", str(package)]) == 0
    template = (package / "translations" / "messages.pot").read_text()
    assert 'msgid "Sample notices"' in template
    assert 'msgid "Hello from the sample"' in template
    for locale in ("fr", "en", "ar"):
        assert (package / "translations" / locale / "LC_MESSAGES" / "messages.po").exists()

    assert i18n.main(["check", str(package)]) == 1
    translate(
        package / "translations" / "fr" / "LC_MESSAGES" / "messages.po",
        {"Sample notices": "Annonces d'exemple", "Hello from the sample": "Bonjour de l'exemple"},
    )
    translate(
        package / "translations" / "ar" / "LC_MESSAGES" / "messages.po",
        {"Sample notices": "إعلانات نموذجية", "Hello from the sample": "مرحبا من النموذج"},
    )
    assert i18n.main(["check", str(package)]) == 0

    assert i18n.main(["compile", str(package)]) == 0
    found = Translations.load(str(package / "translations"), ["fr"])
    assert found.gettext("Hello from the sample") == "Bonjour de l'exemple"


def test_update_keeps_existing_translations(tmp_path: Path) -> None:
    package = write_plugin(tmp_path)
    i18n.update(package)
    po_path = package / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    translate(po_path, {"Sample notices": "Annonces d'exemple"})
    (package / "extra.py").write_text("from flask_babel import gettext as _\n\n_('New string')\n")
    i18n.update(package)
    with open(po_path, "rb") as src:
        catalog = read_po(src)
    assert catalog.get("Sample notices").string == "Annonces d'exemple"
    assert catalog.get("New string").string == ""


def test_start_up_compiles_missing_or_outdated_catalogues(tmp_path: Path) -> None:
    folder = tmp_path / "translations"
    shutil.copytree(CORE / "translations", folder, ignore=shutil.ignore_patterns("*.mo"))
    written = i18n.ensure_compiled([folder])
    assert sorted(p.parent.parent.name for p in written) == ["ar", "en", "fr"]
    assert i18n.ensure_compiled([folder]) == []  # up to date: nothing to do
    edited = folder / "ar" / "LC_MESSAGES" / "messages.po"
    later = edited.with_suffix(".mo").stat().st_mtime + 60
    os.utime(edited, (later, later))
    assert i18n.ensure_compiled([folder]) == [edited.with_suffix(".mo")]
    fr = Translations.load(str(folder), ["fr"])
    assert fr.gettext("Sign in") == "Se connecter"


def load_build_hook() -> Any:
    spec = importlib.util.spec_from_file_location("ent_setup", REPO / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BuildPyWithCatalogues


def test_building_the_package_compiles_the_catalogues(tmp_path: Path) -> None:
    """``pip install .`` runs build_py; the command of our setup.py writes the .mo files."""
    build = tmp_path / "build"
    dist = Distribution(
        {
            "name": "smart-medias-ent",
            "packages": ["ent_core"],
            "package_dir": {"ent_core": str(CORE)},
            "package_data": {"ent_core": ["translations/**/*"]},
        }
    )
    dist.script_name = str(REPO / "setup.py")
    command = load_build_hook()(dist)
    command.build_lib = str(build)
    command.ensure_finalized()
    command.run()
    compiled = sorted(
        p.relative_to(build).as_posix() for p in build.glob("ent_core/translations/*/*/*.mo")
    )
    assert compiled == [
        f"ent_core/translations/{locale}/LC_MESSAGES/messages.mo" for locale in ("ar", "en", "fr")
    ]
    ar = Translations.load(str(build / "ent_core" / "translations"), ["ar"])
    assert ar.gettext("Sign in") == "تسجيل الدخول"


def test_saving_a_language_in_the_profile_replaces_the_switchers_choice(signed_in_client):
    signed_in_client.get("/account/?lang=en")
    signed_in_client.post("/account/", data={"name": "Amina", "locale": "ar"})
    assert 'lang="ar"' in signed_in_client.get("/account/").get_data(as_text=True)
