"""Marketplace: e-press startups sell their products and services (docs/marketplace.md)."""
