"""Opening a Word package that python-docx would refuse: parts repaired before it loads.

python-docx fails a whole file when a relationship names a part the zip does not hold
(``KeyError: "There is no item named 'word/numbering.xml'"``), when an auxiliary part is
not well-formed XML, and on Strict OOXML (its namespaces are not the transitional ones it
knows). :func:`open_package` looks at the zip first and, only when something is wrong,
opens a repaired copy in memory:

* a relationship to a missing or damaged auxiliary part (numbering, styles, settings,
  fonts, theme, headers, footers, document properties, custom XML …) is dropped: list
  numbers fall back to none, styles to Word's defaults; each is a problem, so the report
  is ``partial``;
* a missing ``[Content_Types].xml`` or ``_rels/.rels`` is rebuilt from the part names;
* Strict OOXML namespaces (``http://purl.oclc.org/ooxml/…``) are mapped to their
  transitional twins (not a problem: Strict is valid Word).

The main document part must be there and well-formed: anything else about it is a
one-line :class:`~certreport.extract.docx.DocxError` raised by the caller.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from lxml import etree

MAIN_PART = "word/document.xml"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_TRANSITIONAL = "http://schemas.openxmlformats.org/"
# Strict namespace -> transitional namespace (ISO/IEC 29500-1 vs -4)
STRICT_NAMESPACES = {
    "http://purl.oclc.org/ooxml/wordprocessingml/main":
        _TRANSITIONAL + "wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships":
        _TRANSITIONAL + "officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/math": _TRANSITIONAL + "officeDocument/2006/math",
    "http://purl.oclc.org/ooxml/officeDocument/extendedProperties":
        _TRANSITIONAL + "officeDocument/2006/extended-properties",
    "http://purl.oclc.org/ooxml/officeDocument/customProperties":
        _TRANSITIONAL + "officeDocument/2006/custom-properties",
    "http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes":
        _TRANSITIONAL + "officeDocument/2006/docPropsVTypes",
    "http://purl.oclc.org/ooxml/officeDocument/customXml":
        _TRANSITIONAL + "officeDocument/2006/customXml",
    "http://purl.oclc.org/ooxml/officeDocument/bibliography":
        _TRANSITIONAL + "officeDocument/2006/bibliography",
    "http://purl.oclc.org/ooxml/drawingml/main": _TRANSITIONAL + "drawingml/2006/main",
    "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing":
        _TRANSITIONAL + "drawingml/2006/wordprocessingDrawing",
    "http://purl.oclc.org/ooxml/drawingml/picture": _TRANSITIONAL + "drawingml/2006/picture",
    "http://purl.oclc.org/ooxml/drawingml/chart": _TRANSITIONAL + "drawingml/2006/chart",
    "http://purl.oclc.org/ooxml/drawingml/diagram": _TRANSITIONAL + "drawingml/2006/diagram",
}
_STRICT = re.compile("|".join(re.escape(k) for k in sorted(STRICT_NAMESPACES, key=len,
                                                           reverse=True)).encode())
# what is lost without a part of this relationship type (the end of the type's URI)
_CONSEQUENCE = {"numbering": "list numbers not rendered", "styles": "default styles used",
                "header": "its running header not read", "footer": "its running footer not read"}
_MAIN_TYPE = _TRANSITIONAL + "officeDocument/2006/relationships/officeDocument"
_MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_CT = "application/vnd.ms-word.document.macroEnabled.main+xml"


class PackageError(ValueError):
    """The package cannot be repaired (its main part is missing or damaged)."""


def _strict_to_transitional(data: bytes) -> bytes:
    return _STRICT.sub(lambda m: STRICT_NAMESPACES[m.group(0).decode()].encode(), data)


def _rels_source(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``; ``_rels/.rels`` -> ``""``."""
    folder, name = posixpath.split(rels_name)
    base = posixpath.dirname(folder)
    return posixpath.join(base, name[:-len(".rels")]) if name != ".rels" else base


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _well_formed(data: bytes) -> str | None:
    """None when ``data`` parses as XML, else the parser's message."""
    try:
        etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=False))
    except etree.XMLSyntaxError as exc:
        return str(exc).split("\n")[0]
    return None


_MEDIA_TYPES = {"rels": "application/vnd.openxmlformats-package.relationships+xml",
                "xml": "application/xml", "jpeg": "image/jpeg", "jpg": "image/jpeg",
                "png": "image/png", "gif": "image/gif", "bmp": "image/bmp", "tif": "image/tiff",
                "tiff": "image/tiff", "emf": "image/x-emf", "wmf": "image/x-wmf",
                "svg": "image/svg+xml"}


