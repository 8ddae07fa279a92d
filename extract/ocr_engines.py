"""OCR engines behind one small interface: an engine reads a page image (a 2-D ``uint8``
gray array) into :class:`Word` boxes in pixels with a confidence 0–1.

* ``rapidocr`` (default): RapidOCR 3 on onnxruntime, with the PP-OCR detection and
  recognition models that ship inside the ``rapidocr`` wheel, loaded by explicit path
  (``Det.model_path`` / ``Rec.model_path``) so the library's download path is never taken.
  Settings measured on 150-dpi scans (``benchmarks/bench_ocr.py``): the angle classifier
  off (report pages are upright; deskewing is ours), the detection image's longer side
  capped at 960 px, word boxes on (table cells are rebuilt from them).
* ``tesseract``: the outside program with its ``chi_sim`` data, where installed (much
  weaker on these tables: an option, not the default).

Which engine: :class:`OcrSettings` (``CERTREPORT_OCR_ENGINE`` overrides the default), threads
per process from ``CERTREPORT_OCR_THREADS`` (the import sets it per worker so that the
workers together do not oversubscribe the cores). Results are cached by the page image's
hash in ``CERTREPORT_OCR_CACHE`` when set (the import points it into the warehouse; ``off``
turns caching off).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from certreport.extract.scan_settings import DEFAULT_ENGINE, OcrSettings

ENGINES = ("rapidocr", "tesseract")
ENABLE_HINT = ("install the OCR engine: pip install 'certreport[ocr]' (RapidOCR with its "
               "models, runs offline), or apt-get install tesseract-ocr tesseract-ocr-chi-sim "
               "and set CERTREPORT_OCR_ENGINE=tesseract")


class OcrUnavailable(ValueError):
    """No OCR engine can read the page: the message says how to enable one."""


@dataclass(frozen=True)
class Word:
    """A recognised word (a CJK character, a Latin word or number) in pixels."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float
    line: int = 0        # the engine's text line it belongs to
    space: bool = True   # the engine wrote a space (or a line start) before it


class Engine(Protocol):
    name: str
    version: str

    def read(self, gray: np.ndarray) -> list[Word]: ...

    def recognise(self, crop: np.ndarray) -> tuple[str, float] | None: ...


# ---------------------------------------------------------------- RapidOCR


def _rapidocr_models() -> Path | None:
    try:
        import rapidocr
    except ImportError:
        return None
    return Path(rapidocr.__file__).resolve().parent / "models"


def _rapidocr_files() -> tuple[Path, Path] | None:
    """The detection and recognition models inside the installed wheel (None if absent)."""
    models = _rapidocr_models()
    if models is None or not models.is_dir():
        return None
    det = sorted(models.glob("*_det_*.onnx")) or sorted(models.glob("*det*.onnx"))
    rec = sorted(models.glob("*_rec_*.onnx")) or sorted(models.glob("*rec*.onnx"))
    if not det or not rec:
        return None
    return det[-1], rec[-1]


def rapidocr_version() -> str | None:
    """``3.10.0 (PP-OCRv6_det_small, PP-OCRv6_rec_small)``, or None when not usable."""
    files = _rapidocr_files()
    if files is None:
        return None
    try:
        import onnxruntime  # noqa: F401
        from importlib.metadata import version
        v = version("rapidocr")
    except Exception:  # noqa: BLE001 - a broken install is "not available"
        return None
    return f"{v} ({files[0].stem}, {files[1].stem})"


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, settings: OcrSettings) -> None:
        files = _rapidocr_files()
        version = rapidocr_version()
        if files is None or version is None:
            raise OcrUnavailable(f"RapidOCR is not installed: {ENABLE_HINT}")
        from rapidocr import RapidOCR

        threads = settings.thread_count()
        cls = sorted(files[0].parent.glob("*cls*.onnx"))
        params = {
            "Global.use_cls": False, "Global.log_level": "error",
            "Global.text_score": settings.text_score,
            "Det.model_path": str(files[0]), "Rec.model_path": str(files[1]),
            "Det.limit_side_len": settings.det_side, "Det.limit_type": "max",
            "Det.box_thresh": settings.box_thresh,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        if cls:  # never used (use_cls off), but named so nothing is looked for
            params["Cls.model_path"] = str(cls[-1])
        self._ocr = RapidOCR(params=params)
        self.version = version
        self.settings = settings

    def read(self, gray: np.ndarray) -> list[Word]:
        rgb = np.repeat(gray[:, :, None], 3, axis=2)
        out = self._ocr(rgb, use_det=True, use_cls=False, return_word_box=True)
        words: list[Word] = []
        if not out.txts:
            return words
        for k, (text, conf, line_words) in enumerate(zip(out.txts, out.scores,
                                                           out.word_results)):
            pieces = [w for w in line_words if w and w[0] and w[2] is not None]
            pos = 0
            for wtext, wconf, box in pieces:
                wtext = str(wtext)
                at = text.find(wtext, pos)
                space = pos == 0 or (at > 0 and text[pos:at].isspace()) or (
                    at > 0 and text[at - 1].isspace())
                pos = at + len(wtext) if at >= 0 else pos
                pts = np.asarray(box, dtype=float).reshape(-1, 2)
                words.append(Word(wtext, float(pts[:, 0].min()), float(pts[:, 1].min()),
                                  float(pts[:, 0].max()), float(pts[:, 1].max()),
                                  round(min(float(wconf), float(conf)), 4), k, space))
        return words

    def recognise(self, crop: np.ndarray) -> tuple[str, float] | None:
        """The text of one small image (a table cell's ink), recognition only."""
        out = self._ocr(np.repeat(crop[:, :, None], 3, axis=2), use_det=False, use_cls=False,
                        return_word_box=False)
        if not out.txts or not str(out.txts[0]).strip():
            return None
        return str(out.txts[0]).strip(), round(float(out.scores[0]), 4)


# ---------------------------------------------------------------- tesseract


def tesseract_version() -> str | None:
    """The tesseract program's version when it and its chi_sim data are installed."""
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                               timeout=30).stdout.split()
        head = subprocess.run([exe, "--version"], capture_output=True, text=True,
                              timeout=30).stdout.splitlines()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if "chi_sim" not in langs:
        return None
    return head[0].split()[-1] if head else "?"


