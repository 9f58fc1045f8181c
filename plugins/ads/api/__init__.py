"""The ads module's JSON API (``/api/v1/workspaces/<slug>/ads/...``), one module per resource."""
