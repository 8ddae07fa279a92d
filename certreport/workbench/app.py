"""The web app of ``certreport serve``: FastAPI routes over :mod:`.data` and :mod:`.pages`,
Jinja2 templates and a vendored copy of HTMX, every asset served from the package.

Safety: a page image is looked up by report id in the warehouse's own ``reports`` table (no
path from the request is ever opened); an access token, when set, is required on every
request (``Authorization: Bearer``, or ``?token=`` once, then a cookie); a POST from another
origin is refused; review bodies are validated (unknown fields, actions and columns refused).
"""
from __future__ import annotations

import hmac
import ipaddress
import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, Optional, Union
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import (FileResponse, HTMLResponse, JSONResponse, RedirectResponse,
                               Response)
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, ConfigDict, Field

from certreport import __version__
from certreport import reviews as rv
from certreport.labels import Labels, languages
from certreport.store import Warehouse
from certreport.workbench import data
from certreport.workbench.pages import NotServed, PageSource, context

HERE = Path(__file__).parent
TOKEN_COOKIE = "certreport_token"
LANG_COOKIE = "certreport_lang"
LOOPBACK_NAMES = ("localhost",)


class BindRefused(ValueError):
    """A non-local address asked for without the flag and token it needs."""


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, public: bool, token: str | None) -> None:
    """Refuse to listen beyond this machine unless asked explicitly and with a token."""
    if is_loopback(host):
        return
    if not public:
        raise BindRefused(f"{host}: listening on an address other than 127.0.0.1 needs "
                          "--public (and an access token: --token or CERTREPORT_TOKEN)")
    if not token or len(token) < 16:
        raise BindRefused(f"{host}: a non-local address needs an access token of at least 16 "
                          "characters (--token or CERTREPORT_TOKEN)")


class ReviewIn(BaseModel):
    """A review as the JSON API takes it (unknown fields refused)."""

    model_config = ConfigDict(extra="forbid")
    report_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    check_name: Optional[str] = Field(None, max_length=100)
    target: str = Field(min_length=1, max_length=200)
    action: Literal["confirm", "dismiss", "correct"]
    column: Optional[str] = Field(None, max_length=100)
    value: Optional[Union[str, float, int]] = None
    reason: Optional[str] = Field(None, max_length=rv.MAX_TEXT)
    reviewer: Optional[str] = Field(None, max_length=200)


