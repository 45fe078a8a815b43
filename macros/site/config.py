"""Options of the `guide` plugin (mkdocs.yml: plugins: - guide)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class GuideConfig(Config):
    # A page for every resource (/resources/<id>/); off only for make bench's baseline.
    resource_pages = c.Type(bool, default=True)
    # Apply the changes to Material's bundle listed in macros/site/material.py.
    material_patches = c.Type(bool, default=True)
