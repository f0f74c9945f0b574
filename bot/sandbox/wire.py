"""Reading Web API arguments off the wire the ways Slack accepts them."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

JSON_STRING_ARGUMENTS = frozenset({"blocks", "attachments", "view", "files", "metadata"})
"""Arguments Slack takes as JSON text inside a form or query; decoded so they can be checked and recorded."""


def _form(text: str) -> dict[str, Any]:
    return dict(parse_qsl(text, keep_blank_values=True))


def _multipart(content_type: str, body: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message: EmailMessage = BytesParser(policy=HTTP).parsebytes(head + body)
    out: dict[str, Any] = {}
    for part in message.iter_parts() if message.is_multipart() else []:
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""
        out[str(name)] = payload if part.get_filename() else payload.decode("utf-8", "replace")
    return out


def parse_arguments(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Query string, then the body (form, multipart or JSON) on top; JSON-in-string arguments decoded."""
    args: dict[str, Any] = _form(query)
    kind = content_type.split(";", 1)[0].strip().lower()
    if body:
        if kind == "application/json":
            decoded = json.loads(body.decode("utf-8"))
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            args.update(decoded)
        elif kind == "multipart/form-data":
            args.update(_multipart(content_type, body))
        else:
            args.update(_form(body.decode("utf-8")))
    for name in JSON_STRING_ARGUMENTS & args.keys():
        value = args[name]
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            with contextlib.suppress(json.JSONDecodeError):
                args[name] = json.loads(value)
    return args


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return None


def basic_credentials(authorization: str | None) -> tuple[str, str] | None:
    if not authorization or not authorization.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(authorization[6:].strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password
