"""Bearer-token sign-in for the JSON API.

``POST /auth/token`` trades a username and password for a token; every other
API route needs ``Authorization: Bearer <token>`` naming an active account.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, request

from api.resources.payloads import answer, json_body, shared
from api.context import engine
from api.errors import ApiError
from api.resources.openapi import operation
from api.resources.schemas.requests import TokenRequestSchema
from api.resources.schemas.responses import TokenSchema
from api.throttle import TooManyAttempts, sign_in
from api.tokens import LIFETIME_SECONDS, TokenExpired, TokenInvalid, claims_of, issue

bp = Blueprint("auth", __name__, url_prefix="/auth")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vicon"'}


@bp.post("/token")
@operation("Tukar nama pengguna dan kata sandi dengan token (8 jam)", response=TokenSchema,
           body=TokenRequestSchema, errors=(401, 429), public=True, tag="auth")
def token():
    """Issue a bearer token for valid credentials."""
    credentials = json_body(shared(TokenRequestSchema))
    try:
        actor = sign_in(credentials["username"], credentials["password"])
    except TooManyAttempts:
        raise ApiError(429, "too_many_attempts", headers={"Retry-After": "900"}) from None
    if actor is None:
        raise ApiError(401, "invalid_credentials", headers=CHALLENGE)
    return answer(shared(TokenSchema), {"access_token": issue(actor.username, actor.session_epoch),
                                  "token_type": "Bearer",
                                  "expires_in": LIFETIME_SECONDS})


def require_actor() -> None:
    """Before each API request: set ``g.actor`` from the bearer token, or answer 401."""
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "public", False):
        return
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise ApiError(401, "unauthorized", headers=CHALLENGE)
    try:
        username, epoch = claims_of(credentials.strip())
    except TokenExpired:
        raise ApiError(401, "token_expired", headers=CHALLENGE) from None
    except TokenInvalid:
        raise ApiError(401, "invalid_token", headers=CHALLENGE) from None
    actor = engine().actor(username)
    if actor is None or actor.session_epoch != epoch:
        # removed or deactivated since, or signed out / password reset since the token was made
        raise ApiError(401, "invalid_token", headers=CHALLENGE)
    g.actor = actor
