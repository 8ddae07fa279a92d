"""The workbench in a real browser: headless Chromium through selenium and Debian's
chromium-driver (skipped when either is missing). Opens the list, a report, clicks a
finding, sees the page image with the value's box highlighted, records a review, and finds
it still applied after ``import --force``. The server binds 127.0.0.1 and stops itself."""
from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

pytest.importorskip("fastapi")
webdriver = pytest.importorskip("selenium.webdriver")
uvicorn = pytest.importorskip("uvicorn")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

from certreport.pipeline import import_paths  # noqa: E402
from certreport.workbench.app import create_app  # noqa: E402
from tests.workbench_fixtures import PDF_WITH_FINDING, make_warehouse  # noqa: E402

CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(not (CHROMEDRIVER and CHROMIUM),
                                reason="chromium and chromium-driver not installed")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000")


@contextmanager
def serving(warehouse: Path) -> Iterator[str]:
    """The workbench on 127.0.0.1 (a free port) in a thread, stopped on leaving."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(warehouse), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def browser() -> Iterator["webdriver.Chrome"]:
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _place_of(wh: Path, code: str) -> dict:
    from certreport.store import Warehouse
    (row,) = [c for c in Warehouse(wh).read("clauses").to_pylist() if c["code"] == code
              and c["report_id"] in _ids_of(wh, PDF_WITH_FINDING)]
    return row


def _ids_of(wh: Path, name: str) -> set[str]:
    from certreport.store import Warehouse
    return {r["report_id"] for r in Warehouse(wh).read("reports").to_pylist()
            if r["source_path"].endswith(name)}


def _page_height(pdf: Path, page: int) -> float:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(str(pdf))
    try:
        return doc[page - 1].get_size()[1]
    finally:
        doc.close()


def test_review_a_finding_in_the_browser(tmp_path: Path) -> None:
    src, wh = make_warehouse(tmp_path)
    with serving(wh) as base, browser() as d:
        wait = WebDriverWait(d, 30)
        d.get(f"{base}/reports")
        rows = d.find_elements(By.CSS_SELECTOR, "#reports tbody tr")
        assert len(rows) == 5 and "审查报告复核台" in d.find_element(By.TAG_NAME, "header").text
        row = next(r for r in rows if PDF_WITH_FINDING in r.text)
        row.find_element(By.CSS_SELECTOR, "a.report-link").click()

        finding = wait.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, 'li.finding[data-check="item_score"][data-target="C11"]')))
        assert "分项得分" in finding.text and "open" in finding.get_attribute("class")
        finding.find_element(By.CSS_SELECTOR, "a.show").click()

        img = wait.until(EC.visibility_of_element_located((By.ID, "page-image")))
        wait.until(lambda _: d.execute_script(
            "return arguments[0].complete && arguments[0].naturalWidth > 0", img))
        hl = d.find_element(By.ID, "highlight")
        box, page = hl.rect, img.rect
        assert box["width"] > 20 and box["height"] > 5
        assert page["x"] <= box["x"] and box["x"] + box["width"] <= page["x"] + page["width"] + 1
        assert page["y"] <= box["y"] and box["y"] + box["height"] <= page["y"] + page["height"] + 1
        # the box stands where the warehouse places the clause's row on that page
        place = _place_of(wh, "C11")
        height_pt = _page_height(src / PDF_WITH_FINDING, place["page"])
        assert abs((box["y"] - page["y"]) / page["height"] - (place["box_top"] - 2) / height_pt
                   ) < 0.01
        assert box["height"] < page["height"] / 5

        form = finding.find_element(By.CSS_SELECTOR, "form.review-form")
        Select(form.find_element(By.NAME, "action")).select_by_value("dismiss")
        form.find_element(By.NAME, "reason").send_keys("纸质版得分正确")
        form.find_element(By.NAME, "reviewer").send_keys("王工")
        form.find_element(By.CSS_SELECTOR, "button.save").click()
        saved = wait.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, 'li.finding[data-target="C11"] .saved')))
        assert "已驳回" in saved.text and saved.get_attribute("data-action") == "dismiss"

        import_paths([src], wh, force=True, workers=0)
        d.refresh()
        finding = wait.until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, 'li.finding[data-check="item_score"][data-target="C11"]')))
        assert "dismiss" in finding.get_attribute("class").split()
        assert "已驳回" in finding.text and "纸质版得分正确" in finding.text
