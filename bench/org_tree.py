"""Subtree queries on a 10⁴-node organization tree stay cheap (issue: "Subtree queries must stay
cheap at 10⁴ nodes").

    python3 -m uv run --frozen python bench/org_tree.py [--database sqlite|postgres://…]
"""

from __future__ import annotations

import argparse
import json
import random

from _setup import configure, timed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="sqlite")
    parser.add_argument("--agencies", type=int, default=4800)
    args = parser.parse_args()
    configure(args.database)

    from generate import build_org_tree

    from zhifa.organizations.models import Organization

    rng = random.Random(1)
    tree = build_org_tree(args.agencies, rng)
    total = Organization.objects.count()
    govs = tree["governments"]

    def subtree(i):
        gov = govs[rng.randrange(len(govs))]
        list(Organization.objects.filter(path__startswith=gov.path).values_list("pk", flat=True))

    def ancestors(i):
        agency = tree["agencies"][rng.randrange(len(tree["agencies"]))]
        agency.nearest("government")

    print(
        json.dumps(
            {
                "database": args.database.split("@")[-1],
                "nodes": total,
                "subtree_ms": timed(subtree, 300),
                "nearest_government_ms": timed(ancestors, 300),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
