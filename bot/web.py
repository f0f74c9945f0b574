"""The WSGI application: Slack's events endpoint, OAuth routes (through Bolt) and a health check.

`POST /slack/events` passes an early gate before Bolt sees it. Bolt's `BoltRequest` parses the body
(JSON, form fields, the `payload=` JSON) and reads team, user and channel ids out of it in its
constructor, *before* its request-verification middleware checks the signature, and Bolt's WSGI adapter
decodes the bytes as UTF-8 and trusts `Content-Length` without limit. So here, in order:

1. the body size is capped (413) and read as bytes;
2. the signature is verified on those bytes (401, and nothing about the body is logged);
3. only then is the body decoded and parsed, and a body that is not a JSON object of the shape Bolt's
   own middleware reads is refused (400);
4. Bolt dispatches it (its own signature verification still runs), and a 5xx from a failing listener
   is answered politely instead.

Every other route (the OAuth `GET /slack/install` and `/slack/oauth_redirect`, 404s) goes to Bolt's
WSGI handler unchanged, except that their (unused) request body is not read.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request.internals import build_context
from slack_sdk.signature import SignatureVerifier

from bot.request_guard import envelope_problem
from bot.slack_reachability import watching

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1024 * 1024
"""Slack's payloads are a few kilobytes; a modal's full state stays well under this."""
DRAIN_LIMIT = 8 * MAX_BODY_BYTES
"""An oversized body up to this size is read and discarded, so the client gets the 413 cleanly."""

_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

SORRY = "Sorry, something went wrong on our side and nothing was changed. Please try again in a moment."
SLACK_DOWN = (
    "Slack isn't answering me right now, so I couldn't do that and nothing was changed. "
    "Please try again in a few minutes."
)


def sorry_modal(text: str = SORRY) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Mentor Circles"},
        "close": {"type": "plain_text", "text": "Close"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


SORRY_MODAL = sorry_modal()


class WebApplication:
    def __init__(
        self,
        app: App,
        health_check: Callable[[], None],
        *,
        signing_secret: str | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.app = app
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.health_check = health_check
        self.max_body_bytes = max_body_bytes
        # Bolt keeps the secret it was built with only privately; it verifies with the same one.
        secret = signing_secret if signing_secret is not None else getattr(app, "_signing_secret", "")
        self.verifier = SignatureVerifier(secret) if secret and secret.strip() else None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self.healthz(start_response)
        if path == EVENTS_PATH and method == "POST":
            return self.events(environ, start_response)
        # OAuth routes are GETs whose body nobody reads; Bolt's adapter would decode it (and crash on a
        # bad Content-Length or non-UTF-8 bytes), so it gets none.
        return self.slack({**environ, "CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(b"")}, start_response)

    # -- POST /slack/events ---------------------------------------------------------------------------

    def events(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        length = _content_length(environ)
        if length is None:
            logger.info("refused a request with an unreadable Content-Length")
            return _plain(start_response, 400, "Bad Request")
        if length > self.max_body_bytes:
            logger.info("refused a %d-byte request body (the limit is %d)", length, self.max_body_bytes)
            _drain(environ, length)
            return _plain(start_response, 413, "Payload Too Large")
        raw = environ["wsgi.input"].read(length) if length else b""

        text = self._verified_text(
            raw, environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"), environ.get("HTTP_X_SLACK_SIGNATURE")
        )
        if text is None:
            logger.info("refused a request with a missing or invalid Slack signature")
            return _respond(start_response, BoltResponse(status=401, body={"error": "invalid request"}))

        try:
            request = BoltRequest(
                body=text,
                query=environ.get("QUERY_STRING", ""),
                headers=WsgiHttpRequest(environ).get_headers(),
            )
        except Exception as error:  # Bolt parses and reads ids while constructing
            logger.warning(
                "refused a signed request whose body could not be parsed (%s)", type(error).__name__
            )
            return _plain(start_response, 400, "Bad Request")
        _reparse_form_without_payload(request)
        problem = envelope_problem(request.body)
        if problem is not None:
            logger.warning("refused a signed request: %s", problem)
            return _plain(start_response, 400, "Bad Request")

        try:
            with watching() as reach:
                response = self.app.dispatch(request)
        except Exception as error:
            # Bolt catches listener and middleware errors, but building its error handler's arguments
            # can raise again (it reads the payload the same way), and then dispatch() raises.
            logger.error("dispatching a request failed (%s)", type(error).__name__, exc_info=error)
            response = BoltResponse(status=500, body="")
        if response.status >= 500 and _is_from_a_person(request.body):
            logger.warning(
                "answered a failed %s politely instead of with %d", _kind(request.body), response.status
            )
            response = _polite(request.body, SLACK_DOWN if reach.unreachable else SORRY)
        return _respond(start_response, response)

    def _verified_text(self, raw: bytes, timestamp: str | None, signature: str | None) -> str | None:
        """The body as text when Slack's signature over `v0:{timestamp}:{body}` is valid, else None."""
        if self.verifier is None or not timestamp or not signature:
            return None
        # SignatureVerifier would raise on these (int() of the timestamp, compare_digest of non-ASCII).
        if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None  # Slack signs UTF-8 text; SignatureVerifier can't verify anything else
        return text if self.verifier.is_valid(text, timestamp, signature) else None

    # -- GET /healthz -----------------------------------------------------------------------------

    def healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            self.health_check()
        except Exception as error:
            logger.warning("health check failed: database unreachable (%s)", type(error).__name__)
            return _json(
                start_response,
                "503 Service Unavailable",
                {"status": "unavailable", "database": "unreachable"},
            )
        return _json(start_response, "200 OK", {"status": "ok", "database": "ok"})


