"""Smart Médias ENT: the core of the pluggable workspace platform."""

from ent_core.version import __version__


def create_app(config=None, **kwargs):  # type: ignore[no-untyped-def]
    """Build the platform (``gunicorn 'ent_core:create_app()'``); see ``ent_core.app``."""
    from ent_core.app import create_app as _create_app

    return _create_app(config, **kwargs)


__all__ = ["__version__", "create_app"]
