"""The bundled plugins, installed as ``ent_plugins.<name>`` from ``plugins/<name>/``.

Nothing in ``ent_core`` imports them: the platform finds them through the ``ent.plugins``
entry-point group (pyproject.toml), exactly as it finds a third-party plugin installed with pip.
"""
