"""The ``certreport`` command: each command parses its arguments, calls one library
function and turns known errors into a clean message and exit code. Each command
imports what it needs when it runs (readers, pyarrow, the exporters), so that
``--help`` and a command that touches little start at once."""
from __future__ import annotations

import functools
import gc
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, List, Optional, TypeVar

import typer

from certreport import __version__
from certreport.outpaths import file_problem, folder_problem
from certreport.pipeline import BATCH_SIZE, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from certreport.pipeline import Summary
    from certreport.store import Warehouse

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Turn certification review reports (服务认证审查报告) into "
                       "cross-checked Parquet data.")

F = TypeVar("F", bound=Callable[..., Any])
USAGE = 2  # exit status of a usage error (as click's own)


def _err(msg: str) -> None:
    typer.echo(msg, err=True)


def _usage(msg: str) -> typer.Exit:
    """A usage error: one line on stderr, exit status 2, nothing written."""
    _err(msg)
    return typer.Exit(USAGE)


def clean_errors(command: F) -> F:
    """A command whose operating-system errors (a full disk, a file that vanished, no
    permission) end in one line naming the path, exit status 1, never a traceback."""
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _err(f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None
    return run  # type: ignore[return-value]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_show_version,
                                       is_eager=True, help="Print the version and exit.")
          ) -> None:
    """Turn certification review reports (服务认证审查报告) into cross-checked Parquet data."""


class Executor(str, Enum):
    local = "local"
    dask = "dask"


@app.command("import")
@clean_errors
def import_cmd(
    paths: List[Path] = typer.Argument(..., help="Report files or folders (walked recursively)."),
    out: Path = typer.Option(..., "--out", "-o", help="Warehouse folder to write Parquet tables to."),
    force: bool = typer.Option(False, "--force", help="Re-import files already in the warehouse."),
    retry: bool = typer.Option(True, "--retry/--no-retry",
                               help="Read again files that failed on an earlier run (the "
                                    "default); --no-retry leaves them failed, still counted."),
    wait: bool = typer.Option(False, "--wait", help="If another import is writing to the "
                                                   "warehouse, wait for it instead of stopping."),
    workers: int = typer.Option(os.cpu_count() or 1, "--workers", "-j", min=0,
                                help="Parser processes (0: parse in this process)."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", min=1,
                                  help="Seconds one file may take before it is recorded as failed "
                                       "(a PDF or image: plus 30 s a page, for OCR)."),
    batch_size: int = typer.Option(BATCH_SIZE, "--batch-size", min=1,
                                   help="Reports written to the warehouse together (one atomic "
                                        "batch)."),
    executor: Executor = typer.Option(Executor.local, "--executor",
                                      help="local: a pool of parser processes on this machine; "
                                           "dask: Dask tasks (pip install 'certreport[dask]')."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler to run on (tcp://host:8786); "
                                                 "default: a local cluster of --workers "
                                                 "processes. Files must be at the same path "
                                                 "on every worker."),
) -> None:
    """Import reports into a Parquet warehouse (one dataset per table)."""
    from certreport.dask_executor import DaskUnavailable
    from certreport.lock import WarehouseBusy
    from certreport.pipeline import Interrupted, discover, import_paths
    from certreport.progress import Progress

    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]
    if missing:
        raise _usage(f"no such file or folder: {', '.join(missing)}")
    why = folder_problem(out)
    if why:
        raise _usage(why)
    if scheduler and executor is not Executor.dask:
        raise _usage("--scheduler needs --executor dask")
    bar = Progress(sys.stderr, total=sum(1 for _ in discover(paths)) if sys.stderr.isatty() else None)
    try:
        summary = import_paths(paths, out, force=force, progress=bar.update, workers=workers,
                               timeout=timeout, batch_size=batch_size, retry=retry,
                               wait=None if wait else 0.0, on_wait=_err,
                               executor=executor.value, scheduler=scheduler)
    except DaskUnavailable as exc:
        bar.finish()
        _err(str(exc))
        raise typer.Exit(2) from None
    except WarehouseBusy as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    except Interrupted as stop:
        bar.finish()
        done = sum(stop.summary.counts[k] for k in ("ok", "partial", "failed"))
        _err(f"interrupted: {done} file(s) read and saved to {out} "
             f"({stop.summary.counts['unchanged']} unchanged). Run the same command again "
             "to go on: files already imported are skipped.")
        raise typer.Exit(130) from None
    bar.finish()
    _report(summary, out)
    if summary.failed or summary.still_failed:
        raise typer.Exit(1)


def _report(summary: Summary, out: Path) -> None:
    _err(summary.line(out))
    for path, same in summary.duplicates:
        _err(f"  duplicate: {path} has the same bytes as {same} (imported once)")
    for path, why in summary.failed:
        _err(f"  failed: {why}")
    for path, why in summary.still_failed:
        _err(f"  failed earlier, not retried: {why}")


