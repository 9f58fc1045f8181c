"""Governance: an association's members and dues, bodies, assemblies, votes, minutes and plans."""
