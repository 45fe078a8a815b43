"""The Deep Learning Self-Study Guide's own code, one folder per stage:

- catalogue/: data/ read, checked and turned into dataclasses;
- site/: the catalogue turned into pages, search and open data (the `guide` MkDocs plugin);
- tools/: the command-line programs behind `make` (build, serve, check, bench, ...).

Installed in the virtual environment from pyproject.toml (editable), so that MkDocs finds
the plugin by its entry point and nothing needs to patch sys.path.
"""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
