"""Publishing: the newsroom, the public site of a workspace, its feeds and the sector portal."""
