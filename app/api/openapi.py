"""Request-body schemas the OpenAPI document must define but FastAPI cannot see.

The write routes read their bodies themselves (text/plain in any encoding, or JSON; merge patches),
so they describe them with `openapi_extra` and `$ref`s to `#/components/schemas/SpeechIn` and
`SpeechMetadata`. FastAPI adds to `components` only the models it parses itself, which would leave
those references dangling: an invalid document for client generators, and bodies that contract
tests cannot generate. `install` adds the models' schemas to `components`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from app.schemas import SpeechIn, SpeechMetadata

REF_TEMPLATE = "#/components/schemas/{model}"
REQUEST_MODELS: tuple[type[BaseModel], ...] = (SpeechIn, SpeechMetadata)


def request_schemas() -> dict[str, Any]:
    """Component name -> JSON schema of every request model (and the models they nest)."""
    _, top = models_json_schema([(m, "validation") for m in REQUEST_MODELS], ref_template=REF_TEMPLATE)
    defs: dict[str, Any] = top.get("$defs", {})
    return defs


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in request_schemas().items():
                schemas.setdefault(name, schema)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
