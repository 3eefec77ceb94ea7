from ninja.security import HttpBearer, SessionAuth

from cyberyouth.orgs.services import token_authenticate


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# Bearer tokens for programs; the signed-in browser session (with CSRF) for the pages.
AUTH = [BearerToken(), SessionAuth()]
