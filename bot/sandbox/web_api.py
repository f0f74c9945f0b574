"""The sandbox's HTTP server: Web API under /api/, response_url and file-upload endpoints beside it."""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .dispatch import Reply, Request, WebApi
from .wire import basic_credentials, bearer_token, parse_arguments

log = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        log.debug("sandbox http: " + format, *args)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        data, content_type = reply.encoded()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            log.debug("sandbox http: the client left before the reply (e.g. it timed out)")

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        api: WebApi = self.server.api
        parts = urlsplit(self.path)
        body = self._body()
        path = parts.path
        if path.startswith("/api/"):
            try:
                args = parse_arguments(parts.query, self.headers.get("Content-Type", ""), body)
            except (ValueError, UnicodeDecodeError):
                self._send(Reply(200, {"ok": False, "error": "invalid_json"}))
                return
            authorization = self.headers.get("Authorization")
            token = bearer_token(authorization) or args.get("token")
            request = Request(path[len("/api/") :], args, token, basic_credentials(authorization))
            self._send(api.handle(request))
        elif path.startswith("/response/") and self.command == "POST":
            try:
                payload = json.loads(body.decode("utf-8") or "{}")
            except (ValueError, UnicodeDecodeError):
                self._send(Reply(400, "invalid_payload"))
                return
            self._send(api.respond_to_url(path.rsplit("/", 1)[-1], payload))
        elif path.startswith("/upload/v1/") and self.command == "POST":
            entry = api.state.files.receive(path.rsplit("/", 1)[-1], body)
            self._send(Reply(200, f"OK - {len(body)}") if entry else Reply(404, "file_not_found"))
        else:
            self._send(Reply(404, {"ok": False, "error": "not_found"}))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, api: WebApi) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.api = api


class WebApiServer:
    """Serves a `WebApi` on 127.0.0.1 with an OS-chosen port, in a background thread."""

    def __init__(self, api: WebApi) -> None:
        self.api = api
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._server is not None:
            return
        self._server = _Server(self.api)
        self.api.state.base_url = self.base_url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-sandbox-web",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the sandbox web server is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"
