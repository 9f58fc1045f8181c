"""The governance API, one module per part (members and dues, meetings, votes, ...)."""