def create_app(warehouse: str | Path, lang: str | None = None,
               token: str | None = None) -> FastAPI:
    """The workbench over one warehouse (``lang``: zh, the default, or en)."""
    wh = Warehouse(warehouse)
    pages = PageSource(wh)
    default_lang = Labels(lang).lang
    app = FastAPI(title="certreport workbench", version=__version__, docs_url=None,
                  redoc_url=None, openapi_url=None)
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html"]))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Any:
        given_in_query = request.query_params.get("token")
        if token:
            given = (request.headers.get("authorization", "").removeprefix("Bearer ").strip()
                     or request.cookies.get(TOKEN_COOKIE) or given_in_query or "")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return JSONResponse({"detail": "access token required"}, status_code=401)
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("origin")
            if origin and urlsplit(origin).netloc != request.headers.get("host"):
                return JSONResponse({"detail": "cross-origin request refused"}, status_code=403)
        response = await call_next(request)
        if token and given_in_query:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        if request.query_params.get("lang") in languages():
            response.set_cookie(LANG_COOKIE, request.query_params["lang"], samesite="strict")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    def labels(request: Request) -> Labels:
        want = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return Labels(want if want in languages() else default_lang)

    def page(request: Request, template: str, **context_: Any) -> HTMLResponse:
        L = labels(request)
        html = env.get_template(template).render(
            L=L, lang=L.lang, other_lang="en" if L.lang == "zh" else "zh",
            version=__version__, request=request, warehouse=wh.root.name,
            fmt=_fmt, query=lambda **kw: urlencode({k: v for k, v in kw.items() if v}),
            **context_)
        return HTMLResponse(html)

    def detail_or_404(report_id: str) -> dict[str, Any]:
        d = data.report_detail(wh, report_id) if pages_id_ok(report_id) else None
        if d is None:
            raise HTTPException(404, f"no report {report_id} in this warehouse")
        return d

    # -- HTML
    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/reports")

    @app.get("/reports", response_class=HTMLResponse)
    def reports_page(request: Request) -> HTMLResponse:
        filters = {k: request.query_params.get(k) for k in data.FILTERS}
        rows = data.report_list(wh, filters)
        template = "_report_rows.html" if request.headers.get("hx-request") else "reports.html"
        return page(request, template, reports=rows, filters=filters,
                    choices=data.filter_choices(wh))

    @app.get("/reports/{report_id}", response_class=HTMLResponse)
    def report_page(request: Request, report_id: str) -> HTMLResponse:
        return page(request, "report.html", d=detail_or_404(report_id))

    @app.get("/reports/{report_id}/view", response_class=HTMLResponse)
    def view(request: Request, report_id: str, page_no: Optional[int] = None,
             line: Optional[int] = None, box: Optional[str] = None, text: Optional[str] = None,
             near: Optional[str] = None, label: Optional[str] = None) -> HTMLResponse:
        """The page image with the value's box highlighted (a fragment for #viewer)."""
        try:
            report = pages.report(report_id)
            rect = _parse_box(box)
            pdf = pages.pdf(report_id)
            if pdf is not None and (page_no is None or rect is None) and text:
                hit = pages.find(report_id, text, near)  # a Word report's conversion
                if hit:
                    page_no, rect = hit
            image = pages.page(report_id, page_no) if pdf is not None and page_no else None
        except NotServed:
            raise HTTPException(404, "no such report or page")
        ctx = None if image else context(wh, report, line)
        hl = None
        if image and rect:
            x0, top, x1, bottom = rect
            pad = 2.0
            hl = {"left": max(0.0, (x0 - pad) / image.width_pt * 100),
                  "top": max(0.0, (top - pad) / image.height_pt * 100),
                  "width": (x1 - x0 + 2 * pad) / image.width_pt * 100,
                  "height": (bottom - top + 2 * pad) / image.height_pt * 100}
        return page(request, "_viewer.html", report=report, page_no=page_no, image=image,
                    hl=hl, ctx=ctx, text=text, label=label, line=line)

    @app.get("/reports/{report_id}/pages/{number}.png")
    def page_png(report_id: str, number: int) -> FileResponse:
        try:
            image = pages.page(report_id, number)
        except NotServed:
            raise HTTPException(404, "no such report or page")
        return FileResponse(image.path, media_type="image/png",
                            headers={"Cache-Control": "private, max-age=3600"})

    @app.get("/reports/{report_id}/correct", response_class=HTMLResponse)
    def correct_form(request: Request, report_id: str, target: str, column: str,
                     value: Optional[str] = None, check_name: Optional[str] = None
                     ) -> HTMLResponse:
        detail_or_404(report_id)
        columns = (rv.CORRECTABLE["reports"] if target in rv.REPORT_TARGETS
                   else rv.CORRECTABLE["sections"] if target in ("A", "B", "C")
                   else rv.CORRECTABLE["clauses"])
        return page(request, "_correct.html", report_id=report_id, target=target,
                    column=column, columns=columns, value=value, check_name=check_name)

    @app.get("/findings", response_class=HTMLResponse)
    def findings_page(request: Request, group: str = "check") -> HTMLResponse:
        if group not in ("check", "body", "report"):
            raise HTTPException(404, "group by check, body or report")
        found = data.all_findings(wh)
        key = {"check": "check_name", "body": "cert_body", "report": "report_id"}[group]
        return page(request, "findings.html", groups=data.grouped_findings(found), group=group,
                    members=data.by_group(found, key), found=found)

    @app.post("/reviews", response_class=HTMLResponse)
    async def review_form(request: Request) -> HTMLResponse:
        form = await request.form()
        fields = {k: form.get(k) for k in ("report_id", "check_name", "target", "action",
                                            "column", "value", "reason", "reviewer")}
        L = labels(request)
        try:
            row = rv.add_review(wh, {k: v for k, v in fields.items() if v not in (None, "")})
        except rv.ReviewError as exc:
            return page(request, "_review_saved.html", row=None, error=str(exc), L_=L)
        return page(request, "_review_saved.html", row=row, error=None)

    # -- JSON
    @app.get("/api/reports")
    def api_reports(request: Request) -> Response:
        filters = {k: request.query_params.get(k) for k in data.FILTERS}
        return json_response(data.report_list(wh, filters))

    @app.get("/api/reports/{report_id}")
    def api_report(report_id: str) -> Response:
        d = detail_or_404(report_id)
        return json_response({k: d[k] for k in ("report", "fields", "sections", "clauses",
                                                 "team", "findings", "reviews", "history")})

    @app.get("/api/findings")
    def api_findings(request: Request) -> Response:
        found = data.all_findings(wh)
        for key in ("report_id", "check_name", "severity"):
            want = request.query_params.get(key)
            if want:
                found = [f for f in found if f.get(key) == want]
        state = request.query_params.get("review")
        if state == "open":
            found = [f for f in found if rv.is_open(f)]
        elif state:
            found = [f for f in found if f.get("review") == state]
        return json_response(found)

    @app.get("/api/reviews")
    def api_reviews(report_id: Optional[str] = None) -> Response:
        return json_response(rv.reviews(wh, report_id))

    @app.post("/api/reviews", status_code=201)
    def api_add_review(body: ReviewIn) -> Response:
        try:
            row = rv.add_review(wh, body.model_dump(exclude_none=True))
        except rv.ReviewError as exc:
            raise HTTPException(422, str(exc))
        return json_response(row, status_code=201)

    return app


def _json_default(v: Any) -> Any:
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    raise TypeError(f"{type(v).__name__} is not JSON")


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_clean(x) for x in v]
    return v


def json_response(content: Any, status_code: int = 200) -> Response:
    """JSON of plain rows (dates as ISO text, NaN as null), Chinese kept as it is."""
    body = json.dumps(_clean(content), ensure_ascii=False, default=_json_default)
    return Response(body, status_code=status_code, media_type="application/json")


def pages_id_ok(report_id: str) -> bool:
    from certreport.workbench.pages import REPORT_ID
    return bool(REPORT_ID.fullmatch(report_id or ""))


def _parse_box(box: str | None) -> tuple[float, float, float, float] | None:
    if not box:
        return None
    try:
        vals = tuple(float(v) for v in box.split(","))
    except ValueError:
        return None
    return vals if len(vals) == 4 else None  # type: ignore[return-value]


def _fmt(v: Any) -> str:
    """A value as a cell shows it."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "✓" if v else ""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)
