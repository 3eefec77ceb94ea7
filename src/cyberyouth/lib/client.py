"""The client's address, by the proxy rule: REMOTE_ADDR, unless `TRUSTED_PROXIES` (the number of
reverse proxies in front of the application) says the last N hops of X-Forwarded-For were written
by our own proxies — then the address the outermost of them saw. Never the first hop a client
writes itself. Used by the public form's limits and by the login throttle (django-axes)."""

from typing import Any
import ipaddress

from django.conf import settings


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return ""


def client_address(request: Any, *args: Any) -> str:
    """The address to count requests by ('' when none can be trusted)."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote  # not through all our proxies: the header is the client's own
    return _valid(hops[-proxies]) or remote