class TesseractEngine:
    name = "tesseract"

    def __init__(self, settings: OcrSettings) -> None:
        version = tesseract_version()
        if version is None:
            raise OcrUnavailable(f"tesseract with chi_sim is not installed: {ENABLE_HINT}")
        self.version = version
        self.settings = settings

    def read(self, gray: np.ndarray) -> list[Word]:
        return self._run(gray, "3")

    def _run(self, gray: np.ndarray, psm: str) -> list[Word]:
        from PIL import Image
        import io

        buf = io.BytesIO()
        Image.fromarray(gray).save(buf, format="PNG")
        env = {**os.environ, "OMP_THREAD_LIMIT": str(self.settings.thread_count())}
        proc = subprocess.run(["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", psm,
                               "tsv"], input=buf.getvalue(), capture_output=True, timeout=300,
                              env=env)
        words = []
        for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
            cols = row.split("\t")
            if len(cols) < 12 or not cols[11].strip():
                continue
            line = int(cols[2]) * 10000 + int(cols[3]) * 100 + int(cols[4])
            x, y, w, h, conf = (float(cols[6]), float(cols[7]), float(cols[8]),
                                float(cols[9]), float(cols[10]))
            if conf < 0:
                continue
            words.append(Word(cols[11].strip(), x, y, x + w, y + h, round(conf / 100, 4), line))
        return words

    def recognise(self, crop: np.ndarray) -> tuple[str, float] | None:
        """The text of one small image (a table cell's ink), as a single line."""
        words = self._run(crop, "7")
        if not words:
            return None
        return "".join(w.text for w in words), min(w.conf for w in words)


# ---------------------------------------------------------------- choosing, caching


def engines_found() -> dict[str, str | None]:
    """Each known engine and its version (None: not installed here)."""
    return {"rapidocr": rapidocr_version(), "tesseract": tesseract_version()}


def get_engine(settings: OcrSettings = OcrSettings()) -> Engine:
    """The engine ``settings`` name (loaded once per process); :class:`OcrUnavailable`
    when it is not installed, saying how to enable OCR."""
    return _load(settings.engine_name(), settings.thread_count(), settings)


@lru_cache(maxsize=4)
def _load(name: str, threads: int, settings: OcrSettings) -> Engine:
    if name == "rapidocr":
        return RapidOcrEngine(settings)
    if name == "tesseract":
        return TesseractEngine(settings)
    raise OcrUnavailable(f"unknown OCR engine {name!r} (known: {', '.join(ENGINES)})")


def engine_id(engine: Engine) -> str:
    return f"{engine.name} {engine.version}"


CACHE_FORMAT = 2  # bump when Word changes


def _cache_path(key: str) -> Path | None:
    root = os.environ.get("CERTREPORT_OCR_CACHE", "")
    if root.strip().lower() in ("", "off", "none"):
        return None
    return Path(root) / key[:2] / f"{key}.json"


def _cached(key: str, compute):  # type: ignore[no-untyped-def]
    path = _cache_path(key)
    if path is not None and path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass  # a damaged cache entry: read the image again
    value = compute()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only warehouse: no cache, same result
    return value


def _key(gray: np.ndarray, eid: str, settings: OcrSettings, kind: str) -> str:
    return hashlib.sha256(gray.tobytes() + repr((CACHE_FORMAT, kind, gray.shape, eid,
                                                settings.det_side, settings.box_thresh,
                                                settings.text_score)).encode()).hexdigest()


def read_words(gray: np.ndarray, settings: OcrSettings = OcrSettings()) -> tuple[list[Word], str]:
    """OCR one page image: its words and the engine's id. Cached by the image's hash, the
    engine and its settings (so a re-import after a reader upgrade does not OCR again)."""
    engine = get_engine(settings)
    eid = engine_id(engine)
    rows = _cached(_key(gray, eid, settings, "page"),
                   lambda: [asdict(w) for w in engine.read(gray)])
    try:
        return [Word(**w) for w in rows], eid
    except TypeError:  # an entry of another format
        return engine.read(gray), eid


def read_cell(crop: np.ndarray, settings: OcrSettings = OcrSettings()) -> tuple[str, float] | None:
    """Recognise one small image (a table cell the page pass left empty); cached."""
    engine = get_engine(settings)
    got = _cached(_key(crop, engine_id(engine), settings, "cell"),
                  lambda: list(engine.recognise(crop) or ()))
    return (str(got[0]), float(got[1])) if got else None