@app.command()
@clean_errors
def show(
    file: Path = typer.Argument(..., help="One report file."),
    as_json: bool = typer.Option(False, "--json", help="Print the table rows as JSON."),
) -> None:
    """Read one report and print it (as a person would read it, or as JSON)."""
    from certreport.pipeline import process_file
    from certreport.render import render_report

    if not file.exists():
        _err(f"{file}: no such file")
        raise typer.Exit(2)
    result = process_file(file, org_ids=as_json)  # the text form shows no org id
    if as_json:
        typer.echo(json.dumps(result.rows, ensure_ascii=False, indent=1, default=str))
    else:
        typer.echo(render_report(result.rows))
    if result.status == "failed":
        raise typer.Exit(1)


class CheckFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


LANG_HELP = "Language of headings, check names and messages: zh (中文, the default) or en."


class ExportFormat(str, Enum):
    csv = "csv"
    xlsx = "xlsx"


def _warehouse(path: Path) -> Warehouse:
    from certreport.store import Warehouse

    if not (path / "reports").is_dir():
        raise _usage(f"{path}: not a certreport warehouse (no reports table)")
    return Warehouse(path)


@app.command()
@clean_errors
def check(
    warehouse: Path = typer.Argument(..., help="Warehouse folder written by `certreport import`."),
    fmt: CheckFormat = typer.Option(CheckFormat.table, "--format", "-f",
                                    help="table (terminal), csv, json, html (one "
                                         "self-contained page) or xlsx (one findings workbook; "
                                         "needs --out)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Write to this file instead of stdout."),
    output: Optional[Path] = typer.Option(None, "--output", hidden=True,
                                          help="Old name of --out."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help=LANG_HELP + " (html and xlsx)"),
) -> None:
    """List the findings (failed and partial files too), reviewed ones apart; exit 1 when
    an error stands (open or confirmed)."""
    from certreport import findings_report
    from certreport import reviews as reviewing

    output = out or output
    if output is not None and (why := file_problem(output)):
        raise _usage(why)
    wh = _warehouse(warehouse)
    found = findings_report.reviewed_findings(wh)
    reports = wh.read("reports", ["report_id", "status"]).to_pylist()
    if fmt is CheckFormat.xlsx:
        if output is None:
            _err("--format xlsx writes a workbook: give --out FILE.xlsx")
            raise typer.Exit(2)
        findings_report.to_xlsx(found, output, lang.value)
        _err(f"wrote {len(found)} finding(s) as xlsx to {output}")
        text = None
    else:
        text = findings_report.render(found, fmt.value, reports_checked=len(reports),
                                      title=f"certreport findings: {warehouse.resolve().name}",
                                      lang=lang.value)
    if text is None:
        pass
    elif output is None:
        typer.echo(text, nl=not text.endswith("\n"))
    else:
        # a CSV file gets a byte-order mark so that Excel reads it as UTF-8
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8-sig" if fmt is CheckFormat.csv else "utf-8")
        _err(f"wrote {len(found)} finding(s) as {fmt.value} to {output}")
    standing = [c for c in found if reviewing.still_counts(c)]
    errors = sum(1 for c in standing if c["severity"] == "error")
    failed = sum(1 for r in reports if r["status"] == "failed")
    reviewed = sum(1 for c in found if not reviewing.is_open(c))
    _err(f"{len(reports)} report(s), {errors} error / {len(standing) - errors} warning "
         f"finding(s), {failed} failed file(s)"
         + (f"; {reviewed} reviewed finding(s) listed apart" if reviewed else ""))
    if errors:
        raise typer.Exit(1)


@app.command()
@clean_errors
def remove(
    warehouse: Path = typer.Argument(..., help="Warehouse folder written by `certreport import`."),
    reports: List[str] = typer.Argument(..., help="Reports to remove: report ids, or file "
                                                  "paths as they were imported."),
) -> None:
    """Remove reports from every table and recompute the checks across the archive."""
    from certreport.lock import WarehouseBusy
    from certreport.pipeline import remove_reports

    wh = _warehouse(warehouse)
    try:
        removed = remove_reports(wh, reports)
    except WarehouseBusy as exc:
        _err(str(exc))
        raise typer.Exit(1) from None
    except ValueError as e:
        _err(f"{warehouse}: {e}")
        raise typer.Exit(1)
    _err(f"removed {len(removed)} report(s) from {warehouse}")


