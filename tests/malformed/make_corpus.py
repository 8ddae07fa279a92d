"""Generate the malformed-input corpus in ``tests/malformed/corpus/`` (deterministic).

Run ``python tests/malformed/make_corpus.py`` from the project root; the output is
committed. PDFs come from a minimal hand-written PDF writer (including RC4 encryption of
the standard security handler, revision 2), Word files from python-docx with the zip
re-packed at a fixed date. Inputs that cannot live in git (an unreadable file, a dangling
link, a named pipe, a link loop) are made at test time by ``tests/test_malformed.py``.
"""
from __future__ import annotations

import hashlib
import io
import random
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CORPUS = HERE / "corpus"
REAL_REPORT = ROOT / "data" / "samples" / "real_report_0029-2023-SE-2024.md"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FILE_ID = hashlib.md5(b"certreport malformed corpus").digest()

# ------------------------------------------------------------------ a minimal PDF writer


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


class Rc4Security:
    """The standard security handler, revision 2 (40-bit RC4): enough for any reader to
    recognise the file as encrypted and refuse it without the user password."""

    def __init__(self, user: bytes, owner: bytes, permissions: int = -44) -> None:
        self.p = permissions
        okey = hashlib.md5((owner + _PAD)[:32]).digest()[:5]
        self.o = _rc4(okey, (user + _PAD)[:32])
        self.key = hashlib.md5((user + _PAD)[:32] + self.o + struct.pack("<i", self.p)
                               + FILE_ID).digest()[:5]
        self.u = _rc4(self.key, _PAD)

    def encrypt(self, num: int, data: bytes) -> bytes:
        key = hashlib.md5(self.key + struct.pack("<i", num)[:3] + b"\0\0").digest()[:10]
        return _rc4(key, data)

    def dictionary(self) -> bytes:
        return (b"<< /Filter /Standard /V 1 /R 2 /O <" + self.o.hex().encode() + b"> /U <"
                + self.u.hex().encode() + b"> /P " + str(self.p).encode() + b" >>")


def pdf(objects: list[bytes | tuple[bytes, bytes]], security: Rc4Security | None = None) -> bytes:
    """A PDF of the given objects (1-based, object 1 the catalog); an object is a
    dictionary/array body, or ``(dictionary without /Length, stream data)``."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num
        if isinstance(obj, tuple):
            head, data = obj
            if security:
                data = security.encrypt(num, data)
            out += head[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        else:
            out += obj
        out += b"\nendobj\n"
    trailer = b"/Size %d /Root 1 0 R /ID [<%s> <%s>]" % (
        len(objects) + 1, FILE_ID.hex().encode(), FILE_ID.hex().encode())
    if security:
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (len(objects) + 1) + security.dictionary() + b"\nendobj\n"
        trailer = b"/Size %d /Root 1 0 R /Encrypt %d 0 R /ID [<%s> <%s>]" % (
            len(objects) + 2, len(objects) + 1, FILE_ID.hex().encode(), FILE_ID.hex().encode())
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< " + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _page(content_ref: int, resources: bytes) -> bytes:
    return (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
            + resources + b" /Contents %d 0 R >>" % content_ref)


def text_pdf(lines: list[str], security: Rc4Security | None = None) -> bytes:
    """One A4 page of Helvetica text lines."""
    ops = [b"BT /F1 11 Tf 72 770 Td 14 TL"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(" + escaped.encode("latin-1") + b") Tj T*")
    ops.append(b"ET")
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(4, b"<< /Font << /F1 5 0 R >> >>"),
        (b"<< >>", b"\n".join(ops)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ], security)


def scan_pdf() -> bytes:
    """One page holding only a grey image (a scan without a text layer)."""
    rng = random.Random(7)
    w = h = 64
    pixels = bytes(200 + rng.randrange(56) if (x // 8 + y // 4) % 3 else rng.randrange(80)
                   for y in range(h) for x in range(w))
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        _page(4, b"<< /XObject << /Im1 5 0 R >> >>"),
        (b"<< >>", b"q 451 0 0 698 72 72 cm /Im1 Do Q"),
        (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
         b"/BitsPerComponent 8 /Filter /FlateDecode >>" % (w, h),
         zlib.compress(pixels, 9)),
    ])


def lost_page_pdf() -> bytes:
    """A two-page file whose second page object is gone (the page tree still names it):
    a damaged page no reader can load."""
    objects: list = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>",
        _page(4, b"<< /Font << /F1 5 0 R >> >>"),
        (b"<< >>", b"BT /F1 11 Tf 72 770 Td (" + NOT_A_REPORT[0].encode("latin-1") + b") Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return pdf(objects)


# ------------------------------------------------------------------ Word and zip files


def _repack(data: bytes) -> bytes:
    """The same zip with every member dated FIXED_DATE (python-docx stamps the time)."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, FIXED_DATE), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def docx_of(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return _repack(buf.getvalue())


