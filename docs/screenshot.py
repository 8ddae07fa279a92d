"""Take the README's screenshot of the workbench (docs/workbench.png) with headless chromium.

    .venv/bin/python docs/screenshot.py

Imports the committed samples into a temporary warehouse, serves it on 127.0.0.1, opens the
report of a PDF sample with a finding, clicks the finding (its page image comes up with the
clause's row highlighted) and saves the window, reduced to 256 colours to stay small. Needs
the test extra (selenium) and Debian's chromium and chromium-driver.
"""
from __future__ import annotations

import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from PIL import Image  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from certreport.workbench.app import create_app  # noqa: E402
from tests.workbench_fixtures import PDF_WITH_FINDING, make_warehouse  # noqa: E402

OUT = ROOT / "docs" / "workbench.png"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1360,860", "--hide-scrollbars")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _, wh = make_warehouse(Path(tmp))
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(create_app(wh), log_level="warning"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "chromium"
        for flag in FLAGS:
            options.add_argument(flag)
        d = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        try:
            base = f"http://127.0.0.1:{sock.getsockname()[1]}"
            d.get(f"{base}/reports")
            row = next(r for r in d.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
                       if PDF_WITH_FINDING in r.text)
            d.get(row.find_element(By.CSS_SELECTOR, "a.report-link").get_attribute("href"))
            finding = d.find_element(By.CSS_SELECTOR, 'li.finding[data-check="item_score"]')
            finding.find_element(By.CSS_SELECTOR, "a.show").click()
            img = WebDriverWait(d, 30).until(EC.visibility_of_element_located((By.ID, "page-image")))
            WebDriverWait(d, 30).until(lambda _: d.execute_script(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", img))
            time.sleep(0.5)
            png = Path(tmp) / "shot.png"
            d.save_screenshot(str(png))
        finally:
            d.quit()
            server.should_exit = True
            thread.join(10)
        Image.open(png).convert("RGB").quantize(256).save(OUT, optimize=True)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
