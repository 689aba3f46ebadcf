"""`make screenshot`: docs/report.png, the top of the bundled plan's June 2024 report, and
docs/site-objective.png, an objective's page of its archive site.

Run as `python -m tests.browser.screenshot OUT.png [--objective]`; uses Debian's Chromium like
the tests.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import (
    CHROMIUM,
    CHROMIUM_ARGS,
    MONTH,
    build_report,
    build_site,
    load,
    site_pages,
)

SIZE = (1100, 1450)  # CSS pixels; keeps the PNG well under 200 KB
LIMIT = 200_000


def main(out: Path, objective: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        if objective:
            site = build_site("oxfordshire", Path(folder))
            (page,) = [p for p in site_pages("oxfordshire", site) if p.kind == "objective"]
            html, what = page.path, f"objective page {page.path.stem} of the archive site"
        else:
            html, what = build_report("oxfordshire", Path(folder)).html, f"report, {MONTH}"
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        loaded = load(browser, html, SIZE)
        assert loaded.requests == [], loaded.requests
        out.parent.mkdir(parents=True, exist_ok=True)
        png = loaded.page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out} ({len(png):,} bytes): the bundled plan's {what}")
    if len(png) > LIMIT:
        sys.exit(f"{out} is larger than {LIMIT:,} bytes; make SIZE smaller")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--objective"]
    main(Path(args[0] if args else "docs/report.png"), objective="--objective" in sys.argv)
