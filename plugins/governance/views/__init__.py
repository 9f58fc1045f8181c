"""Views of the governance plugin, one module per part (members, meetings, votes, ...)."""