def _content_types(names: list[str], macro: bool) -> bytes:
    """A ``[Content_Types].xml`` for the parts: the main part's type, a default per file
    extension (other parts are read as plain XML or bytes)."""
    main = _MACRO_CT if macro else _MAIN_CT
    extensions = sorted({posixpath.splitext(n)[1].lstrip(".").lower() for n in names} - {""}
                        | {"rels", "xml"})
    defaults = "".join(
        f'<Default Extension="{ext}" ContentType="'
        f'{_MEDIA_TYPES.get(ext, "application/octet-stream")}"/>' for ext in extensions)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{_CT_NS}">'
            f'{defaults}<Override PartName="/{MAIN_PART}" ContentType="{main}"/>'
            "</Types>").encode()


def _root_rels() -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" Type="{_MAIN_TYPE}" '
            f'Target="{MAIN_PART}"/></Relationships>').encode()


def repaired_parts(zf: zipfile.ZipFile) -> tuple[dict[str, bytes] | None, list[str]]:
    """The package's parts as python-docx can load them (None when nothing needed
    changing) and the problems found (see the module doc)."""
    names = [i.filename for i in zf.infolist() if not i.is_dir()]
    parts: dict[str, bytes] = {}
    problems: list[str] = []
    changed = False
    for name in names:
        try:
            parts[name] = zf.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            if name == MAIN_PART:
                raise PackageError(f"damaged Word file: {MAIN_PART} cannot be unpacked "
                                   f"({exc})") from exc
            problems.append(f"damaged part {name} (cannot be unpacked): ignored")
            changed = True
    if any(_STRICT.search(v) for n, v in parts.items() if n.endswith((".xml", ".rels"))):
        parts = {n: _strict_to_transitional(v) if n.endswith((".xml", ".rels")) else v
                 for n, v in parts.items()}
        changed = True
    if MAIN_PART not in parts:
        raise PackageError(f"zip file is not a Word document (no {MAIN_PART})")
    main_damage = _well_formed(parts[MAIN_PART])
    if main_damage and "depth" in main_damage.lower():
        raise PackageError("document nested too deeply (XML depth limit)")
    if main_damage:
        raise PackageError(f"damaged Word file: {MAIN_PART} is not well-formed XML "
                           f"({main_damage})")
    if "[Content_Types].xml" not in parts or _well_formed(parts["[Content_Types].xml"]):
        parts["[Content_Types].xml"] = _content_types(names, "vbaProject" in " ".join(names))
        problems.append("missing or damaged part [Content_Types].xml: rebuilt")
        changed = True
    if "_rels/.rels" not in parts or _well_formed(parts["_rels/.rels"]):
        parts["_rels/.rels"] = _root_rels()
        problems.append("missing or damaged part _rels/.rels: rebuilt")
        changed = True
    for rels_name in [n for n in parts if n.endswith(".rels")]:
        source = _rels_source(rels_name)
        if source and source not in parts:
            continue  # the relationships of a part that is gone go with it
        try:
            root = etree.fromstring(parts[rels_name])
        except etree.XMLSyntaxError as exc:
            if source == MAIN_PART:
                raise PackageError(f"damaged Word file: {rels_name} is not well-formed XML "
                                   f"({str(exc).splitlines()[0]})") from exc
            del parts[rels_name]
            problems.append(f"damaged part {rels_name}: its relationships ignored")
            changed = True
            continue
        dropped = False
        for rel in list(root):
            if rel.get("TargetMode") == "External" or rel.get("Target") is None:
                continue
            target = _target(source, rel.get("Target", ""))
            kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
            why = None
            if target not in parts:
                why = "missing part"
            elif target.endswith(".xml") and target != MAIN_PART:
                damage = _well_formed(parts[target])
                if damage:
                    why = "damaged part"
                    del parts[target]
            if why is None:
                continue
            if target == MAIN_PART:
                raise PackageError(f"zip file is not a Word document (no {MAIN_PART})")
            root.remove(rel)
            dropped = True
            lost = _CONSEQUENCE.get(kind, "ignored")
            problems.append(f"{why} {target} ({kind}): {lost}")
        if dropped:
            parts[rels_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
            changed = True
    return (parts if changed else None), problems


def open_package(path: str | Path) -> tuple[Any, list[str]]:
    """python-docx's ``Package`` of the file (of a repaired copy when it needs one) and
    the problems met; raises :class:`PackageError` when the main part cannot be had."""
    from docx.package import Package

    with zipfile.ZipFile(path) as zf:
        parts, problems = repaired_parts(zf)
    if parts is None:
        return Package.open(str(path)), problems
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    buf.seek(0)
    return Package.open(buf), problems
