"""HTTP for connectors: a time-out on every read and on the whole response, a size cap, and
errors that say what went wrong — a bad source must cost the worker seconds, not hours."""

import json
import time
import urllib.error
import urllib.request

USER_AGENT = "cyberyouth-monitoring/1 (+https://github.com/)"
MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 15.0          # seconds for connecting and for each read
DEADLINE = 60.0         # seconds for the whole response (a server trickling bytes)


class FetchError(Exception):
    """The source could not be read; the message is shown to operators (Vietnamese)."""


class RateLimited(FetchError):
    """The platform asked us to wait `retry_after` seconds."""

    def __init__(self, message: str, *, retry_after: int = 3600):
        super().__init__(message)
        self.retry_after = retry_after


def get(url: str, *, max_bytes: int | None = None, timeout: float | None = None, deadline: float | None = None,
        accept: str = "*/*") -> tuple[int, dict, bytes]:
    """GET `url` → (status, headers, body). HTTP error statuses are returned, not raised, so that
    connectors can read the platform's error body; network failures raise FetchError."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("Địa chỉ phải là http:// hoặc https://.")
    # Read at call time, so that operators (and tests) can tune the module's limits.
    max_bytes = max_bytes or MAX_BYTES
    timeout = timeout or TIMEOUT
    deadline = deadline or DEADLINE
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    started = time.monotonic()
    try:
        try:
            response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 — scheme checked above
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"Phản hồi quá lớn ({int(length):,} byte, tối đa {max_bytes:,}).")
            chunks, total = [], 0
            while True:
                if time.monotonic() - started > deadline:
                    raise FetchError(f"Nguồn trả lời quá chậm (quá {deadline:.0f} giây).")
                chunk = response.read(65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise FetchError(f"Phản hồi quá lớn (hơn {max_bytes:,} byte).")
                chunks.append(chunk)
            status = getattr(response, "status", None) or response.getcode()
            return status, {k.lower(): v for k, v in response.headers.items()}, b"".join(chunks)
    except FetchError:
        raise
    except (TimeoutError, OSError) as exc:  # URLError, socket.timeout, connection reset … are OSErrors
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"Không kết nối được nguồn: {reason}") from exc
    except Exception as exc:  # http.client.IncompleteRead, BadStatusLine …
        raise FetchError(f"Phản hồi không hợp lệ: {exc.__class__.__name__}: {exc}") from exc


def get_json(url: str, **kwargs) -> tuple[int, dict, dict]:
    status, headers, body = get(url, accept="application/json", **kwargs)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise FetchError(f"Phản hồi không phải JSON (HTTP {status}).") from None
    if not isinstance(data, dict):
        raise FetchError(f"Phản hồi JSON không đúng cấu trúc (HTTP {status}).")
    return status, headers, data


def retry_after(headers: dict, default: int) -> int:
    value = headers.get("retry-after", "")
    return int(value) if value.isdigit() else default
