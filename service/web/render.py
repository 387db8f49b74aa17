"""The templates, loaded once, and the URLs of the static files they link."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import __version__
from . import format as fmt

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
STATIC_URL = "/static"


@lru_cache(maxsize=64)
def asset(name: str) -> str:
    """A static file's URL, with a digest of its content so browsers never keep a stale copy."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"{STATIC_URL}/{name}?v={digest}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(asset=asset, version=__version__, kind_label=fmt.kind_label)
    env.filters["number"] = fmt.number
    env.filters["code_spans"] = code_spans
    return env


def code_spans(text: str) -> Markup:
    """Text whose `backquoted` parts (commands, in the store's messages) are shown as code."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an unmatched backquote: nothing to pair it with
        return Markup.escape(text)
    return Markup("").join(
        Markup("<code>{}</code>").format(part) if n % 2 else Markup.escape(part)
        for n, part in enumerate(parts)
    )


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