@app.command()
@clean_errors
def export(
    warehouse: Path = typer.Argument(..., help="Warehouse folder written by `certreport import`."),
    to: ExportFormat = typer.Option(..., "--to", help="csv: a folder of UTF-8 (BOM) files, "
                                                      "one per table; xlsx: one workbook, a "
                                                      "sheet per table."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="Folder (csv) or file (xlsx); default "
                                            "WAREHOUSE-csv/ or WAREHOUSE.xlsx beside it."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help=LANG_HELP + " (the xlsx findings sheet)"),
) -> None:
    """Export every table for spreadsheets: CSV files or one Excel workbook (+ findings sheet)."""
    from certreport import export as exporting

    wh = _warehouse(warehouse)
    dest = out or exporting.default_out(warehouse, to.value)
    why = folder_problem(dest) if to is ExportFormat.csv else file_problem(dest)
    if why:
        raise _usage(why)
    try:
        written = exporting.export(wh, to.value, dest, lang.value)
    except exporting.ExportError as e:
        _err(str(e))
        raise typer.Exit(1)
    _err(f"wrote {len(written)} file(s) to {dest}")


reviews_app = typer.Typer(no_args_is_help=True,
                          help="Move reviewers' decisions between warehouses (CSV or YAML).")
app.add_typer(reviews_app, name="reviews")


@reviews_app.command("export")
@clean_errors
def reviews_export(
    warehouse: Path = typer.Argument(..., help="Warehouse folder."),
    out: Optional[Path] = typer.Option(None, "--out", "-o",
                                       help="File to write (.csv, .yaml or .yml); default "
                                            "stdout."),
    output: Optional[Path] = typer.Option(None, "--output", hidden=True,
                                          help="Old name of --out."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f",
                                      help="csv or yaml (default: from the file name, else "
                                           "yaml)."),
) -> None:
    """Write every review of a warehouse as CSV or YAML."""
    from certreport import reviews as reviewing

    output = out or output
    if output is not None and (why := file_problem(output)):
        raise _usage(why)
    wh = _warehouse(warehouse)
    try:
        kind = fmt or (reviewing.format_of(output) if output else "yaml")
        text = reviewing.export_reviews(wh, kind)
    except ValueError as e:
        _err(str(e))
        raise typer.Exit(2)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8-sig" if kind == "csv" else "utf-8")
        _err(f"wrote {len(reviewing.reviews(wh))} review(s) to {output}")


@reviews_app.command("import")
@clean_errors
def reviews_import(
    warehouse: Path = typer.Argument(..., help="Warehouse folder."),
    file: Path = typer.Argument(..., help="Reviews written by `certreport reviews export` "
                                          "(.csv, .yaml or .yml)."),
) -> None:
    """Add reviews from a file (all validated first; reviews already here skipped)."""
    import yaml

    from certreport import reviews as reviewing

    wh = _warehouse(warehouse)
    if not file.is_file():
        _err(f"{file}: no such file")
        raise typer.Exit(2)
    try:
        items = reviewing.parse_reviews(file.read_text(encoding="utf-8-sig"),
                                        reviewing.format_of(file))
        added, skipped = reviewing.import_reviews(wh, items)
    except (ValueError, yaml.YAMLError) as e:
        _err(f"{file}: {e}")
        raise typer.Exit(1)
    _err(f"{file}: {added} review(s) added, {skipped} already there")


@app.command()
@clean_errors
def serve(
    warehouse: Path = typer.Argument(..., help="Warehouse folder written by `certreport import`."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (this machine "
                                                         "only unless --public)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on."),
    lang: Lang = typer.Option(Lang.zh, "--lang", help=LANG_HELP),
    public: bool = typer.Option(False, "--public", help="Allow an address other than "
                                                        "127.0.0.1 (needs --token)."),
    token: Optional[str] = typer.Option(None, "--token", envvar="CERTREPORT_TOKEN",
                                        help="Access token every request must carry "
                                             "(?token=… once, then a cookie)."),
) -> None:
    """Start the reviewer's workbench in the browser (needs the `serve` extra)."""
    wh = _warehouse(warehouse)
    try:
        from certreport.workbench.app import BindRefused, check_bind, create_app
        import uvicorn
    except ImportError as e:
        _err(f"certreport serve needs the serve extra: pip install 'certreport[serve]' ({e})")
        raise typer.Exit(2)
    try:
        check_bind(host, public, token)
    except BindRefused as e:
        _err(str(e))
        raise typer.Exit(2)
    where = f"http://{host}:{port}/reports" + (f"?token={token}" if token else "")
    _err(f"serving {wh.root} at {where} (Ctrl-C stops)")
    uvicorn.run(create_app(wh.root, lang.value, token), host=host, port=port, log_level="warning")


@app.command()
@clean_errors
def doctor() -> None:
    """List the readers, OCR engines and outside programs found here (and how to add the
    missing ones); exit 1 when no OCR engine is installed."""
    from certreport.doctor import report

    text, ocr_ok = report()
    typer.echo(text)
    if not ocr_ok:
        raise typer.Exit(1)


@app.command()
@clean_errors
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:  # pragma: no cover - the console script and python -m certreport
    """Run the command line. What the command built is frozen out of the garbage
    collector before the interpreter exits (``gc.freeze``): its last collections would
    walk every object an import made (tens of milliseconds) and free nothing that a
    finished process needs; the objects are released with the process as before."""
    try:
        app(prog_name="certreport")
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
