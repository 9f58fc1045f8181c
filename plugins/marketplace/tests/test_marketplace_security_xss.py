"""An XSS corpus through every text field of the marketplace (listing, variant, storefront,
order, messages, reviews, categories) never comes out as markup on the pages that show them:
public, members', buyers' and operator's pages, as each of them sees their own.

Written against ``app.url_map``: the pages every part adds are fetched as they merge.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from ent_plugins.marketplace.tests.operations_kit import fill, marketplace_rules, open_shop

from ent_core import sdk
from ent_core.testing import sign_in

PAYLOADS = (
    '<script>alert("mp-xss-1")</script>',
    '<img src=x onerror=alert("mp-xss-2")>',
    '"><svg onload=alert("mp-xss-3")>',
    "'><a href=\"javascript:alert('mp-xss-4')\">clic</a>",
    '[clic](javascript:alert("mp-xss-5"))',
    '</textarea></title><iframe src="javascript:alert(6)"></iframe>',
    '" onmouseover="alert(\'mp-xss-7\')" x="',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("mp-xss-8")>',
)
ACTIVE_TAGS = {"iframe", "object", "embed", "math", "base", "style"}  # svg: our icons
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "xlink:href"}


def assert_no_markup_from(html: str, where: str) -> None:
    """No element, handler or script-bearing URL came from the corpus."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        assert tag not in ACTIVE_TAGS, f"{where}: <{tag}>"
        if tag == "script":
            assert "mp-xss" not in (element.text or ""), f"{where}: a script of the corpus"
        for name, value in element.attrib.items():
            name = name.lower()
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRIBUTES:
                plain = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                assert not plain.startswith(("javascript:", "vbscript:", "data:text")), (
                    f"{where}: <{tag} {name}={value!r}>"
                )


def _poison_category(code: str, text: str) -> None:
    from ent_plugins.marketplace.categories import category_by_code

    category = category_by_code(code)
    category.names = {"fr": f"Catégorie {text}", "en": text, "ar": text}
    sdk.db.session.commit()


@pytest.fixture(params=PAYLOADS, ids=[f"p{n}" for n in range(1, len(PAYLOADS) + 1)])
def poisoned(request: Any, seller: Any, user: Any, newsroom: Any) -> Any:
    _poison_category("fact-checking", request.param)
    return open_shop(seller, user, request.param)


def _pages(app: Any, prefix: str, values: dict[str, Any]) -> list[str]:
    urls = []
    for rule in marketplace_rules(app, prefix):
        url = fill(rule, values) if "GET" in rule.methods else None
        if url is not None and not url.startswith("/api/"):
            urls.append(url)
    return urls


def test_no_field_comes_out_as_markup(
    app_ctx: Any, poisoned: Any, seller_owner: Any, user: Any, operator: Any
) -> None:
    values = {
        "workspace": "factcheck-lab",
        "seller": "factcheck-lab",
        "slug": "factcheck-lab",
        "code": "fact-checking",
        "category": "fact-checking",
        "sector": "it",
        **poisoned.ids,
    }
    visitors = {
        "public": (app_ctx.test_client(), "/marketplace"),
        "buyer": (sign_in(app_ctx.test_client(), user), "/marketplace"),
        "seller": (sign_in(app_ctx.test_client(), seller_owner), "/w/<workspace>/marketplace"),
        "operator": (sign_in(app_ctx.test_client(), operator), "/admin/marketplace"),
    }
    seen = 0
    for who, (client, prefix) in visitors.items():
        extra = {"seller": ["/w/factcheck-lab/"], "operator": ["/admin/"]}.get(who, [])
        for url in [*_pages(app_ctx, prefix, values), *extra]:
            answer = client.get(url)
            assert answer.status_code < 500, f"{who} GET {url} -> {answer.status_code}"
            if answer.mimetype == "text/html" and answer.status_code == 200:
                assert_no_markup_from(answer.get_data(as_text=True), f"{who} GET {url}")
                seen += 1
    assert seen >= 4  # the homes at least: the walk reached the pages


@pytest.mark.parametrize("payload", PAYLOADS[:4] + PAYLOADS[5:6] + PAYLOADS[7:])
def test_the_check_sees_each_payload_left_raw(payload: str) -> None:
    with pytest.raises(AssertionError):
        assert_no_markup_from(f"<html><body><p>{payload}</p></body></html>", "raw")


def test_the_categories_page_shows_the_names_as_text(operator_client: Any) -> None:
    _poison_category("fact-checking", PAYLOADS[0])
    html = operator_client.get("/admin/marketplace/categories").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in html
