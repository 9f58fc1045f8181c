"""Who may do what in the ads module, declared once (docs/ads.md, "Who may do what").

In a workspace: ``advertiser`` (a plugin role) runs the workspace's campaigns; owners and
admins hold everything; editors manage the publication's placements. Moderating creatives and
classified ads is for platform administrators (``sdk.PlatformBlueprint`` pages).
"""

from __future__ import annotations

from typing import Any

from ent_core import sdk

VIEW = "workspace.view"
MANAGE_CAMPAIGNS = "ads.manage_campaigns"
SEE_REPORTS = "ads.see_reports"
MANAGE_PLACEMENTS = "ads.manage_placements"
POST_CLASSIFIEDS = "ads.post_classifieds"

ADMINS = ("owner", "admin")


def roles() -> list[Any]:
    return [
        sdk.Role(
            "advertiser",
            sdk._l("Advertiser"),
            sdk._l("Buys campaigns on the network, uploads creatives, reads their reports."),
        )
    ]


def declared() -> list[Any]:
    """The plugin's answer to ``ent_permissions``."""
    return [
        sdk.Permission(
            MANAGE_CAMPAIGNS,
            sdk._l("Create, pay for and manage advertising campaigns"),
            (*ADMINS, "advertiser"),
        ),
        sdk.Permission(
            SEE_REPORTS,
            sdk._l("See the campaigns' and placements' reports"),
            (*ADMINS, "advertiser", "editor"),
        ),
        sdk.Permission(
            MANAGE_PLACEMENTS,
            sdk._l("Choose the placements that join the ad network"),
            (*ADMINS, "editor"),
        ),
        sdk.Permission(
            POST_CLASSIFIEDS,
            sdk._l("Post classified ads"),
            (*ADMINS, "editor", "advertiser"),
        ),
    ]
