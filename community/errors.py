"""Domain errors. Each carries a stable `code`; the API, the socket and the pages turn them into answers."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"
    default_detail = "That didn't work."

    def __init__(self, detail: str | None = None, *, code: str | None = None, fields: dict | None = None):
        self.detail = detail or self.default_detail
        if code:
            self.code = code
        self.fields = fields or {}
        super().__init__(self.detail)

    def as_dict(self) -> dict:
        body = {"code": self.code, "detail": self.detail}
        if self.fields:
            body["fields"] = self.fields
        return body


class InvalidInput(DomainError):
    status = 400
    code = "invalid"
    default_detail = "Some of the details need another look."


class NotFound(DomainError):
    status = 404
    code = "not_found"
    default_detail = "We couldn't find that."


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    default_detail = "You don't have permission to do that."


class Conflict(DomainError):
    status = 409
    code = "conflict"
    default_detail = "That clashes with something that already exists."


class Gone(DomainError):
    status = 410
    code = "gone"
    default_detail = "That isn't available any more."


class RateLimited(DomainError):
    status = 429
    code = "rate_limited"
    default_detail = "That's a lot of tries in a short time. Please wait a little and try again."

    def __init__(self, detail: str | None = None, *, retry_after: int = 60, code: str | None = None):
        self.retry_after = retry_after
        super().__init__(detail, code=code)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "retry_after": self.retry_after}
