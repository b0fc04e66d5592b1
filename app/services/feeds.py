"""Atom 1.0 feeds (RFC 4287) of new speeches and new quotes, and the OpenSearch description.

Feeds are rendered from stored data only (no clock): the feed's `updated` is its newest entry's,
so the same data gives the same bytes and conditional GETs answer 304.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from sqlmodel import Session

from app import __version__
from app.models import Speech
from app.repositories import exports as export_repo
from app.repositories import search as search_repo
from app.repositories.exports import QuoteRow
from app.services import quotes as quote_service
from app.services.exports.fields import chinese_date, display, xml_safe

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
KIND_LABELS = {"citation": "引用", "term": "提法", "golden": "金句"}
SEARCH_CANDIDATES = 1000


@dataclass(frozen=True, slots=True)
class FeedInfo:
    base: str  # public base URL, no trailing slash
    self_url: str  # this feed's URL as requested (with its filters)
    title: str


def _stamp(value: datetime) -> str:
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(parent: ET.Element, tag: str, text: str | None = None, /, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = text
    return el


def _feed(info: FeedInfo, alternate: str, updated: datetime) -> ET.Element:
    # Unqualified tags under a default namespace declared on the root (as in exports/akn.py).
    root = ET.Element("feed", {"xmlns": ATOM, "{http://www.w3.org/XML/1998/namespace}lang": "zh-CN"})
    _el(root, "id", info.self_url)
    _el(root, "title", info.title)
    _el(root, "updated", _stamp(updated))
    _el(_el(root, "author"), "name", "Jianghua")
    _el(root, "generator", "Jianghua", uri=info.base + "/docs", version=__version__)
    _el(root, "link", rel="self", type="application/atom+xml", href=info.self_url)
    _el(root, "link", rel="alternate", type="application/json", href=alternate)
    _el(
        root,
        "link",
        rel="search",
        type="application/opensearchdescription+xml",
        href=info.base + "/opensearch.xml",
        title="Jianghua",
    )
    return root


def _xml(root: ET.Element) -> str:
    ET.indent(root)  # no mixed content in a feed: indenting cannot change any text
    body = ET.tostring(root, encoding="unicode")
    return xml_safe('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n")


def newest_speeches(
    *, session: Session, speaker: str | None, title: str | None, limit: int
) -> list[tuple[Speech, str | None]]:
    """Live speeches, the most recently stored first, each with its first paragraph."""
    speeches = export_repo.newest_speeches(session=session, speaker=speaker, title=title, limit=limit)
    firsts = export_repo.first_paragraphs(session=session, speech_ids=[s.id for s in speeches if s.id])
    return [(s, firsts.get(s.id or 0)) for s in speeches]


def speeches_atom(entries: Sequence[tuple[Speech, str | None]], info: FeedInfo) -> str:
    updated = max((s.updated_at for s, _ in entries), default=EPOCH, key=_stamp)
    root = _feed(info, info.base + "/api/v1/speeches", updated)
    for speech, first in entries:
        url = f"{info.base}/api/v1/speeches/{speech.slug}"
        entry = _el(root, "entry")
        _el(entry, "id", url)
        _el(entry, "title", display(speech.title) or speech.slug)
        _el(entry, "updated", _stamp(speech.updated_at))
        _el(entry, "published", _stamp(speech.created_at))
        _el(_el(entry, "author"), "name", display(speech.speaker or speech.publisher) or "Jianghua")
        _el(entry, "link", rel="alternate", type="application/json", href=url)
        for key, media in (("md", "text/markdown"), ("akn", "application/akn+xml")):
            _el(entry, "link", rel="alternate", type=media, href=f"{url}/export?format={key}")
        for term, label in (
            (speech.genre, "体裁"),
            (speech.topic, "主题分类"),
            *((k, "主题词") for k in speech.keywords),
        ):
            if term:
                _el(entry, "category", term=term, label=label)
        facts = [
            speech.speaker,
            speech.occasion,
            chinese_date(speech.delivered_on) if speech.delivered_on else None,
        ]
        lead = "，".join(display(f) for f in facts if f)
        summary = "\n".join(part for part in (lead, first or "") if part)
        _el(entry, "summary", summary or display(speech.title) or speech.slug, type="text")
    return _xml(root)


def newest_quotes(
    *, session: Session, q: str | None, kind: str | None, speaker: str | None, limit: int
) -> list[QuoteRow]:
    """Quotes of live speeches, the most recently stored first; with `q`, those matching it."""
    within = None
    if q is not None:
        within, _, _ = quote_service.list_ids(
            session=session,
            q=q,
            filters=search_repo.Filters(kind=kind),
            sort="date",
            after_id=None,
            offset=0,
            limit=SEARCH_CANDIDATES,
        )
    ids = export_repo.newest_quote_ids(
        session=session, kind=kind, speaker=speaker, within=within, limit=limit
    )
    return export_repo.quote_rows(session=session, ids=ids)


def quote_caption(row: QuoteRow) -> str:
    """Who said it, where and when: 张三，在…的讲话，2024年05月01日."""
    facts = [row.speaker, row.title, chinese_date(row.delivered_on) if row.delivered_on else None]
    return "，".join(display(f) for f in facts if f)


def quotes_atom(rows: Sequence[QuoteRow], info: FeedInfo) -> str:
    updated = max((r.updated_at for r in rows), default=EPOCH, key=_stamp)
    root = _feed(info, info.base + "/api/v1/quotes", updated)
    for row in rows:
        url = f"{info.base}/api/v1/quotes/{row.id}"
        entry = _el(root, "entry")
        _el(entry, "id", url)
        text = display(row.text)
        _el(entry, "title", text if len(text) <= 60 else text[:59] + "…")
        _el(entry, "updated", _stamp(row.updated_at))
        _el(_el(entry, "author"), "name", display(row.speaker) or "Jianghua")
        _el(entry, "link", rel="alternate", type="application/json", href=url)
        _el(entry, "link", rel="alternate", type="text/html", href=f"{info.base}/embed/quotes/{row.id}")
        section = f"{info.base}/api/v1/speeches/{row.slug}/sections/{row.eid}"
        _el(entry, "link", rel="related", type="application/json", href=section)
        _el(entry, "category", term=row.kind, label=KIND_LABELS.get(row.kind, row.kind))
        if row.source:
            _el(entry, "category", term=row.source, label="出处")
        _el(entry, "summary", f"“{text}”——{quote_caption(row)}", type="text")
        _el(entry, "content", row.text, type="text")
    return _xml(root)


def opensearch(base: str) -> str:
    """The OpenSearch 1.1 description of the search endpoints (JSON results and Atom feeds)."""
    root = ET.Element("OpenSearchDescription", {"xmlns": OPENSEARCH})

    def add(tag: str, text: str | None = None, /, **attrs: str) -> None:
        ET.SubElement(root, tag, attrs).text = text

    add("ShortName", "Jianghua 讲话")
    add(
        "Description", "检索讲话全文、章节标题与金句（Jianghua: search official Chinese speeches and quotes）"
    )
    add("Tags", "讲话 金句 政府 speeches quotes")
    add("Url", type="application/json", rel="results", template=base + "/api/v1/search?q={searchTerms}")
    add(
        "Url",
        type="application/atom+xml",
        rel="results",
        template=base + "/feeds/quotes.atom?q={searchTerms}",
    )
    add("Url", type="application/opensearchdescription+xml", rel="self", template=base + "/opensearch.xml")
    add("Query", role="example", searchTerms="劳模")
    add("Language", "zh-CN")
    add("InputEncoding", "UTF-8")
    add("OutputEncoding", "UTF-8")
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
