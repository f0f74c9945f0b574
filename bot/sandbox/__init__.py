"""A local Slack workspace for tests and `mentor-circles shell`.

The app talks to it exactly as to Slack: a `WebClient(base_url=sandbox.api_url)` with a bot token the
sandbox issued, Socket Mode through `apps.connections.open`, and signed requests sent by `UserSession`.
"""

from .blockkit import validate_blocks, validate_view
from .client import SentRequest, UserSession
from .clock import Clock, SandboxClock, real_clock
from .dispatch import WebApi
from .errors import ApiError
from .models import Call, Conversation, Ephemeral, FeedItem, Message, UploadedFile, User, View, Workspace
from .rate_limits import METHOD_TIERS, RateLimiter, RateLimits
from .sandbox import Sandbox
from .socket_mode import AckTimeout, NoSocketConnection, SocketModeServer
from .spec import WebApiSpec, default_spec_path
from .state import SandboxState
from .transports import Delivered, HttpTransport, Outgoing, SocketModeTransport, sign
from .web_api import WebApiServer

__all__ = [
    "METHOD_TIERS",
    "AckTimeout",
    "ApiError",
    "Call",
    "Clock",
    "Conversation",
    "Delivered",
    "Ephemeral",
    "FeedItem",
    "HttpTransport",
    "Message",
    "NoSocketConnection",
    "Outgoing",
    "RateLimiter",
    "RateLimits",
    "Sandbox",
    "SandboxClock",
    "SandboxState",
    "SentRequest",
    "SocketModeServer",
    "SocketModeTransport",
    "UploadedFile",
    "User",
    "UserSession",
    "View",
    "WebApi",
    "WebApiServer",
    "WebApiSpec",
    "Workspace",
    "default_spec_path",
    "real_clock",
    "sign",
    "validate_blocks",
    "validate_view",
]