def _content_length(environ: dict[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "0").strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 15:
        return None
    return int(raw)


def _drain(environ: dict[str, Any], length: int) -> None:
    """Read and discard an oversized body (bounded), so the server doesn't reset the connection on it."""
    if length > DRAIN_LIMIT:
        return
    stream, left = environ["wsgi.input"], length
    try:
        while left > 0:
            chunk = stream.read(min(left, 64 * 1024))
            if not chunk:
                return
            left -= len(chunk)
    except OSError:
        return


def _kind(body: dict[str, Any]) -> str:
    if "command" in body and body.get("type") is None:
        return "slash command"
    return str(body.get("type") or "request")[:40]


def _is_from_a_person(body: dict[str, Any]) -> bool:
    """Slash commands and interactivity; Events API failures keep their 5xx so Slack retries them."""
    return body.get("type") != "event_callback"


def _polite(body: dict[str, Any], text: str = SORRY) -> BoltResponse:
    """An acknowledgement for a request whose listener failed: the person sees an apology, not an error."""
    kind = body.get("type")
    if "command" in body and kind is None:
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    if kind == "view_submission":
        return BoltResponse(status=200, body={"response_action": "update", "view": sorry_modal(text)})
    if kind in ("block_suggestion", "dialog_suggestion"):
        return BoltResponse(status=200, body={"options": []})
    return BoltResponse(status=200, body="")


def _respond(start_response: StartResponse, response: BoltResponse) -> Iterable[bytes]:
    wsgi = WsgiHttpResponse(status=response.status, headers=response.headers, body=response.body)
    start_response(wsgi.status, wsgi.get_headers())
    return wsgi.get_body()


def _plain(start_response: StartResponse, status: int, text: str) -> Iterable[bytes]:
    return _respond(
        start_response,
        BoltResponse(status=status, body=text, headers={"content-type": "text/plain;charset=utf-8"}),
    )


def _json(start_response: StartResponse, status: str, payload: dict[str, str]) -> Iterable[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _reparse_form_without_payload(request: BoltRequest) -> None:
    """Bolt reads a form body as an interaction whenever the word "payload" appears anywhere in it, so a
    slash command whose text contains the word arrives empty. Such a body is read as the form it is (the
    raw body, which Bolt's signature check uses, is untouched)."""
    raw = request.raw_body
    if request.body or "payload" not in raw or raw.lstrip().startswith("{"):
        return
    fields = dict(parse_qsl(raw, keep_blank_values=True))
    if "payload" in fields:
        return
    request.body = fields
    request.context = build_context(BoltContext({}), fields)