def zip_bomb(megabytes: int = 200) -> bytes:
    """A .docx-shaped zip whose main part inflates ~1000-fold, to ``megabytes`` MB of
    blanks inside ``<w:body>`` (streamed: the 200 MB are never in memory at once)."""
    types = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
             b'.org/package/2006/content-types"><Override PartName="/word/document.xml" '
             b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
             b'document.main+xml"/></Types>')
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    blanks = (megabytes << 20) - len(head) - len(tail)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_DATE), types)
        main = zipfile.ZipInfo("word/document.xml", FIXED_DATE)
        main.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(main, "w") as fh:
            fh.write(head)
            for _ in range(blanks >> 20):
                fh.write(b" " * (1 << 20))
            fh.write(b" " * (blanks & ((1 << 20) - 1)) + tail)
    return out.getvalue()


def unsupported_zip_version(docx: bytes) -> bytes:
    """A sound .docx whose first central-directory entry asks for zip version 19.6."""
    data = bytearray(docx)
    at = data.find(b"PK\x01\x02") + 6  # "version needed to extract"
    data[at:at + 2] = struct.pack("<H", 196)
    return bytes(data)


def ole_encrypted() -> bytes:
    """An OLE2 compound file as Word writes for a password-protected .docx: a header, one
    FAT sector, one directory sector with the EncryptionInfo and EncryptedPackage streams
    (empty here: only the container matters to the reader)."""
    sector = 512
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<5H6s", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6)
              # directory sectors, FAT sectors, first directory sector, transaction,
              # mini-stream cutoff, first mini FAT, mini FAT sectors, first DIFAT, DIFATs
              + struct.pack("<9L", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109L", 0, *[0xFFFFFFFF] * 108))
    assert len(header) == sector
    fat = struct.pack("<128L", 0xFFFFFFFD, 0xFFFFFFFE, *[0xFFFFFFFF] * 126)

    def entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<H2B3L", len(raw), kind, 1, 0xFFFFFFFF,
                                                   right, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<LQ", 0xFFFFFFFE, 0))

    directory = (entry("Root Entry", 5, child=1) + entry("EncryptionInfo", 2, right=2)
                 + entry("EncryptedPackage", 2) + b"\0" * 128)
    return header + fat + directory


# ------------------------------------------------------------------ the corpus

NOT_A_REPORT = [
    "Minutes of the spring meeting of the allotment garden club",
    "The meeting opened at seven. The treasurer read last year's accounts,",
    "and members agreed to buy a second wheelbarrow and more seed potatoes.",
    "The autumn show will be held in the church hall as usual.",
]
NOT_A_REPORT_ZH = ["园艺协会春季会议纪要", "会议于七点开始，财务报告了去年的账目。",
                   "会员同意再买一辆手推车和一些种薯。", "秋季展览照常在礼堂举行。"]


def _mid_character(utf8: bytes, near: int) -> int:
    """The first offset from ``near`` that falls inside a multi-byte UTF-8 character."""
    return next(i for i in range(near, len(utf8)) if 0x80 <= utf8[i] < 0xC0)


def build() -> dict[str, bytes]:
    """File name -> bytes of every committed corpus file."""
    rng = random.Random(20240229)
    noise = bytes(rng.randrange(256) for _ in range(4096))
    small_pdf = text_pdf(NOT_A_REPORT * 6)
    small_docx = docx_of(NOT_A_REPORT_ZH * 8)
    real = REAL_REPORT.read_bytes()
    return {
        "empty.pdf": b"",
        "empty.docx": b"",
        "empty.md": b"",
        "random_bytes.pdf": noise,
        "random_bytes.docx": noise[::-1],
        "random_bytes.md": noise[1000:3000],
        "truncated.pdf": small_pdf[: len(small_pdf) // 2],
        "truncated.docx": small_docx[: len(small_docx) // 2],
        "truncated.md": real[: _mid_character(real, len(real) // 2)],
        "encrypted.pdf": text_pdf(NOT_A_REPORT, Rc4Security(b"secret", b"owner")),
        "password_protected.docx": ole_encrypted(),
        "zip_bomb.docx": zip_bomb(),
        "not_a_report.pdf": text_pdf(NOT_A_REPORT),
        "not_a_report.docx": docx_of(NOT_A_REPORT_ZH),
        "scan_only.pdf": scan_pdf(),
        "damaged_page.pdf": lost_page_pdf(),
        "unsupported_zip_version.docx": unsupported_zip_version(docx_of(NOT_A_REPORT_ZH)),
        "duplicate_a.md": real,
        "duplicate_b.md": real,
        # a copy of the real report with one more newline, so it is not a duplicate
        "审查报告 副本 (2024).md": real + b"\n",
    }


def main() -> None:
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    CORPUS.mkdir(parents=True)
    for name, data in build().items():
        (CORPUS / name).write_bytes(data)
        print(f"{len(data):>9}  {name}")


if __name__ == "__main__":
    main()
