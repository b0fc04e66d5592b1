"""Quote cards for other sites: a small self-contained HTML page per quote, and its oEmbed answer.

The card has no script and loads nothing: its only style is inline (allowed by a hash in the
Content-Security-Policy), its JSON-LD is a data block. Every piece of stored text is escaped with
html.escape; theme values are validated before they reach the CSS (hex colours, fixed keywords).
The markup is polyglot (well-formed as XML too), which is how the tests check it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
from dataclasses import dataclass
from html import escape
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit
from xml.etree import ElementTree as ET

from pydantic import BaseModel, Field, field_validator

from app.repositories.exports import QuoteRow
from app.services.exports import jsonld
from app.services.exports.fields import chinese_date, display, xml_safe
from app.services.feeds import KIND_LABELS

HEX_COLOUR = r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
# (background, text, secondary text): each text colour has at least 7:1 contrast on its background.
PALETTES = {
    "light": ("#ffffff", "#1f2328", "#4d555e"),
    "dark": ("#0d1117", "#e6edf3", "#aab3bd"),
}
FONTS = {
    "serif": '"Noto Serif SC", "Source Han Serif SC", "Songti SC", SimSun, serif',
    "sans": '"Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif',
}
SIZES = {"s": "1rem", "m": "1.125rem", "l": "1.375rem"}
DEFAULT_WIDTH = 560


class Theme(BaseModel):
    """How a card looks; every value is checked, so none can inject CSS or markup."""

    theme: Literal["light", "dark", "auto"] = Field("light", description="auto follows the reader's setting.")
    accent: str = Field("c8102e", pattern=HEX_COLOUR, description="Bar colour, hex: c8102e or #c8102e.")
    font: Literal["serif", "sans"] = "serif"
    size: Literal["s", "m", "l"] = Field("m", description="Text size.")
    border: bool = Field(True, description="Draw a thin border around the card.")
    radius: int = Field(8, ge=0, le=24, description="Corner radius in pixels.")

    @field_validator("accent")
    @classmethod
    def _bare_hex(cls, value: str) -> str:
        return value.lstrip("#").lower()

    def query(self) -> str:
        """The non-default settings as a query string (for iframe URLs), in a fixed order."""
        defaults = Theme()
        pairs = [
            (name, str(value).lower() if isinstance(value, bool) else str(value))
            for name, value in self.model_dump().items()
            if value != getattr(defaults, name)
        ]
        return urlencode(pairs)


class NotACard(ValueError):
    """The URL is not a quote card of this server."""


@dataclass(frozen=True, slots=True)
class CardRef:
    """What a card URL names: one quote, or a random one (of a kind, with a seed), and a theme."""

    quote_id: int | None  # None: random
    kind: str | None
    seed: str | None
    theme: Theme

    def src(self, base: str) -> str:
        """The URL to put in an iframe for this card (for a random card: stays random)."""
        if self.quote_id is not None:
            path, query = f"/embed/quotes/{self.quote_id}", ""
        else:
            path = "/embed/quotes/random"
            query = urlencode([(k, v) for k, v in (("kind", self.kind), ("seed", self.seed)) if v])
        query = "&".join(q for q in (query, self.theme.query()) if q)
        return base + path + (f"?{query}" if query else "")


_CARD_PATH = re.compile(r"^/embed/quotes/(\d+|random)$|^/api/v1/quotes/(\d+)$")
KINDS = ("citation", "term", "golden")


def parse_card_url(base: str, url: str) -> CardRef:
    """The card a URL of this server names (…/embed/quotes/{id} or /random, …/api/v1/quotes/{id}).
    Raises NotACard for any other URL, ValueError for invalid theme parameters or kind."""
    mine, parts = urlsplit(base), urlsplit(url)
    same_origin = (parts.scheme, parts.netloc) == (mine.scheme, mine.netloc)
    prefix = mine.path.rstrip("/")
    match = _CARD_PATH.match(parts.path.removeprefix(prefix)) if parts.path.startswith(prefix) else None
    if not same_origin or match is None:
        raise NotACard(url)
    params = dict(parse_qsl(parts.query))
    theme = Theme.model_validate({k: v for k, v in params.items() if k in Theme.model_fields})
    ident = match.group(1) or match.group(2)
    if ident != "random":
        return CardRef(quote_id=int(ident), kind=None, seed=None, theme=theme)
    kind = params.get("kind")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    return CardRef(quote_id=None, kind=kind, seed=params.get("seed"), theme=theme)


@dataclass(frozen=True, slots=True)
class CardLinks:
    card: str  # this card's canonical URL
    section: str  # where the quote sits (link back)
    oembed: str  # the oEmbed answer for this card


def _palette(name: str, selector: str) -> str:
    bg, fg, muted = PALETTES[name]
    return f"{selector}{{--jh-bg:{bg};--jh-fg:{fg};--jh-muted:{muted}}}"


def stylesheet(theme: Theme) -> str:
    accent = "#" + theme.accent
    palette = _palette("dark" if theme.theme == "dark" else "light", ":root")
    if theme.theme == "auto":
        palette += "@media (prefers-color-scheme: dark){" + _palette("dark", ":root") + "}"
    border = "1px solid rgba(128,128,128,.35)" if theme.border else "0"
    return (
        palette + f":root{{--jh-accent:{accent};--jh-radius:{theme.radius}px;--jh-size:{SIZES[theme.size]}}}"
        "html,body{margin:0;padding:0;background:transparent}"
        f"body{{font-family:{FONTS[theme.font]};color:var(--jh-fg)}}"
        f".jh-card{{margin:0;padding:1rem 1.25rem;background:var(--jh-bg);border:{border};"
        "border-left:4px solid var(--jh-accent);border-radius:var(--jh-radius)}"
        ".jh-card blockquote{margin:0}"
        ".jh-card blockquote p{margin:0;font-size:var(--jh-size);line-height:1.75}"
        ".jh-card figcaption{margin-top:.75rem;font-size:.875rem;line-height:1.6;color:var(--jh-muted)}"
        ".jh-card a{color:var(--jh-fg);text-decoration:underline;text-underline-offset:2px}"
        ".jh-card a:focus-visible{outline:2px solid var(--jh-fg);outline-offset:2px}"
        ".jh-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;"
        "clip:rect(0 0 0 0);white-space:nowrap;border:0}"
    )


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this inline style."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def csp(css: str, frame_ancestors: list[str]) -> str:
    ancestors = " ".join(frame_ancestors) or "'none'"
    return (
        f"default-src 'none'; style-src {style_hash(css)}; img-src 'none'; base-uri 'none'; "
        f"form-action 'none'; frame-ancestors {ancestors}"
    )


def card_title(row: QuoteRow) -> str:
    text = display(row.text)
    short = text if len(text) <= 30 else text[:29] + "…"
    return f"“{short}”——{display(row.speaker)}" if row.speaker else f"“{short}”"


def card_html(row: QuoteRow, *, theme: Theme, links: CardLinks, base: str) -> tuple[str, str]:
    """The card page and its stylesheet (whose hash the Content-Security-Policy must allow)."""
    css = stylesheet(theme)
    data = jsonld.quotation(row, base=base, card_url=links.card, section_url=links.section)
    where = "".join(f"{p}" for p in (row.section_marker or "", row.section_heading or ""))
    title = f"《{display(row.title)}》" if row.title else display(row.slug)
    parts = []
    if row.speaker:
        parts.append(f'<span class="jh-speaker">{escape(display(row.speaker))}</span>')
    if row.source:
        parts.append(f'<span class="jh-source">引自{escape(display(row.source))}</span>')
    if row.occasion:
        parts.append(f'<span class="jh-occasion">{escape(display(row.occasion))}</span>')
    if row.delivered_on:
        day = row.delivered_on
        parts.append(f'<time datetime="{day.isoformat()}">{chinese_date(day)}</time>')
    link_text = escape(title + (f" · {display(where)}" if where else ""))
    parts.append(
        f'<a href="{escape(links.section)}" target="_blank" rel="noopener noreferrer">{link_text}'
        '<span class="jh-hidden">（在新窗口打开）</span></a>'
    )
    kind = escape(KIND_LABELS.get(row.kind, row.kind))
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{escape(card_title(row))}</title>
<link rel="canonical" href="{escape(links.card)}" />
<link rel="alternate" type="application/json+oembed" href="{escape(links.oembed)}" title="{escape(card_title(row))}" />
<style>{css}</style>
<script type="application/ld+json">{jsonld.script_json(data)}</script>
</head>
<body>
<main>
<h1 id="jh-kind" class="jh-hidden">{kind}</h1>
<figure class="jh-card jh-{escape(row.kind)}" aria-labelledby="jh-kind">
<blockquote cite="{escape(links.section)}"><p>{escape(row.text)}</p></blockquote>
<figcaption>{"，".join(parts)}</figcaption>
</figure>
</main>
</body>
</html>
"""
    return xml_safe(page), css


