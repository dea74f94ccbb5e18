"""Text extraction from the files users have: .txt, .docx, text .pdf (no OCR).

:func:`extract_text` returns the text as extracted (the raw input of the cleaner). The original
bytes are kept by the caller; nothing here writes files.
"""

from __future__ import annotations

import io
from pathlib import Path


class UnsupportedDocument(ValueError):
    """The file type is not .txt/.docx/.pdf, or the PDF has no text layer (scanned)."""


def decode_text(data: bytes) -> str:
    """Decode a .txt upload: UTF-8 (with or without BOM), else GB18030 (covers GBK/GB2312)."""
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def docx_text(data: bytes) -> str:
    """Paragraph texts of a .docx, one per line (tables appended row by row, cells tab-separated)."""
    import docx

    d = docx.Document(io.BytesIO(data))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            lines.append("\t".join(c.text for c in row.cells))
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """Text layer of a PDF, pages separated by a blank line. Raises UnsupportedDocument if empty."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [(page.extract_text() or "").strip("\n") for page in reader.pages]
    text = "\n\n".join(pages)
    if not text.strip():
        raise UnsupportedDocument("PDF 没有文本层（可能是扫描件），请上传文字版 PDF 或 Word 文件")
    return text


def extract_text(data: bytes, filename: str) -> str:
    """Raw text of an uploaded document chosen by extension (.txt, .docx, .pdf).

    Raises :class:`UnsupportedDocument` for other types (.doc, images) or scanned PDFs.
    """
    ext = Path(filename).suffix.lower()
    if ext in (".txt", ".text", ".md"):
        return decode_text(data)
    if ext == ".docx":
        return docx_text(data)
    if ext == ".pdf":
        return pdf_text(data)
    raise UnsupportedDocument(f"不支持的文件类型：{ext or filename}（支持 .docx、.pdf、.txt）")
