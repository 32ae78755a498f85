"""A streaming .xlsx writer for the comprehensive report's large sheets.

The report's detail sheets hold one row per reviewer per criterion item per application: 138,000
rows and 1.5 million cells at 500 applications. openpyxl, even in write-only mode, builds an
object and an lxml element for every cell (about 40 s for that workbook); this writer formats each
row as text straight into the compressed zip member, so the workbook takes under 2 s of CPU and the
memory it needs is one chunk of rows plus the table of distinct strings.

It writes only what the report uses: text (always as text, through the shared-string table, so an
organisation name starting with "=" can never become a formula), whole numbers, Decimal scores with
the report's number format, empty cells, a bold centred header row frozen at the top, and column
widths. Characters XML cannot carry (control characters in pasted text) are dropped.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO
from xml.sax.saxutils import escape

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Style indexes into cellXfs below.
HEADER_STYLE = 1
SCORE_STYLE = 2
_FLUSH_ROWS = 2000


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: str) -> str:
    return escape(_ILLEGAL.sub("", value))


def _attribute(value: str) -> str:
    return escape(_ILLEGAL.sub("", value), {'"': "&quot;"})


def _styles(score_format: str) -> str:
    return (
        f'{_XML}<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{_attribute(score_format)}"/></numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
        '<alignment horizontal="center"/></xf>'
        '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'
    )


@dataclass(frozen=True)
class RowPrefix:
    parts: list[str]
    width: int


class Sheet:
    """One worksheet being written: rows go straight into its zip member, in order."""

    def __init__(self, book: StreamingWorkbook, member: IO[bytes], headers: Sequence[str], widths: Iterable[int]):
        self._book = book
        self._member = member
        self._rows = 0
        self._pending: list[str] = []
        self._columns = [_column_letter(i) for i in range(1, max(len(headers), 1) + 1)]
        cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, start=1))
        self._write(
            f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/>{f"<cols>{cols}</cols>" if cols else ""}<sheetData>'
        )
        self.append(headers, style=HEADER_STYLE)

    def _write(self, text: str) -> None:
        self._member.write(text.encode("utf-8"))

    def _cell(self, column: str, r: str, value: object, styled: str) -> str:
        kind = type(value)
        if kind is str:
            if not value:
                return ""  # an empty text is an empty cell, as openpyxl writes it
            return f'<c r="{column}{r}" t="s"{styled}><v>{self._book.shared(value)}</v></c>'  # type: ignore[arg-type]
        if kind is int:
            return f'<c r="{column}{r}"><v>{value}</v></c>'
        if kind is Decimal:
            return f'<c r="{column}{r}" s="{SCORE_STYLE}"><v>{value:f}</v></c>'
        if value is None:
            return ""
        if kind is bool:
            return f'<c r="{column}{r}" t="b"><v>{int(value)}</v></c>'  # type: ignore[call-overload]
        if isinstance(value, int | float):
            return f'<c r="{column}{r}"><v>{value!r}</v></c>'
        return f'<c r="{column}{r}" t="s"{styled}><v>{self._book.shared(str(value))}</v></c>'

    def append(self, values: Sequence[object], style: int = 0) -> None:
        """A row; None leaves its cell empty. `style` applies to the row's text cells (the header)."""
        self.append_after(None, values, style)

    def prefix(self, values: Sequence[object]) -> RowPrefix:
        """The first cells of many rows, formatted once: the detail sheets repeat the application and
        the item on every reviewer's row. The row number is the only part that changes."""
        marker = "\x00"  # never in a cell: XML cannot carry it, and text is stripped of it
        text = "".join(self._cell(column, marker, value, "") for column, value in zip(self._columns, values,
                                                                                     strict=False))
        return RowPrefix(text.split(marker), len(values))

    def append_after(self, prefix: RowPrefix | None, values: Sequence[object], style: int = 0) -> None:
        """A row made of `prefix`'s cells, then `values` in the columns after them."""
        self._rows += 1
        r = str(self._rows)
        styled = f' s="{style}"' if style else ""
        head = r.join(prefix.parts) if prefix else ""
        start = prefix.width if prefix else 0
        cell = self._cell
        cells = "".join([cell(column, r, value, styled)
                         for column, value in zip(self._columns[start:], values, strict=False)])
        self._pending.append(f'<row r="{r}">{head}{cells}</row>')
        if len(self._pending) >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write("".join(self._pending))
            self._pending = []

    def close(self) -> None:
        self._flush()
        self._write("</sheetData></worksheet>")
        self._member.close()


class StreamingWorkbook:
    """Sheets are written one after the other (close one before adding the next), then `close()`."""

    def __init__(self, out: IO[bytes], score_format: str = "General"):
        self._zip = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []
        self._strings: dict[str, int] = {}
        self._sheet: Sheet | None = None
        self._score_format = score_format

    def shared(self, value: str) -> int:
        index = self._strings.get(value)
        if index is None:
            index = self._strings[value] = len(self._strings)
        return index

    def add_sheet(self, title: str, headers: Sequence[str], widths: Iterable[int] = ()) -> Sheet:
        if self._sheet is not None:
            self._sheet.close()
        self._titles.append(title)
        member = self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w", force_zip64=True)
        self._sheet = Sheet(self, member, headers, widths)
        return self._sheet

    def close(self) -> None:
        if self._sheet is not None:
            self._sheet.close()
            self._sheet = None
        count = len(self._titles)
        write = self._zip.writestr
        with self._zip.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'{_XML}<sst xmlns="{_MAIN}" uniqueCount="{len(self._strings)}">'.encode())
            batch: list[str] = []
            for text in self._strings:
                batch.append(f'<si><t xml:space="preserve">{_text(text)}</t></si>')
                if len(batch) >= 5000:
                    member.write("".join(batch).encode("utf-8"))
                    batch = []
            member.write(("".join(batch) + "</sst>").encode("utf-8"))
        self._strings = {}
        write("xl/styles.xml", _styles(self._score_format))
        sheets = "".join(
            f'<sheet name="{_attribute(title)}" sheetId="{i}" r:id="rId{i}"/>' for i, title in enumerate(self._titles, 1))
        write("xl/workbook.xml", f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/>'
                                 f'</bookViews><sheets>{sheets}</sheets></workbook>')
        relations = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, count + 1))
        relations += (f'<Relationship Id="rId{count + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                      f'<Relationship Id="rId{count + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>')
        write("xl/_rels/workbook.xml.rels", f'{_XML}<Relationships xmlns="{_PKG_REL}">{relations}</Relationships>')
        write("_rels/.rels", f'{_XML}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
                             f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        sheet_types = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, count + 1))
        write("[Content_Types].xml", (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f'{sheet_types}'
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>'
        ))
        self._zip.close()
