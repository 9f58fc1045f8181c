"""The sector portal: recent items that workspaces syndicate, gathered by a platform hook.

Plugins feed it through ``ent_portal_items(sector, limit, before)``; the core merges their
answers newest first, drops the items a platform administrator hid, and serves the pages and
the Atom feed of ``ent_core.portal.views``.
"""

from __future__ import annotations

from ent_core.portal.items import PortalItem, PortalPage, portal_page, public_workspace_ids

__all__ = ["PortalItem", "PortalPage", "portal_page", "public_workspace_ids"]
