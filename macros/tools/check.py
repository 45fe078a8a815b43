"""`make check`: validate every data file and print every problem at once.

Exit status 0 when the catalogue is valid, 1 otherwise. Much faster than a build:
it reads and cross-checks the data without rendering a page.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from macros.catalogue.load import PROJECT_DIR, load_catalog
from macros.catalogue.validate import CatalogError


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else PROJECT_DIR
    started = time.perf_counter()
    try:
        catalog = load_catalog(root)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"OK: {len(catalog.resources)} resources, {len(catalog.topics)} topics, "
        f"{len(catalog.paths)} paths, {len(catalog.sources)} sources checked in {seconds:.2f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
