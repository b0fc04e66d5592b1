"""Normalisation: the one place raw text is cleaned before parsing.

Guarantees of ``normalise(text)`` (tested in tests/parser/test_normalise.py):

1. The result is a sequence of non-empty lines joined by single ``\\n``: no ``\\r``, no blank
   lines, no leading or trailing whitespace on any line (ASCII, tab, NBSP, full-width space),
   no trailing newline.
2. No BOM (U+FEFF), zero-width characters or C0/C1 control characters other than ``\\n``;
   no-break spaces become ordinary spaces, Unicode line/paragraph separators become ``\\n``.
3. Characters are kept as written otherwise: full-width digits and letters (１９９４, ＧＤＰ) and
   Chinese punctuation (，。：（）、) are NOT folded to ASCII, because headings, quotes and hand
   annotations refer to the text as published. Marker rules accept both widths instead
   (（一） and (一), 1. and １．), and consumers that need folded text (search) fold it there.
4. Markup becomes plain lines: HTML block tags (p, div, h1-h6, br, li, tr, title…) end a line,
   other tags are dropped, entities are decoded, comments and the content of script, style,
   noscript and template elements removed; Markdown headings (#), quotes (>)
   and emphasis (**) lose their markers.
5. ``[SEP]``-style paragraph tokens become line breaks. A CSV export whose header names a text
   column (full_text, content, text, 正文, 全文) is reduced to that column of its first record.
6. A text that arrived with no line break (or one line holding nearly all of it) is cut into
   paragraphs where the text shows them (indentation, front matter, runs of numbered headings and
   of paragraph-initial enumerators, closing addresses: see app/parser/breakless.py), so
   one-line dumps still have their outline.
7. Lines made only of bracket or list-repr junk (``[``, ``]``, ``】``) are dropped. A line that
   is only an opening bracket (``（`` or ``(``) is joined to the next line when that line goes
   on with a numeral and a closing bracket (``三）改革…``): a scrape broke the marker （三） there.
8. Idempotent: ``normalise(normalise(x)) == normalise(x)`` for every string.
"""

from __future__ import annotations

import csv
import html
import io
import re

from app.parser.breakless import dominant_line, split_line
from app.parser.numerals import CN_NUM

# One scan finds every character that needs fixing (most texts have none): invisible and
# control characters are deleted, Unicode line separators become newlines, no-break spaces
# plain spaces. (A regex, not str.translate: translate does a dict lookup per character.)
_ODD_CHARS = re.compile(
    "[\ufeff\u200b-\u200d\u2060\xad\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\xa0\u202f\u2007]"
)
_ODD_REPLACEMENT = {"\u2028": "\n", "\u2029": "\n", "\x85": "\n", "\x0b": "\n", "\x0c": "\n"}
_ODD_REPLACEMENT.update(dict.fromkeys("\xa0\u202f\u2007", " "))
_SEP_TOKEN = re.compile(r"\[(?:SEP|sep|PARA|para|BR|br|NL|nl)\]")
_HTML_HINT = re.compile(
    r"</?(?:p|div|h[1-6]|br|span|b|strong|em|i|li|ul|ol|table|tr|td|img|a|font)\b[^<>]*>", re.I
)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# Elements whose content is never text of the page: code, styles, fallbacks.
_HTML_HIDDEN = re.compile(r"<(script|style|noscript|template)\b[^<>]*>.*?</\1\s*>", re.I | re.S)
_HTML_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|br|li|ul|ol|tr|table|section|article|header|footer|blockquote|title|head|body|nav"
    r"|aside|main|dt|dd|figure|figcaption)\b[^<>]*>",
    re.I,
)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")
_MD_PREFIX = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]?)+", re.M)
_MD_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
# Lines with no letter, digit or Han character: list-repr brackets, stray tag leftovers.
# (Not * · •: a line of them is a rule that sets off footnotes, see outline.trailer_start.)
_JUNK_LINE = re.compile(r"[\[\]{}<>【】|/\\\"'`,;]+")
# The rest of a marker whose opening bracket a scrape left alone on the line before: 三）/ 12)
_MARKER_REST = re.compile(rf"(?:[{CN_NUM}]{{1,4}}|[0-9０-９]{{1,3}})[）)]")
_LONE_OPENERS = ("（", "(")
_CSV_HEADER_RUN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:,[A-Za-z_][A-Za-z0-9_]*)+")
_CSV_TEXT_COLUMNS = ("full_text", "fulltext", "content", "text", "body", "正文", "全文", "内容")


def normalise(text: str) -> str:
    """Clean ``text`` into the canonical form every span points into (see module docstring)."""
    result = _pass(text)
    # A pass can expose new markup (an entity that decodes to a tag); iterate to a fixed point.
    for _ in range(3):
        again = _pass(result)
        if again == result:
            return result
        result = again
    return result


def _pass(text: str) -> str:
    text = _clean_chars(text)
    text = _unwrap_csv(text)
    if "[" in text:
        text = _SEP_TOKEN.sub("\n", text)
    if "<" in text and _HTML_HINT.search(text):
        text = _strip_html(text)
    elif "&" in text:
        text = _clean_chars(_ENTITY.sub(lambda m: html.unescape(m.group(0)), text))
    if "#" in text or ">" in text:
        text = _MD_PREFIX.sub("", text)
    if "**" in text or "__" in text:
        text = _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    # str.strip() per line is far faster than a multiline regex over Han text.
    lines = [s for s in (x.strip() for x in text.split("\n")) if s and not _JUNK_LINE.fullmatch(s)]
    if "（" in lines or "(" in lines:
        lines = _join_split_markers(lines)
    k = dominant_line(lines)
    if k is not None:
        pieces = (x.strip() for x in split_line(lines[k], at_start=k == 0))
        lines[k : k + 1] = [x for x in pieces if x and not _JUNK_LINE.fullmatch(x)]
    return "\n".join(lines)


def _join_split_markers(lines: list[str]) -> list[str]:
    """``（`` + ``三）改革…`` -> ``（三）改革…``; a lone bracket before anything else stays."""
    out: list[str] = []
    for line in lines:
        if out and out[-1] in _LONE_OPENERS and _MARKER_REST.match(line):
            out[-1] += line
        else:
            out.append(line)
    return out


def _clean_chars(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD_CHARS.search(text):
        text = _ODD_CHARS.sub(lambda m: _ODD_REPLACEMENT.get(m.group(0), ""), text)
    return text


def _strip_html(text: str) -> str:
    text = _HTML_COMMENT.sub("", text)
    text = _HTML_HIDDEN.sub("\n", text)
    text = _HTML_BLOCK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    return _clean_chars(html.unescape(text))


def _unwrap_csv(text: str) -> str:
    first, _, rest = text.partition("\n")
    if not rest:
        # An export that lost its line breaks: the header runs into the record (…,full_text内蒙古…).
        run = _CSV_HEADER_RUN.match(text)
        if run is None:
            return text
        first, rest = run.group(0), text[run.end() :]
    if not rest or "," not in first:
        return text
    header = [h.strip().lower() for h in first.split(",")]
    column = next((header.index(c) for c in _CSV_TEXT_COLUMNS if c in header), None)
    if column is None or len(header) < 2:
        return text
    try:
        rows = list(csv.reader(io.StringIO(rest)))
    except csv.Error:
        return text
    for row in rows:
        if len(row) > column and row[column].strip():
            return row[column]
    return text
