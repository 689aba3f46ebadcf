"""`make screenshot`: docs/report.png, the top of the bundled plan's June 2024 report.

Run as `python -m tests.browser.screenshot OUT.png`; uses Debian's Chromium like the tests.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, MONTH, build_report, load

SIZE = (1100, 1450)  # CSS pixels; keeps the PNG well under 200 KB
LIMIT = 200_000


def main(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        report = build_report("oxfordshire", Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        loaded = load(browser, report.html, SIZE)
        assert loaded.requests == [], loaded.requests
        out.parent.mkdir(parents=True, exist_ok=True)
        png = loaded.page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out} ({len(png):,} bytes): the bundled plan's report, {MONTH}")
    if len(png) > LIMIT:
        sys.exit(f"{out} is larger than {LIMIT:,} bytes; make SIZE smaller")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/report.png"))
