"""Members' pages of the training plugin, one module per area (URL rules in blueprint.py).

A view whose URL names a row takes it from ``sdk.require_object_permission``: loaded in the
current workspace (404 otherwise), checked against the permission of permissions.py (403).
"""
