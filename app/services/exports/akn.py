"""A speech as Akoma Ntoso 3.0 XML (OASIS LegalDocML): `<akomaNtoso><doc name="speech">`.

- meta: FRBR Work / Expression / Manifestation identifiers (naming convention
  `/akn/cn/doc/speech/<date>/<slug>`), the publication (发布日期, 发文字号), the classification
  (主题分类, 主题词) and the people and bodies referred to (TLC references).
- preface: the title and one line per metadata field, government fields in their usual order.
- mainBody: every section as `<hcontainer name="part|point|preamble|…" eId="…">` with `<num>`
  (the marker) and `<heading>`, every paragraph as `<paragraph eId="…"><content><p>`. The eIds
  are the API's eids. Quotes are `<embeddedText class="citation|term|golden">` inside the text
  (see QUOTE_ELEMENT), citations with `refersTo` their source.

Output is deterministic for a given speech version (no generation clock), so the ETag holds.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote as urlquote
from xml.etree import ElementTree as ET

from app.services.exports.fields import FIELDS, chinese_date, display, xml_safe
from app.services.exports.shapes import ExportParagraph, ExportQuote, ExportSection, SpeechExport

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
COUNTRY = "cn"
LANGUAGE = "zho"
# Elements with mixed content: never indented inside, whitespace there would be text.
# Quotes are marked with embeddedText ("an extract from another document"): the OASIS 3.0 schema
# allows quotedText only inside <mod> (amendments), so quotedText in a <p> would not validate.
QUOTE_ELEMENT = "embeddedText"
_INLINE_HOLDERS = {"p", "num", "heading", "docTitle", QUOTE_ELEMENT}


def _el(parent: ET.Element, tag: str, text: str | None = None, /, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    el.text = text
    return el


def work_date(doc: SpeechExport) -> date:
    m = doc.metadata
    return m.delivered_on or m.written_on or m.published_on or doc.created_at.date()


def work_uri(doc: SpeechExport) -> str:
    return f"/akn/{COUNTRY}/doc/speech/{work_date(doc).isoformat()}/{doc.slug}"


def _identification(meta: ET.Element, doc: SpeechExport) -> None:
    work, day = work_uri(doc), work_date(doc).isoformat()
    expression = f"{work}/{LANGUAGE}@v{doc.version}"
    ident = _el(meta, "identification", source="#jianghua")
    w = _el(ident, "FRBRWork")
    _el(w, "FRBRthis", value=f"{work}/!main")
    _el(w, "FRBRuri", value=work)
    _el(w, "FRBRdate", date=day, name="delivery" if doc.metadata.delivered_on else "work")
    _el(w, "FRBRauthor", href="#speaker" if doc.metadata.speaker else "#jianghua")
    _el(w, "FRBRcountry", value=COUNTRY)
    _el(w, "FRBRsubtype", value="speech")
    if doc.metadata.document_number:
        _el(w, "FRBRnumber", value=doc.metadata.document_number)
    if doc.metadata.title:
        _el(w, "FRBRname", value=display(doc.metadata.title))
    e = _el(ident, "FRBRExpression")
    _el(e, "FRBRthis", value=f"{expression}/!main")
    _el(e, "FRBRuri", value=expression)
    _el(e, "FRBRdate", date=doc.updated_at.date().isoformat(), name="version")
    _el(e, "FRBRauthor", href="#jianghua")
    _el(e, "FRBRversionNumber", value=str(doc.version))
    _el(e, "FRBRlanguage", language=LANGUAGE)
    m = _el(ident, "FRBRManifestation")
    _el(m, "FRBRthis", value=f"{expression}/!main.xml")
    _el(m, "FRBRuri", value=f"{expression}.akn")
    _el(m, "FRBRdate", date=doc.updated_at.date().isoformat(), name="generation")
    _el(m, "FRBRauthor", href="#jianghua")
    _el(m, "FRBRformat", value="application/akn+xml")


def _sources(doc: SpeechExport) -> dict[str, str]:
    """Citation source -> the eId of its TLCConcept, in order of first appearance."""
    found: dict[str, str] = {}
    for q in doc.quotes:
        if q.source and q.source not in found:
            found[q.source] = f"source_{len(found) + 1}"
    return found


def _meta(root: ET.Element, doc: SpeechExport) -> None:
    m = doc.metadata
    meta = _el(root, "meta")
    _identification(meta, doc)
    if m.published_on:
        _el(
            meta,
            "publication",
            date=m.published_on.isoformat(),
            name="发布",
            showAs=display(m.publisher) or "发布",
            **({"number": m.document_number} if m.document_number else {}),
        )
    if m.topic or m.keywords:
        classification = _el(meta, "classification", source="#jianghua")
        if m.topic:
            _el(classification, "keyword", value=m.topic, showAs=m.topic, dictionary="#topic")
        for word in m.keywords:
            _el(classification, "keyword", value=word, showAs=word, dictionary="#keywords")
    refs = _el(meta, "references", source="#jianghua")
    _el(refs, "TLCOrganization", eId="jianghua", href="/ontology/organization/jianghua", showAs="Jianghua")
    if m.speaker:
        _el(refs, "TLCPerson", eId="speaker", href=_ontology("person", m.speaker), showAs=display(m.speaker))
    if m.publisher:
        _el(
            refs,
            "TLCOrganization",
            eId="publisher",
            href=_ontology("organization", m.publisher),
            showAs=m.publisher,
        )
    if m.occasion:
        _el(refs, "TLCEvent", eId="occasion", href=_ontology("event", m.occasion), showAs=display(m.occasion))
    if m.place:
        _el(refs, "TLCLocation", eId="place", href=_ontology("location", m.place), showAs=m.place)
    _el(refs, "TLCConcept", eId="topic", href="/ontology/concept/jianghua/topic", showAs="主题分类")
    _el(refs, "TLCConcept", eId="keywords", href="/ontology/concept/jianghua/keywords", showAs="主题词")
    for source, eid in _sources(doc).items():
        _el(refs, "TLCConcept", eId=eid, href=_ontology("concept", source), showAs=source)


def _ontology(kind: str, name: str) -> str:
    return f"/ontology/{kind}/jianghua/{urlquote(' '.join(name.split()), safe='')}"


def _preface(root: ET.Element, doc: SpeechExport) -> None:
    m = doc.metadata
    preface = _el(root, "preface")
    _el(_el(preface, "p", class_="title"), "docTitle", display(m.title or doc.slug))
    box = _el(preface, "container", name="metadata")
    for name, label, always in FIELDS[1:]:
        value = getattr(m, name)
        if not (always or value):
            continue
        p = _el(box, "p", f"{label}：", class_=name)
        if not value:
            continue
        if isinstance(value, date):
            _el(p, "docDate", chinese_date(value), date=value.isoformat(), class_=name)
        elif name == "publisher":
            _el(p, "docAuthority", display(value), refersTo="#publisher")
        elif name == "document_number":
            _el(p, "docNumber", display(value))
        elif name == "speaker":
            _el(p, "person", display(value), refersTo="#speaker")
        elif name == "occasion":
            _el(p, "event", display(value), refersTo="#occasion")
        elif name == "place":
            _el(p, "location", display(value), refersTo="#place")
        else:
            p.text = f"{label}：{display(value)}"


class _Marker:
    """Writes text with quotes as nested QUOTE_ELEMENTs (partial overlaps are left unmarked)."""

    def __init__(self, text: str, quotes: list[ExportQuote], sources: dict[str, str]) -> None:
        self.text = text
        self.quotes = sorted(quotes, key=lambda q: (q.span[0], -q.span[1], q.id))
        self.sources = sources

    def fill(self, el: ET.Element, start: int, end: int) -> None:
        inside = [q for q in self.quotes if start <= q.span[0] and q.span[1] <= end]
        self._fill(el, start, end, inside)

    def _fill(self, el: ET.Element, start: int, end: int, quotes: list[ExportQuote]) -> None:
        pos, last = start, el
        el.text = ""
        while quotes:
            q = quotes.pop(0)
            if q.span[0] < pos:
                continue  # overlaps the previous quote without nesting in it
            nested = [n for n in quotes if n.span[1] <= q.span[1] and n.span != q.span]
            quotes = [n for n in quotes if n.span[0] >= q.span[1]]
            self._append(el, last, self.text[pos : q.span[0]])
            attrs = {"class": q.kind}
            if q.source and q.source in self.sources:
                attrs["refersTo"] = f"#{self.sources[q.source]}"
            last = ET.SubElement(el, QUOTE_ELEMENT, attrs)
            self._fill(last, q.span[0], q.span[1], nested)
            pos = q.span[1]
        self._append(el, last, self.text[pos:end])

    @staticmethod
    def _append(el: ET.Element, last: ET.Element, text: str) -> None:
        if last is el:
            el.text = (el.text or "") + text
        else:
            last.tail = (last.tail or "") + text


def _section(parent: ET.Element, s: ExportSection, marker: _Marker) -> None:
    h = _el(parent, "hcontainer", name=s.kind, eId=s.eid)
    if s.marker:
        _el(h, "num", s.marker)
    if s.heading:
        heading = _el(h, "heading")
        lo, hi = s.heading_span or s.span
        at = marker.text.find(s.heading, lo, hi)
        if at >= 0:
            marker.fill(heading, at, at + len(s.heading))
        else:
            heading.text = s.heading
    blocks: list[ExportParagraph | ExportSection] = [*s.paragraphs, *s.children]
    for block in sorted(blocks, key=lambda b: b.span[0]):
        if isinstance(block, ExportSection):
            _section(h, block, marker)
        else:
            p = _el(_el(_el(h, "paragraph", eId=block.eid), "content"), "p")
            marker.fill(p, *block.span)


def _indent(el: ET.Element, depth: int = 0) -> None:
    if el.tag in _INLINE_HOLDERS or len(el) == 0:
        return
    pad = "\n" + "  " * (depth + 1)
    el.text = pad
    for child in el:
        _indent(child, depth + 1)
        child.tail = pad
    el[-1].tail = "\n" + "  " * depth


def render(doc: SpeechExport) -> str:
    """The Akoma Ntoso document as a string (UTF-8 when encoded, with an XML declaration)."""
    # Tags are written unqualified under a default namespace declared on the root (ElementTree
    # cannot combine a default namespace with unqualified attributes otherwise).
    root = ET.Element("akomaNtoso", {"xmlns": NS})
    speech = _el(root, "doc", name="speech")
    _meta(speech, doc)
    _preface(speech, doc)
    body = _el(speech, "mainBody")
    marker = _Marker(doc.text, doc.quotes, _sources(doc))
    for section in doc.sections:
        _section(body, section, marker)
    _indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return xml_safe('<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n")
