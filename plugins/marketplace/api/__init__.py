"""The marketplace API: the sellers' (``/api/v1/workspaces/<slug>/marketplace/...``) and the
public read-only listings (``/api/v1/marketplace/...``)."""
