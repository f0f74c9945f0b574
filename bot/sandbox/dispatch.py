"""The Web API's request pipeline: method check, injected faults, auth, rate limits, arguments, handler."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .blockkit import MESSAGE_TEXT_MAX, validate_message
from .errors import ApiError, invalid_arguments
from .faults import Fault, FaultInjector
from .methods import METHODS, MethodContext
from .models import Call, TokenInfo
from .rate_limits import RateLimiter, RateLimits
from .spec import WebApiSpec
from .state import SandboxState

log = logging.getLogger(__name__)

SPECIFIC_ERRORS = {("chat.postMessage", "text"), ("chat.postEphemeral", "text")}
"""(method, argument) pairs whose absence Slack reports with its own error rather than invalid_arguments."""


@dataclass
class Reply:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes, str]:
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


@dataclass
class Request:
    method: str
    args: dict[str, Any]
    token: str | None
    basic_auth: tuple[str, str] | None = None


class WebApi:
    """Answers Web API calls against a `SandboxState`, recording every one of them."""

    def __init__(
        self,
        state: SandboxState,
        *,
        spec_path: Path | str | None = None,
        rate_limits: RateLimits | None = None,
        timeout_delay: float = 2.0,
    ) -> None:
        self.state = state
        self.spec = WebApiSpec.load(spec_path) if spec_path else None
        if self.spec is None:
            log.warning("Slack sandbox: no Web API spec; only checking the methods it implements")
        self.rate_limiter = RateLimiter(rate_limits or RateLimits())
        self.faults = FaultInjector()
        self.timeout_delay = timeout_delay
        self.socket_url: Callable[[str], str] | None = None

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def rate_limits(self) -> RateLimits:
        return self.rate_limiter.limits

    def knows(self, method: str) -> bool:
        if self.spec is not None:
            return self.spec.knows(method)
        return method in METHODS

    def handle(self, request: Request) -> Reply:
        info = self.state.directory.tokens.get(request.token or "")
        team_id = info.team_id if info else None
        fault = self.faults.take(request.method) if self.knows(request.method) else None
        if fault is not None and fault.kind == "timeout":
            time.sleep(self.timeout_delay)
            reply = self._answer(request, info)
        elif fault is not None:
            reply = self._fault_reply(fault)
        else:
            reply = self._answer(request, info)
        args = {k: v for k, v in request.args.items() if k not in ("token", "client_secret")}
        self.state.record(
            Call(
                method=request.method,
                args=args,
                team_id=team_id,
                token_kind=info.kind if info else None,
                status=reply.status,
                response=reply.body if isinstance(reply.body, dict) else {"body": reply.body},
                at=self.state.clock(),
                injected=fault.label if fault else None,
            )
        )
        return reply

    @staticmethod
    def _fault_reply(fault: Fault) -> Reply:
        if fault.kind == "ratelimited":
            return Reply(429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(fault.retry_after)})
        return Reply(int(fault.kind), {"ok": False, "error": "fatal_error"})

    def _answer(self, request: Request, info: TokenInfo | None) -> Reply:
        if not self.knows(request.method):
            return Reply(404, {"ok": False, "error": "unknown_method", "req_method": request.method})
        spec = METHODS.get(request.method)
        if spec is None:
            messages = [f"[WARN] {request.method} exists in Slack but the sandbox does not implement it"]
            return Reply(
                200, {"ok": False, "error": "not_implemented", "response_metadata": {"messages": messages}}
            )
        try:
            if spec.tokens:
                if not request.token:
                    raise ApiError("not_authed")
                if info is None:
                    raise ApiError("invalid_auth")
                if info.kind not in spec.tokens:
                    raise ApiError("not_allowed_token_type")
            if info is not None and info.team_id is not None:
                retry_after = self.rate_limiter.check(
                    info.team_id, request.method, request.args.get("channel")
                )
                if retry_after is not None:
                    return Reply(
                        429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
                    )
            self._check_required(request)
            context = MethodContext(
                state=self.state,
                method=request.method,
                args=request.args,
                token=info if spec.tokens else None,
                basic_auth=request.basic_auth,
                base_url=self.base_url,
                socket_url=self.socket_url,
            )
            return Reply(200, spec.handler(context))
        except ApiError as error:
            return Reply(200, error.to_body())

    def _check_required(self, request: Request) -> None:
        if self.spec is None:
            return
        missing = [
            name
            for name in self.spec.missing_arguments(request.method, request.args)
            if (request.method, name) not in SPECIFIC_ERRORS
            and not (name in ("client_id", "client_secret") and request.basic_auth)
        ]
        if missing:
            raise invalid_arguments([f"missing required field: {name}" for name in missing])

    def respond_to_url(self, url_id: str, body: dict[str, Any]) -> Reply:
        """A POST to a minted response_url: validated like a message, then applied and recorded."""
        try:
            text, blocks = body.get("text", ""), body.get("blocks")
            if not body.get("delete_original"):
                if not text and not blocks:
                    raise ApiError("no_text")
                if len(str(text)) > MESSAGE_TEXT_MAX:
                    raise ApiError("msg_too_long")
                problems = validate_message(blocks)
                if problems:
                    raise ApiError("invalid_blocks", errors=problems)
            self.state.messaging.respond(url_id, body)
            reply = Reply(200, "ok")
        except ApiError as error:
            status = 404 if error.error in ("invalid_url", "expired_url", "used_url") else 400
            reply = Reply(status, error.error)
        entry = self.state.messaging.response_urls.get(url_id)
        self.state.record(
            Call(
                method="response_url",
                args=body,
                team_id=entry.team_id if entry else None,
                token_kind=None,
                status=reply.status,
                response={"ok": reply.status == 200, "body": reply.body},
                at=self.state.clock(),
            )
        )
        return reply
