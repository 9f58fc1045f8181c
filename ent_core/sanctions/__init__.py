"""Sanctions for charter breaches: reports, the admins' queue, warnings and suspensions."""
