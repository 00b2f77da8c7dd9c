"""Screenshot the built site in headless Chromium: home, a paper, a tag page; light and dark; phone.

Usage: python scripts/screenshots.py [OUT_DIR]  (default: build/screenshots). Needs site/ built
and /usr/bin/chromium. This is for looking at the site as a reader would, not a test.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "home": "",
    "paper": "papers/scalebio-scalable-bilevel-optimization-for-llm-data/",
    "tag": "tags/data-selection/",
    "tags": "tags/",
    "timeline": "timeline/2024/",
    "authors": "authors/w/",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        for scheme in ("light", "dark"):
            for device, viewport in VIEWPORTS.items():
                page = browser.new_page(viewport=viewport, color_scheme=scheme)
                for name, url in PAGES.items():
                    page.goto(base + url)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=out_dir / f"{name}-{scheme}-{device}.png", full_page=False)
                page.close()
        browser.close()
    server.shutdown()
    print(f"Screenshots in {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "screenshots")
