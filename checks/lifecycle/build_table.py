"""Build the bundled lifecycle table from a snapshot of endoflife.date.

Run from the repository root::

    python -m checks.lifecycle.build_table /path/to/endoflife/products.json

It reads the snapshot (``products.json`` as written by the snapshot's own ``build_snapshot.py``,
front matter of endoflife.date's ``products/*.md`` at one commit), keeps what sitewalk judges
support by (release cycles with their dates, the vendor's policy link, what each date column
means) and writes ``checks/lifecycle/data/lifecycle.json`` with the provenance (repository,
commit, snapshot date, licence). It copies the upstream ``LICENSE`` that sits beside the snapshot
to ``checks/lifecycle/data/LICENSE``: the MIT terms require the notice to travel with the data.
Nothing here runs at scan time; the package reads only the files this script wrote.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).with_name("data")
TABLE_FILE = "lifecycle.json"
FORMAT_VERSION = 1

PRODUCT_FIELDS = ("label", "category", "tags", "releasePolicyLink", "eolColumn", "eoasColumn",
                  "eoesColumn")
RELEASE_FIELDS = ("cycle", "label", "codename", "releaseDate", "eol", "eoas", "eoes", "lts",
                  "latest", "latestReleaseDate", "link", "notes")


def slim_product(product: dict[str, Any]) -> dict[str, Any]:
    """The fields of one product (and of its releases) that the lifecycle checks use."""
    slim = {key: product[key] for key in PRODUCT_FIELDS if key in product}
    slim["releases"] = [{key: release[key] for key in RELEASE_FIELDS if key in release}
                        for release in product["releases"]]
    return slim


def build_table(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The bundled table: provenance plus the slimmed products, keyed as upstream keys them."""
    commit = snapshot["commit"]
    taken = snapshot["taken"]
    return {
        "formatVersion": FORMAT_VERSION,
        "provenance": {
            "source": "endoflife.date snapshot",
            "repository": snapshot["repository"],
            "commit": commit,
            "taken": taken,
            "method": snapshot.get("source", ""),
            "licence": "MIT (Copyright 2020 endoflife.date contributors); see LICENSE beside "
                       "this file",
            "built_by": "checks/lifecycle/build_table.py",
        },
        "products": {key: slim_product(product)
                     for key, product in sorted(snapshot["products"].items())},
    }


def main(argv: list[str] | None = None) -> int:
    """Write the bundled table and licence; exit 2 on a missing or malformed snapshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path, help="endoflife.date products.json snapshot")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder")
    args = parser.parse_args(argv)
    try:
        snapshot = json.loads(args.snapshot.read_text(encoding="utf-8"))
        table = build_table(snapshot)
    except (OSError, ValueError, KeyError) as error:
        print(f"build_table: cannot read {args.snapshot}: {error}", file=sys.stderr)
        return 2
    licence = args.snapshot.with_name("LICENSE")
    if not licence.is_file():
        print(f"build_table: no LICENSE beside {args.snapshot}; the data cannot ship without it",
              file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / TABLE_FILE).write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    shutil.copyfile(licence, args.out / "LICENSE")
    releases = sum(len(p["releases"]) for p in table["products"].values())
    print(f"{args.out / TABLE_FILE}: {len(table['products'])} products, {releases} releases, "
          f"snapshot {table['provenance']['taken']} (commit {table['provenance']['commit'][:12]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
