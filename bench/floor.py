"""The floor: read and parse every plan file with libyaml, and nothing else.

    python bench/floor.py DIR

sendplan.yaml, plan/**/*.yaml, the front matter of evidence/*.md and kpis/*.yaml, each with
`yaml.load(text, Loader=yaml.CSafeLoader)`. No checks, no models, no output but a count:
anything sendplan takes beyond this is its own overhead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def front_matter(text: str) -> str:
    """The YAML between the opening `---` line and the next `---` line."""
    end = text.find("\n---", 4)
    return text[4:end] if text.startswith("---\n") and end >= 0 else ""


def main() -> None:
    root = Path(sys.argv[1])
    paths = [root / "sendplan.yaml", *sorted((root / "plan").glob("**/*.yaml"))]
    paths += sorted((root / "kpis").glob("*.yaml"))
    evidence = sorted((root / "evidence").glob("*.md"))
    parsed = 0
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        parsed += 1
    for path in evidence:
        yaml.load(front_matter(path.read_text(encoding="utf-8")), Loader=yaml.CSafeLoader)
        parsed += 1
    print(f"{parsed} files parsed")


if __name__ == "__main__":
    main()
