"""Embeddable quote cards (HTML for iframes on other sites) and their oEmbed endpoint."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api.deps import MAX_ID, SessionDep, no_nul, read_access
from app.api.problems import PROBLEM_RESPONSES, Problem
from app.api.routes.feeds import public_base
from app.repositories import exports as export_repo
from app.repositories.exports import QuoteRow
from app.repositories.search import Filters
from app.services import embeds as embed_service
from app.services import quotes as quote_service

HTML_TYPE = "text/html; charset=utf-8"
# A CSP source expression: 'self' / 'none', *, a scheme (https:), or a host with optional scheme,
# wildcard subdomain, port and path. Anything else (spaces, ; or ,) could rewrite the header.
_SOURCE = re.compile(
    r"^('self'|'none'|\*|[a-z][a-z0-9+.-]*:|([a-z][a-z0-9+.-]*://)?(\*\.)?[a-z0-9.-]+(:(\d+|\*))?(/[^\s;,]*)?)$",
    re.IGNORECASE,
)
READER_PAGE = "/speeches/{speech}"  # the HTML reader (app/web), when it is mounted

router = APIRouter(
    tags=["portals"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Depends(read_access), Depends(no_nul)],
)


def frame_ancestors(request: Request) -> list[str]:
    """JIANGHUA_EMBED_FRAME_ANCESTORS (default: any site), keeping only valid CSP sources."""
    configured: list[str] | None = getattr(request.app.state.settings, "embed_frame_ancestors", None)
    sources = ["*"] if configured is None else configured
    return [s for s in sources if _SOURCE.match(s)]


def section_link(request: Request, row: QuoteRow) -> str:
    """Where a card links back to: JIANGHUA_EMBED_LINK_TEMPLATE ({slug}, {id}, {eid}, {quote_id})
    when set (a portal's own reading page); else the section in this server's reader pages when
    they are served, else the section in the API."""
    template: str | None = getattr(request.app.state.settings, "embed_link_template", None)
    base = public_base(request)
    if not template:
        if any(getattr(route, "path", None) == READER_PAGE for route in request.app.routes):
            return f"{base}/speeches/{row.speech_id}#{row.eid}"
        return f"{base}/api/v1/speeches/{row.slug}/sections/{row.eid}"
    values = {"{slug}": row.slug, "{id}": str(row.speech_id), "{eid}": row.eid, "{quote_id}": str(row.id)}
    for placeholder, value in values.items():
        template = template.replace(placeholder, value)
    return template


async def theme_of(
    theme: Annotated[
        Literal["light", "dark", "auto"], Query(description="auto follows the reader.")
    ] = "light",
    accent: Annotated[
        str, Query(pattern=embed_service.HEX_COLOUR, description="Bar colour, hex: c8102e or #c8102e.")
    ] = "c8102e",
    font: Annotated[Literal["serif", "sans"], Query(description="Typeface.")] = "serif",
    size: Annotated[Literal["s", "m", "l"], Query(description="Text size.")] = "m",
    border: Annotated[bool, Query(description="A thin border around the card.")] = True,
    radius: Annotated[int, Query(ge=0, le=24, description="Corner radius in pixels.")] = 8,
) -> embed_service.Theme:
    return embed_service.Theme(theme=theme, accent=accent, font=font, size=size, border=border, radius=radius)


ThemeDep = Annotated[embed_service.Theme, Depends(theme_of)]
CARD_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A self-contained HTML quote card.",
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
}


def _card(request: Request, row: QuoteRow, theme: embed_service.Theme, card_url: str) -> Response:
    base = public_base(request)
    query = theme.query()
    canonical = card_url + (f"?{query}" if query else "")
    links = embed_service.CardLinks(
        card=canonical,
        section=section_link(request, row),
        oembed=f"{base}/oembed?" + urlencode({"url": canonical, "format": "json"}),
    )
    page, css = embed_service.card_html(row, theme=theme, links=links, base=base)
    ancestors = frame_ancestors(request)
    headers = {
        "Content-Security-Policy": embed_service.csp(css, ancestors),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    if ancestors in (["'self'"], ["'none'"]):  # for browsers that predate frame-ancestors
        headers["X-Frame-Options"] = "SAMEORIGIN" if ancestors == ["'self'"] else "DENY"
    return Response(page, media_type=HTML_TYPE, headers=headers)


def _load(session: SessionDep, quote_id: int) -> QuoteRow:
    rows = export_repo.quote_rows(session=session, ids=[quote_id])
    if not rows:
        raise Problem("not-found", f"No quote {quote_id}.")
    return rows[0]


def _random(session: SessionDep, kind: str | None, seed: str | None) -> QuoteRow:
    picked = quote_service.sample(session=session, q=None, filters=Filters(kind=kind), limit=1, seed=seed)
    if not picked:
        raise Problem("not-found", "No quote matches.")
    return _load(session, picked[0].id)


Kind = Annotated[Literal["citation", "term", "golden"] | None, Query(description="citation, term or golden.")]
Seed = Annotated[str | None, Query(description="Same seed, same quote (e.g. today's date).", max_length=64)]


@router.get(
    "/embed/quotes/random", summary="A random quote card", response_class=Response, responses=CARD_DOC
)
def read_random_card(
    request: Request, session: SessionDep, theme: ThemeDep, kind: Kind = None, seed: Seed = None
) -> Response:
    """A card for a random quote (kind=golden for 金句); the same seed gives the same quote."""
    row = _random(session, kind, seed)
    response = _card(request, row, theme, f"{public_base(request)}/embed/quotes/{row.id}")
    if seed is None:
        response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/embed/quotes/{quote_id}", summary="A quote card", response_class=Response, responses=CARD_DOC)
def read_card(
    request: Request,
    session: SessionDep,
    theme: ThemeDep,
    quote_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The quote's id.")],
) -> Response:
    """A small accessible HTML card: the quote, who said it, where and when, and a link back."""
    return _card(request, _load(session, quote_id), theme, f"{public_base(request)}/embed/quotes/{quote_id}")


@router.get(
    "/oembed",
    summary="oEmbed for quote cards",
    response_class=Response,
    responses={
        200: {
            "description": "An oEmbed 1.0 rich answer (JSON or XML).",
            "content": {"application/json": {}, "text/xml": {}},
        }
    },
)
def read_oembed(
    request: Request,
    session: SessionDep,
    url: Annotated[
        str, Query(description="A card URL: …/embed/quotes/{id} (theme parameters kept).", max_length=2048)
    ],
    format: Annotated[Literal["json", "xml"], Query(description="json or xml.")] = "json",
    maxwidth: Annotated[
        int | None, Query(ge=100, le=4000, description="Widest iframe the consumer takes.")
    ] = None,
    maxheight: Annotated[
        int | None, Query(ge=50, le=4000, description="Tallest iframe the consumer takes.")
    ] = None,
) -> Response:
    """The iframe HTML a content system embeds for a quote card URL (oEmbed 1.0, type rich)."""
    base = public_base(request)
    try:
        ref = embed_service.parse_card_url(base, url)
    except embed_service.NotACard as exc:
        raise Problem("not-found", "That URL is not a quote card of this server.") from exc
    except ValueError as exc:  # pydantic's ValidationError is a ValueError too
        raise Problem("bad-request", "The card URL has invalid parameters.") from exc
    row = _random(session, ref.kind, ref.seed) if ref.quote_id is None else _load(session, ref.quote_id)
    answer = embed_service.oembed(row, src=ref.src(base), base=base, maxwidth=maxwidth, maxheight=maxheight)
    if format == "xml":
        return Response(embed_service.oembed_xml(answer), media_type="text/xml; charset=utf-8")
    return Response(embed_service.oembed_json(answer), media_type="application/json")
