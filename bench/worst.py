"""Worst-case plans for the benchmark: where the cost of errors, not of the plan, dominates.

    python bench/worst.py unknown-keys DIR [--keys 20000]
    python bench/worst.py broken-files DIR [--files 20] [--kb 900]

- `unknown-keys`: the minimal plan plus one objective with N unknown keys, each a finding
  that names its own line (issue 13: locating each line walked the keys again, so 20,000 keys
  took minutes).
- `broken-files`: the minimal plan plus N objectives of about K KB each whose ratings all
  share one date: thousands of `ratings-order` errors per file, each located (issue 13: 20
  files of 900 KB used 1.5 GB while their errors were placed).

Both are valid YAML, so `floor.py` parses them like any plan: sendplan's time beyond the
floor is what reporting the errors costs.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

MINIMAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "plans" / "minimal"
HEAD = (
    "id: A1a:{n}\ntheme: A1a\ntitle: Worst case {n}\nowner: Head of SEND\ndue: 2024-04\n"
    "evidence: [E1]\n"
)


def _fresh(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(MINIMAL, root)


def unknown_keys(root: Path, keys: int = 20_000) -> None:
    """One objective with `keys` unknown keys (each `unknown-key`, on its own line)."""
    _fresh(root)
    lines = [HEAD.format(n=2)]
    lines += [f"extra_key_{i:06d}: value {i}\n" for i in range(keys)]
    (root / "plan/A1/A1a-2.yaml").write_text("".join(lines), encoding="utf-8")


def broken_files(root: Path, files: int = 20, kilobytes: int = 900) -> None:
    """`files` objectives of about `kilobytes` KB, every rating but the first out of order."""
    _fresh(root)
    for n in range(2, files + 2):
        parts = [HEAD.format(n=n), "ratings:\n"]
        size, count = len(parts[0]), 0
        while size < kilobytes * 1000:
            entry = (
                "  - date: 2024-01-31\n    brag: amber\n"
                f"    note: Rating {count}, dated the same day as the one before it.\n"
            )
            parts.append(entry)
            size += len(entry)
            count += 1
        (root / f"plan/A1/A1a-{n}.yaml").write_text("".join(parts), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("unknown-keys", "broken-files"))
    parser.add_argument("dir", type=Path)
    parser.add_argument("--keys", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--kb", type=int, default=900)
    args = parser.parse_args()
    if args.kind == "unknown-keys":
        unknown_keys(args.dir, args.keys)
    else:
        broken_files(args.dir, args.files, args.kb)


if __name__ == "__main__":
    main()
