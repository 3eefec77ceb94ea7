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


class MissLimit:
    """At most `per_hour` failed lookups (a code that matches nothing) per client address and
    clock hour on a public page: a guessing run at certificate codes stops, a person checking a
    real code is never counted. Counted in Django's cache: per web process without Redis, shared
    by every process with it — a brake on guessing, not an accounting."""

    def __init__(self, scope: str, per_hour: int) -> None:
        self.scope, self.per_hour = scope, per_hour

    def _key(self, request: Any) -> str:
        from django.utils import timezone

        return f"misses:{self.scope}:{client_address(request) or 'unknown'}:{timezone.now():%Y%m%d%H}"

    def exceeded(self, request: Any) -> bool:
        from django.core.cache import cache

        return int(cache.get(self._key(request), 0)) >= self.per_hour

    def miss(self, request: Any) -> None:
        from django.core.cache import cache

        key = self._key(request)
        if not cache.add(key, 1, 3600):
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.add(key, 1, 3600)
