"""schema.org JSON-LD for catalogues: a speech as a CreativeWork, a quote as a Quotation.

Government fields map to schema.org terms in their usual order: 索引号 and 发文字号 are
`identifier`s (PropertyValue with the Chinese label as propertyID), 发布机构 the `publisher`
(GovernmentOrganization), 主题分类 `about` (a DefinedTerm), 成文日期 `dateCreated`, 发布日期
`datePublished`, 主题词 `keywords`. The speech itself is `recordedAt` an Event (场合, 讲话日期, 地点).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from app.repositories.exports import QuoteRow
from app.services.exports.shapes import SpeechExport

CONTEXT = "https://schema.org"
LANGUAGE = "zh-CN"
# Media types of the exports a catalogue can fetch, by `format` value.
EXPORT_MEDIA = {
    "json": "application/json",
    "md": "text/markdown",
    "txt": "text/plain",
    "akn": "application/akn+xml",
}


def _prune(value: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in value.items() if v not in (None, [], {}, "")}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def speech_url(base: str, slug: str) -> str:
    return f"{base}/api/v1/speeches/{slug}"


def speech(doc: SpeechExport, *, base: str) -> dict[str, Any]:
    """The speech's metadata as a schema.org CreativeWork (a JSON-LD document)."""
    m, url = doc.metadata, speech_url(base, doc.slug)
    identifiers = [
        {"@type": "PropertyValue", "propertyID": label, "value": value}
        for label, value in (("索引号", m.index_number), ("发文字号", m.document_number))
        if value
    ]
    event = _prune(
        {
            "@type": "Event",
            "name": m.occasion,
            "startDate": _iso(m.delivered_on),
            "location": {"@type": "Place", "name": m.place} if m.place else None,
        }
    )
    return _prune(
        {
            "@context": CONTEXT,
            "@type": "CreativeWork",
            "@id": url,
            "url": url,
            "name": m.title,
            "alternativeHeadline": m.subtitle,
            "identifier": identifiers,
            "publisher": {"@type": "GovernmentOrganization", "name": m.publisher} if m.publisher else None,
            "about": (
                {"@type": "DefinedTerm", "name": m.topic, "inDefinedTermSet": "主题分类"} if m.topic else None
            ),
            "dateCreated": _iso(m.written_on),
            "datePublished": _iso(m.published_on),
            "keywords": m.keywords,
            "genre": m.genre,
            "author": {"@type": "Person", "name": m.speaker} if m.speaker else None,
            "recordedAt": event if len(event) > 1 else None,
            "isBasedOn": m.source_url,
            "inLanguage": LANGUAGE,
            "version": str(doc.version),
            "dateModified": doc.updated_at.isoformat(),
            "encoding": [
                {"@type": "MediaObject", "encodingFormat": media, "contentUrl": f"{url}/export?format={key}"}
                for key, media in EXPORT_MEDIA.items()
            ],
        }
    )


def quotation(row: QuoteRow, *, base: str, card_url: str, section_url: str) -> dict[str, Any]:
    """A quote as a schema.org Quotation, part of its speech (a CreativeWork)."""
    work = _prune(
        {
            "@type": "CreativeWork",
            "@id": speech_url(base, row.slug),
            "name": row.title,
            "author": {"@type": "Person", "name": row.speaker} if row.speaker else None,
            "recordedAt": _prune(
                {"@type": "Event", "name": row.occasion, "startDate": _iso(row.delivered_on)}
            )
            if row.occasion or row.delivered_on
            else None,
        }
    )
    return _prune(
        {
            "@context": CONTEXT,
            "@type": "Quotation",
            "@id": card_url,
            "text": row.text,
            "inLanguage": LANGUAGE,
            "spokenByCharacter": {"@type": "Person", "name": row.speaker} if row.speaker else None,
            "citation": {"@type": "CreativeWork", "name": row.source} if row.source else None,
            "isPartOf": work,
            "url": section_url,
        }
    )


def script_json(value: dict[str, Any]) -> str:
    """JSON safe inside an HTML <script> element: no `<`, `>` or `&` can end or open anything."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
