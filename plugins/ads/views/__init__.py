"""Members' pages of the ads module, one module per part."""
