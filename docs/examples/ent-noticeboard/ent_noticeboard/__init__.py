"""ent-noticeboard: pinned announcements for a workspace's members (example plugin)."""
