"""The workbench through FastAPI's test client: the JSON API, the HTML pages, page images
with their boxes, reviews (validated, applied, kept over re-imports) and the safety rules
(no path traversal, tokens, cross-origin posts, binding beyond 127.0.0.1)."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from certreport.pipeline import import_paths  # noqa: E402
from certreport.workbench.app import BindRefused, check_bind, create_app  # noqa: E402
from tests.workbench_fixtures import DOCX, PDF_WITH_FINDING, make_warehouse  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return make_warehouse(tmp_path_factory.mktemp("workbench"))


@pytest.fixture()
def wh(built: tuple[Path, Path], tmp_path: Path) -> Path:
    """A fresh copy of the warehouse per test (reviews written by one test stay there)."""
    import shutil
    dest = tmp_path / "wh"
    shutil.copytree(built[1], dest)
    return dest


@pytest.fixture()
def client(wh: Path) -> TestClient:
    return TestClient(create_app(wh))


def _report(client: TestClient, name: str) -> dict:
    (r,) = [r for r in client.get("/api/reports").json() if r["source_path"].endswith(name)]
    return r


def test_reports_list_includes_failed_files_with_their_reason(client):
    rows = client.get("/api/reports").json()
    assert len(rows) == 5
    (failed,) = [r for r in rows if r["status"] == "failed"]
    assert "broken.pdf" in failed["error"]
    page = client.get("/reports")
    assert page.status_code == 200 and "broken.pdf" in page.text and "读取失败" in page.text


def test_reports_filters(client):
    everything = client.get("/api/reports").json()
    pdf = _report(client, PDF_WITH_FINDING)
    by_body = client.get("/api/reports", params={"body": pdf["cert_body"]}).json()
    assert pdf["report_id"] in {r["report_id"] for r in by_body}
    assert all(r["cert_body"] == pdf["cert_body"] for r in by_body)
    assert [r["status"] for r in client.get("/api/reports", params={"status": "failed"}).json()
            ] == ["failed"]
    with_findings = client.get("/api/reports", params={"findings": "open"}).json()
    assert with_findings and all(r["open_findings"] for r in with_findings)
    without = client.get("/api/reports", params={"findings": "none"}).json()
    assert len(with_findings) + len(without) == len(everything)
    year = str(pdf["year"])
    assert all(str(r["year"]) == year
               for r in client.get("/api/reports", params={"year": year}).json())
    level = client.get("/api/reports", params={"level": pdf["level"]}).json()
    assert pdf["report_id"] in {r["report_id"] for r in level}
    scheme = client.get("/api/reports", params={"scheme": "GB/T 27922-2011"}).json()
    assert all(r["spec"] == "GB/T 27922-2011" for r in scheme)
    # the HTML list filters the same way (htmx asks for the rows only)
    part = client.get("/reports", params={"status": "failed"}, headers={"HX-Request": "true"})
    assert "<html" not in part.text and part.text.count('class="report ') == 1


def test_report_detail_has_fields_clauses_findings_with_places(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    d = client.get(f"/api/reports/{rid}").json()
    assert {"report", "fields", "sections", "clauses", "findings", "reviews"} <= set(d)
    (f,) = [f for f in d["findings"] if f["check_name"] == "item_score"]
    assert f["target"] == "C11" and f["review"] is None
    page, box = f["place"]["page"], f["place"]["box"]
    assert page >= 1 and len(box) == 4 and box[0] < box[2] and box[1] < box[3]
    clause = next(c for c in d["clauses"] if c["target"] == "C11")
    assert clause["place"]["page"] == page and clause["values"]["stated_score"]["extracted"] == \
        float(f["stated"])
    org = next(v for v in d["fields"] if v["column"] == "org_name")
    assert org["extracted"] and org["place"]["page"] == 1 and org["place"]["box"]
    html = client.get(f"/reports/{rid}").text
    assert "分项得分" in html and "所写得分" in html and "C11" in html  # Chinese first


def test_page_image_and_highlight(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    f = next(f for f in client.get(f"/api/reports/{rid}").json()["findings"]
             if f["check_name"] == "item_score")
    page = f["place"]["page"]
    png = client.get(f"/reports/{rid}/pages/{page}.png")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    view = client.get(f"/reports/{rid}/view", params={
        "page_no": page, "box": ",".join(map(str, f["place"]["box"]))})
    assert view.status_code == 200
    assert f'src="/reports/{rid}/pages/{page}.png"' in view.text and 'id="highlight"' in view.text
    # cached under the warehouse, served again from there
    assert client.get(f"/reports/{rid}/pages/{page}.png").content == png.content


def test_word_report_without_a_page_shows_its_table_in_context(client, monkeypatch):
    from certreport.workbench import pages
    monkeypatch.setattr(pages, "soffice", lambda: None)
    rid = _report(client, DOCX)["report_id"]
    clause = client.get(f"/api/reports/{rid}").json()["clauses"][3]
    assert clause["place"]["page"] is None and clause["place"]["line"]
    view = client.get(f"/reports/{rid}/view", params={"line": clause["place"]["line"],
                                                       "text": clause["text"][:20]})
    assert view.status_code == 200 and 'id="context"' in view.text
    assert 'class="hit"' in view.text and clause["text"][:10] in view.text
    assert client.get(f"/reports/{rid}/pages/1.png").status_code == 404


@pytest.mark.parametrize("path", [
    "/reports/..%2F..%2Fetc%2Fpasswd/pages/1.png",
    "/reports/../../etc/passwd",
    "/reports/0000000000000000/pages/1.png",  # well-formed, not in the warehouse
    "/reports/{rid}/pages/0.png",
    "/reports/{rid}/pages/999.png",
    "/reports/{rid}/pages/..%2F..%2Freports.png",
    "/static/..%2F..%2Fapp.py",
    "/static/../app.py",
])
def test_no_path_traversal(client, path):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    res = client.get(path.format(rid=rid))
    assert res.status_code in (404, 422), (path, res.status_code)
    assert b"root:" not in res.content and b"def create_app" not in res.content


def test_review_validation(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    bad = [
        {"report_id": rid, "target": "C11", "action": "burn"},
        {"report_id": "../../etc", "target": "C11", "action": "confirm", "check_name": "x"},
        {"report_id": rid, "target": "C11", "action": "dismiss", "check_name": "item_score"},
        {"report_id": rid, "target": "C11", "action": "correct", "column": "stated_score"},
        {"report_id": rid, "target": "C11", "action": "correct", "column": "source_path",
         "value": "/etc/passwd"},
        {"report_id": rid, "target": "C11", "action": "confirm", "check_name": "item_score",
         "extra": 1},
        {"report_id": "0" * 16, "target": "C11", "action": "confirm", "check_name": "x"},
        {"report_id": rid, "target": "C11", "action": "confirm", "check_name": "item_score",
         "reason": "x" * 5000},
    ]
    for body in bad:
        assert client.post("/api/reviews", json=body).status_code == 422, body
    assert client.post("/api/reviews", content=b"not json",
                       headers={"content-type": "application/json"}).status_code == 422
    assert client.get("/api/reviews").json() == []


def test_reviews_apply_and_survive_import_force(client, wh, built):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    res = client.post("/api/reviews", json={
        "report_id": rid, "check_name": "item_score", "target": "C11", "action": "dismiss",
        "reason": "纸质版得分率为 80%", "reviewer": "王工"})
    assert res.status_code == 201 and res.json()["action"] == "dismiss"
    res = client.post("/api/reviews", json={
        "report_id": rid, "target": "C11", "action": "correct", "column": "score_pct",
        "value": "80", "reviewer": "王工"})
    assert res.status_code == 201

    def state() -> tuple:
        d = client.get(f"/api/reports/{rid}").json()
        f = next(f for f in d["findings"] if f["check_name"] == "item_score")
        c = next(c for c in d["clauses"] if c["target"] == "C11")
        return f["review"], f["review_reason"], c["values"]["score_pct"]["effective"], \
            c["values"]["score_pct"]["extracted"]

    before = state()
    assert before[:3] == ("dismiss", "纸质版得分率为 80%", "80") and before[3] != "80"
    open_ = client.get("/api/findings", params={"review": "open"}).json()
    assert ("item_score", "C11") not in {(f["check_name"], f["target"]) for f in open_
                                         if f["report_id"] == rid}
    assert len(client.get("/api/reviews").json()) == 2
    import_paths([built[0]], wh, force=True, workers=0)
    assert state() == before
    import_paths([built[0]], wh, workers=0)  # a plain re-import too
    assert state() == before and len(client.get("/api/reviews").json()) == 2


def test_html_review_form_post(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    res = client.post("/reviews", data={"report_id": rid, "check_name": "item_score",
                                        "target": "C11", "action": "confirm", "reviewer": "李"})
    assert res.status_code == 200 and "已确认" in res.text
    res = client.post("/reviews", data={"report_id": rid, "check_name": "item_score",
                                        "target": "C11", "action": "dismiss"})
    assert "dismiss needs a reason" in res.text
    assert [r["action"] for r in client.get("/api/reviews").json()] == ["confirm"]


def test_cross_origin_post_refused(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    res = client.post("/api/reviews", headers={"Origin": "http://evil.example"}, json={
        "report_id": rid, "check_name": "item_score", "target": "C11", "action": "confirm"})
    assert res.status_code == 403 and client.get("/api/reviews").json() == []


def test_token_required_when_set(wh):
    token = "s3cret-token-0123456789"
    c = TestClient(create_app(wh, token=token))
    assert c.get("/api/reports").status_code == 401
    assert c.get("/reports").status_code == 401
    assert c.get("/api/reports", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.get("/api/reports", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert c.get("/reports", params={"token": token}).status_code == 200
    assert c.get("/api/reports").status_code == 200  # the cookie set by ?token=


def test_non_local_bind_needs_flag_and_token():
    check_bind("127.0.0.1", False, None)
    check_bind("localhost", False, None)
    check_bind("::1", False, None)
    with pytest.raises(BindRefused, match="--public"):
        check_bind("0.0.0.0", False, "s3cret-token-0123456789")
    with pytest.raises(BindRefused, match="token"):
        check_bind("0.0.0.0", True, None)
    with pytest.raises(BindRefused, match="token"):
        check_bind("192.168.1.5", True, "short")
    check_bind("0.0.0.0", True, "s3cret-token-0123456789")


def test_serve_command_refuses_a_public_address_without_token(wh):
    from typer.testing import CliRunner
    from certreport.cli import app
    res = CliRunner().invoke(app, ["serve", str(wh), "--host", "0.0.0.0"])
    assert res.exit_code == 2 and "--public" in res.output
    res = CliRunner().invoke(app, ["serve", str(wh), "--host", "0.0.0.0", "--public"],
                             env={"CERTREPORT_TOKEN": ""})
    assert res.exit_code == 2 and "token" in res.output


def test_findings_grouped(client):
    for group in ("check", "body", "report"):
        res = client.get("/findings", params={"group": group})
        assert res.status_code == 200 and 'class="group"' in res.text
    assert "分项得分" in client.get("/findings").text
    assert "item score" in client.get("/findings", params={"lang": "en"}).text
    assert client.get("/findings", params={"group": "../x"}).status_code == 404
    found = client.get("/api/findings").json()
    assert found and all(f["check_name"] for f in found)  # identifiers stay English in JSON
    assert {f["check_name"] for f in client.get(
        "/api/findings", params={"check_name": "item_score"}).json()} == {"item_score"}


def test_every_asset_is_served_from_the_package(client):
    html = client.get("/reports").text
    assert 'src="/static/htmx.min.js"' in html and "http://" not in html \
        and "https://" not in html
    js = client.get("/static/htmx.min.js")
    assert js.status_code == 200 and b"htmx" in js.content[:2000]
    assert client.get("/static/app.css").status_code == 200
    assert "default-src 'self'" in client.get("/reports").headers["content-security-policy"]


@pytest.mark.skipif(__import__("shutil").which("soffice") is None,
                    reason="LibreOffice (soffice) not installed")
def test_word_report_through_libreoffice_pdf(client, wh):
    """With LibreOffice a Word report's value is shown on a page of the PDF it makes of the
    report (converted once, cached under the warehouse), found by its text and boxed."""
    rid = _report(client, DOCX)["report_id"]
    clause = next(c for c in client.get(f"/api/reports/{rid}").json()["clauses"]
                  if c["code"] == "A3")
    view = client.get(f"/reports/{rid}/view", params={"line": clause["place"]["line"],
                                                       "text": clause["text"][:30]})
    assert view.status_code == 200 and 'id="highlight"' in view.text, view.text[:300]
    assert (wh / "_cache" / "pages" / rid / "source.pdf").is_file()
    page = int(view.text.split('data-page="')[1].split('"')[0])
    png = client.get(f"/reports/{rid}/pages/{page}.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"


def test_correct_form_offers_the_columns_of_its_row(client):
    rid = _report(client, PDF_WITH_FINDING)["report_id"]
    form = client.get(f"/reports/{rid}/correct", params={"target": "C11",
                                                          "column": "stated_score"}).text
    assert 'value="score_pct"' in form and 'value="stated_score" selected' in form
    assert 'value="org_name"' not in form
    form = client.get(f"/reports/{rid}/correct", params={"target": "report",
                                                          "column": "org_name"}).text
    assert 'value="org_name" selected' in form and 'value="score_pct"' not in form
    res = client.post("/reviews", data={"report_id": rid, "target": "C11", "action": "correct",
                                        "column": "score_pct", "value": "100"})
    assert "已更正" in res.text
    clause = next(c for c in client.get(f"/api/reports/{rid}").json()["clauses"]
                  if c["target"] == "C11")
    assert clause["values"]["score_pct"]["effective"] == "100"
    assert clause["values"]["score_pct"]["extracted"] == 50.0
