"""How the server reads JSON-RPC: pygls's protocol, except that nothing the editor sends goes unanswered.

pygls drops a request whose parameters do not have the protocol's shape (a hover without a position, a
line that is a string) without a response, and the editor waits for one forever. Here such a request is
answered with JSON-RPC's error: invalid params (-32602), saying which field is wrong; a request whose id
is neither a number nor a string, invalid request (-32600); a message that is not JSON at all, parse error
(-32700), both with a null id as JSON-RPC asks. A notification cannot be answered: one that cannot be read
is ignored and said so in the editor's log. Unknown methods are pygls's: method not found (-32601) for a
request, ignored for a notification.
"""

from __future__ import annotations

from typing import Any

from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams, JsonRpcInvalidRequest, JsonRpcParseError
from pygls.protocol import LanguageServerProtocol


class _UnreadableNotification(JsonRpcInvalidParams):
    """A notification whose parameters do not have the protocol's shape: ignored, and logged."""


def describe(error: Exception) -> str:
    """What the server's log says of an error no response can carry."""
    if isinstance(error, _UnreadableNotification):
        return str(error)
    return f"{type(error).__name__}: {error}"


class _Refused:
    """A request that could not be read, to be answered with `error`."""

    def __init__(self, request_id: int | str | None, error: JsonRpcException) -> None:
        self.id = request_id
        self.error = error


class _Failed:
    """A response to one of the server's requests that could not be read: the request has failed."""


def _reasons(error: Exception) -> str:
    """What was wrong, field by field, as cattrs says it (`required field missing @ $.params.position`)."""
    from cattrs import transform_error
    from cattrs.errors import ClassValidationError

    cause = error.__cause__
    if isinstance(cause, ClassValidationError):
        return "; ".join(transform_error(cause))
    return str(cause or error)


class RecordProtocol(LanguageServerProtocol):
    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            method = data.get("method")
            if "id" not in data:
                raise _UnreadableNotification(
                    f"ignored a {method!r} notification that cannot be read: {_reasons(error)}"
                ) from error
            request_id = data["id"]
            if method is None:
                waiting = self._request_futures.pop(request_id, None) if isinstance(request_id, (int, str)) else None
                if waiting is not None:
                    waiting.set_exception(error)
                return _Failed()
            if isinstance(request_id, bool) or not isinstance(request_id, (int, str)):
                return _Refused(None, JsonRpcInvalidRequest("invalid request: the id is neither a number nor a string"))
            return _Refused(request_id, JsonRpcInvalidParams(f"invalid params for {method}: {_reasons(error)}"))

    def handle_message(self, message: Any) -> None:
        if isinstance(message, _Refused):
            self.send_error(message.id, message.error)
        elif not isinstance(message, _Failed):
            super().handle_message(message)

    def send_error(self, request_id: int | str | None, error: JsonRpcException) -> None:
        """A JSON-RPC error response; written as a plain object, so that a null id is written too."""
        self._send_data(
            {"jsonrpc": self.VERSION, "id": request_id, "error": {"code": error.code, "message": error.message}}
        )

    def parse_error(self, error: Exception) -> None:
        self.send_error(None, JsonRpcParseError(f"parse error: the message is not JSON ({error})"))
