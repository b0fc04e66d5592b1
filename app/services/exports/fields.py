"""Metadata fields in the order portals list them, with their Chinese labels and display form."""

from __future__ import annotations

import re
from datetime import date

from app.services.exports.shapes import ExportMetadata

# (field, label, always shown). The seven government fields are always shown, empty or not, so a
# portal finds them in the same place in every export; the others only when set.
FIELDS: tuple[tuple[str, str, bool], ...] = (
    ("title", "标题", True),
    ("subtitle", "副标题", False),
    ("index_number", "索引号", True),
    ("publisher", "发布机构", True),
    ("document_number", "发文字号", True),
    ("topic", "主题分类", True),
    ("written_on", "成文日期", True),
    ("published_on", "发布日期", True),
    ("keywords", "主题词", True),
    ("genre", "体裁", False),
    ("speaker", "讲话人", False),
    ("occasion", "场合", False),
    ("place", "地点", False),
    ("delivered_on", "讲话日期", False),
    ("source_url", "来源", False),
)
GOVERNMENT_FIELDS = (
    "index_number",
    "publisher",
    "document_number",
    "topic",
    "written_on",
    "published_on",
    "keywords",
)
LABELS = {name: label for name, label, _ in FIELDS}
KEYWORD_SEPARATOR = "；"


# What XML 1.0 cannot carry: C0 controls other than tab, LF and CR, lone surrogates, U+FFFE/U+FFFF.
# The API refuses them in metadata, but a stored text may hold U+FFFE (the normaliser keeps it).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(document: str) -> str:
    """A serialised XML (or XHTML) document with each character XML cannot carry replaced by U+FFFD.

    ElementTree writes such characters as they are, which makes the document not well-formed, and
    no markup ElementTree writes contains them, so replacing them in the output is safe.
    """
    return _NOT_XML.sub("\ufffd", document)


def chinese_date(value: date) -> str:
    """The way government pages print dates: 2024年05月01日."""
    return f"{value.year}年{value.month:02d}月{value.day:02d}日"


def display(value: object) -> str:
    """A field's value as one line of text: dates in Chinese form, keywords joined, no newlines."""
    if value is None:
        return ""
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, list):
        return KEYWORD_SEPARATOR.join(display(v) for v in value)
    return " ".join(str(value).split())


def labelled(metadata: ExportMetadata) -> list[tuple[str, str, str]]:
    """(field, label, display value) of the fields to show, in order."""
    rows = []
    for name, label, always in FIELDS:
        value = display(getattr(metadata, name))
        if always or value:
            rows.append((name, label, value))
    return rows
