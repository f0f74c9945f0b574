"""The `Sandbox`: one local Slack (state, Web API server, Socket Mode server) started and stopped together."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import Any

from .client import UserSession
from .clock import Clock, real_clock
from .dispatch import WebApi
from .faults import FaultKind
from .models import Call, Conversation, User, Workspace
from .rate_limits import RateLimits
from .socket_mode import SocketModeServer
from .state import SandboxState
from .transports import HttpTransport, SocketModeTransport, Transport
from .web_api import WebApiServer


class Sandbox:
    def __init__(
        self,
        spec_path: Path | str | None = None,
        clock: Clock = real_clock,
        rate_limits: RateLimits | None = None,
        *,
        timeout_delay: float = 2.0,
        ack_timeout: float = 3.0,
    ) -> None:
        self.state = SandboxState(clock)
        self.web = WebApi(
            self.state, spec_path=spec_path, rate_limits=rate_limits, timeout_delay=timeout_delay
        )
        self.web_server = WebApiServer(self.web)
        self.socket_server = SocketModeServer(ack_timeout=ack_timeout)
        self.web.socket_url = self.socket_server.mint_url

    # -- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        self.socket_server.start()
        self.web_server.start()
        return self

    def stop(self) -> None:
        self.socket_server.stop()
        self.web_server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- identity of the app -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return self.web_server.api_url

    @property
    def clock(self) -> Clock:
        return self.state.clock

    @property
    def app_id(self) -> str:
        return self.state.directory.app.app_id

    @property
    def app_token(self) -> str:
        return self.state.directory.app.app_token

    @property
    def signing_secret(self) -> str:
        return self.state.directory.app.signing_secret

    @property
    def client_id(self) -> str:
        return self.state.directory.app.client_id

    @property
    def client_secret(self) -> str:
        return self.state.directory.app.client_secret

    @property
    def rate_limits(self) -> RateLimits:
        return self.web.rate_limits

    # -- building the workspace ----------------------------------------------------------------------

    def add_workspace(
        self,
        team_id: str | None = None,
        name: str = "Sandbox Residency",
        enterprise_id: str | None = None,
        **kwargs: Any,
    ) -> Workspace:
        return self.state.directory.add_workspace(team_id, name, enterprise_id=enterprise_id, **kwargs)

    def add_user(self, team_id: str, name: str, real_name: str | None = None, **kwargs: Any) -> User:
        return self.state.directory.add_user(team_id, name, real_name, **kwargs)

    def add_channel(self, team_id: str, name: str, **kwargs: Any) -> Conversation:
        return self.state.directory.add_channel(team_id, name, **kwargs)

    def issue_oauth_code(self, team_id: str, user_id: str | None = None) -> str:
        return self.state.directory.issue_oauth_code(team_id, user_id)

    def issue_user_token(self, team_id: str, user_id: str) -> str:
        return self.state.directory.issue_user_token(team_id, user_id)

    # -- acting as users ---------------------------------------------------------------------------

    def http_transport(self, url: str, signing_secret: str | None = None) -> HttpTransport:
        return HttpTransport(url, signing_secret or self.signing_secret)

    def socket_transport(self, timeout: float | None = None) -> SocketModeTransport:
        return SocketModeTransport(self.socket_server, timeout=timeout)

    def as_user(self, team_id: str, user_id: str, transport: Transport) -> UserSession:
        return UserSession(self.state, team_id, user_id, transport)

    # -- failures and inspection ---------------------------------------------------------------------

    def inject(self, method: str, kind: FaultKind | int | str, times: int = 1, retry_after: int = 1) -> None:
        self.web.faults.inject(method, kind, times=times, retry_after=retry_after)

    def calls(self, method: str | None = None, team_id: str | None = None) -> list[Call]:
        return self.state.calls(method, team_id)

    def reset_calls(self) -> None:
        self.state.reset_calls()
