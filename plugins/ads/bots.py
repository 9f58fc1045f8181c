"""Robots, crawlers and prefetches: they get no ad and count for nothing (docs/ads.md, "Bots").

User agents are matched with CrawlerDetect's list (the ``crawlerdetect`` package, a port of the
maintained PHP list of some 1,500 robots); a request without a user agent is a robot too, since
every browser sends one. A page prefetched or prerendered (``Sec-Purpose: prefetch``,
``Purpose: prefetch``, Firefox's ``X-Moz: prefetch``) may never be shown: counting it would bill
an advertiser for nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from crawlerdetect import CrawlerDetect

_detector = CrawlerDetect()
_detector.is_crawler("warm-up")  # compiles the list's pattern now, not on a reader's request

#: Headers of WSGI environs that announce a speculative load.
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ", "HTTP_X_PURPOSE")


def is_robot(user_agent: str | None) -> bool:
    """Whether this user agent is a robot's (or missing): CrawlerDetect keeps its own cache
    of the last answers, so a busy page's readers cost one dictionary look-up each."""
    if not user_agent or not user_agent.strip():
        return True
    return bool(_detector.is_crawler(user_agent))


def is_prefetch(environ: Mapping[str, str]) -> bool:
    """Whether the browser loads this ahead of a visit that may not happen."""
    for name in _PREFETCH_HEADERS:
        value = environ.get(name)
        if value and ("prefetch" in value.lower() or "prerender" in value.lower()):
            return True
    return False


def filtered(environ: Mapping[str, str]) -> bool:
    """A robot or a prefetch: no ad, no count."""
    return is_prefetch(environ) or is_robot(environ.get("HTTP_USER_AGENT"))
