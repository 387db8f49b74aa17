"""The OpenAPI pages, `/docs` (Swagger UI) and `/redoc`, with their scripts served from this server.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they are blank without internet. The
assets come from the fastapi-offline package (pinned; Swagger UI is Apache-2.0, ReDoc MIT).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from ..web.render import asset

ASSETS_URL = "/static/api-docs"
REDOC_BUNDLE = "redoc.standalone.js"
# ReDoc's bundle has one address of another host that it loads by itself: the Redocly logo in its
# side menu, from Redocly's CDN, with no option to turn it off. Served with the address emptied,
# the image fails at once without a request and ReDoc leaves it out.
REDOC_OUTSIDE_LOGO = b'"https://cdn.redoc.ly/redoc/logo-mini.svg"'
router = APIRouter(include_in_schema=False)

# Both pages run one inline script or style of their own; everything else comes from this server.
DOCS_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


def assets_dir() -> str:
    return str(resources.files("fastapi_offline") / "static")


@lru_cache(maxsize=1)
def redoc_bundle() -> bytes:
    bundle = (resources.files("fastapi_offline") / "static" / REDOC_BUNDLE).read_bytes()
    return bundle.replace(REDOC_OUTSIDE_LOGO, b'""')


def _with_headers(response: HTMLResponse) -> HTMLResponse:
    response.headers.update(DOCS_HEADERS)
    return response


@router.get("/docs", response_class=HTMLResponse)
async def swagger_ui() -> HTMLResponse:
    return _with_headers(
        get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="numcheck API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=asset("favicon.svg"),
            # Swagger UI would otherwise send the schema to an outside validator for its badge.
            swagger_ui_parameters={"validatorUrl": None},
        )
    )


@router.get("/redoc", response_class=HTMLResponse)
async def redoc() -> HTMLResponse:
    return _with_headers(
        get_redoc_html(
            openapi_url="/openapi.json",
            title="numcheck API",
            redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=asset("favicon.svg"),
            with_google_fonts=False,
        )
    )


# Registered before the assets' mount, so it answers for that one file.
@router.get(f"{ASSETS_URL}/{REDOC_BUNDLE}")
async def redoc_script() -> Response:
    return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8")


def install_docs(app: FastAPI) -> None:
    """The docs routes; the app must be made with `docs_url=None, redoc_url=None`."""
    app.include_router(router)
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="api-docs")
