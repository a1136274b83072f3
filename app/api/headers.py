"""HTTP edges every response shares: security headers, and HEAD answered like GET without a body.

- ``X-Content-Type-Options: nosniff`` on every response: a browser never guesses a type we did not
  send (a CSV cell or a JSON string is never run as HTML or script).
- ``Content-Security-Policy`` on every response that sets none itself: nothing may load or run,
  and no page may frame ours (``frame-ancestors 'none'``). The interactive docs (/docs, /redoc)
  get a policy that lets them load their own script and styles from the CDN FastAPI uses, and
  still no framing. The report page and chart set their own (no script either).
- ``HEAD`` on any GET route answers as GET would (status and headers, ``Content-Length`` too)
  with no body, as HTTP requires; FastAPI routes list GET only."""

from starlette.types import Message, Receive, Scope, Send

from app.api.middleware import HttpMiddleware

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = (
    f"default-src 'none'; script-src 'unsafe-inline' {_CDN}; style-src 'unsafe-inline' {_CDN} "
    "https://fonts.googleapis.com; font-src https://fonts.gstatic.com; "
    f"img-src data: https://fastapi.tiangolo.com {_CDN}; connect-src 'self'; worker-src blob:; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})


class SecurityHeaders(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        policy = (DOCS_POLICY if scope.get("path") in DOCS_PATHS else API_POLICY).encode()

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                headers.append((b"x-content-type-options", b"nosniff"))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", policy))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet(HttpMiddleware):
    def handles(self, scope: Scope) -> bool:
        return bool(scope["method"] == "HEAD")

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
