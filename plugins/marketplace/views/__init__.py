"""Views of the marketplace, one module per part."""
