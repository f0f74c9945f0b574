"""The Web API methods the sandbox implements, by name."""

from __future__ import annotations

from . import chat, conversations, files, identity, views
from .context import MethodContext, MethodSpec

METHODS: dict[str, MethodSpec] = {
    **identity.METHODS,
    **conversations.METHODS,
    **chat.METHODS,
    **views.METHODS,
    **files.METHODS,
}

__all__ = ["METHODS", "MethodContext", "MethodSpec"]