def card_size(row: QuoteRow, *, maxwidth: int | None, maxheight: int | None) -> tuple[int, int]:
    """A width and a height that fit the card's text, within the consumer's limits."""
    width = min(DEFAULT_WIDTH, maxwidth or DEFAULT_WIDTH)
    per_line = max(8, (width - 48) // 19)  # about 19px per character at the default size
    height = 120 + 30 * math.ceil(len(row.text) / per_line)
    return width, min(height, maxheight) if maxheight else height


def oembed(
    row: QuoteRow, *, src: str, base: str, maxwidth: int | None, maxheight: int | None
) -> dict[str, Any]:
    """The oEmbed 1.0 answer (type rich): an iframe of the card, sandboxed, without scripts."""
    width, height = card_size(row, maxwidth=maxwidth, maxheight=maxheight)
    title = card_title(row)
    html = (
        f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
        'loading="lazy" referrerpolicy="strict-origin-when-cross-origin" '
        'sandbox="allow-popups allow-popups-to-escape-sandbox" style="border:0;max-width:100%"></iframe>'
    )
    answer: dict[str, Any] = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "Jianghua",
        "provider_url": base + "/",
        "cache_age": 3600,
        "html": html,
        "width": width,
        "height": height,
    }
    if row.speaker:
        answer["author_name"] = display(row.speaker)
    return answer


def oembed_json(answer: dict[str, Any]) -> str:
    return json.dumps(answer, ensure_ascii=False, separators=(",", ":"))


def oembed_xml(answer: dict[str, Any]) -> str:
    """The XML form of an oEmbed answer: <oembed> with one element per field."""
    root = ET.Element("oembed")
    for name, value in answer.items():
        ET.SubElement(root, name).text = str(value)
    return xml_safe(
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n' + ET.tostring(root, encoding="unicode")
    )
