#!/usr/bin/env bash
# sociallogin_demo walkthrough: the requests the README shows, in order, each answer checked.
# Start the local provider in one terminal (python manage.py localprovider), this site in
# another (python manage.py migrate && python manage.py runserver), then run: bash walkthrough.sh
# (BASE=http://host:port bash walkthrough.sh for another server). It can run again and again.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8000}

# ---- helpers: identical in every demo's walkthrough.sh ----------------------------------------
# call METHOD PATH [JSON] [curl options...]: send one request and print it with its answer.
# STATUS and BODY hold the answer afterwards.
call() {
    local method=$1 path=$2 data=${3:-}
    shift $(($# < 3 ? $# : 3))
    local options=(--silent --show-error --output "$ANSWER" --write-out '%{http_code}' -X "$method")
    if [ -n "$data" ]; then options+=(-H 'Content-Type: application/json' --data "$data"); fi
    STATUS=$(curl "${options[@]}" "$@" "$BASE$path")
    BODY=$(cat "$ANSWER")
    echo "$method $path -> $STATUS $(shorten "$BODY")"
}
# expect STATUS [FIELD=VALUE...]: stop unless the last answer had STATUS and those JSON fields.
expect() {
    local status=$1 pair
    shift
    if [ "$STATUS" = 429 ] && [ "$status" != 429 ]; then
        fail "the server throttled this client (429): wait a minute, or restart the server to reset its counts"
    fi
    [ "$STATUS" = "$status" ] || fail "expected $status, got $STATUS: $BODY"
    for pair in "$@"; do
        [ "$(field "${pair%%=*}")" = "${pair#*=}" ] || fail "expected $pair in $BODY"
    done
}
# field NAME: a field of the last JSON answer (a.b for nested ones); python3 reads it.
field() {
    python3 -c 'import json, sys
value = json.loads(sys.argv[1])
for key in sys.argv[2].split("."):
    value = value[int(key)] if isinstance(value, list) else value.get(key, "")
print(value if not isinstance(value, (dict, list)) else json.dumps(value))' "$BODY" "$1"
}
# shorten TEXT: token-like strings cut to 8 characters (no whole token is printed), 160 at most.
# sed, not python3: it runs for every request, and a Python start-up costs more than the request.
shorten() {
    local text
    text=$(printf '%s' "$1" | sed -E 's/([[:alnum:]_.-]{8})[[:alnum:]_.-]{16,}/\1.../g')
    printf '%s\n' "${text:0:160}"
}
fail() { echo "walkthrough stopped: $*" >&2; exit 1; }
ANSWER=$(mktemp)
trap 'rm -f "$ANSWER"' EXIT
# ---- the walkthrough --------------------------------------------------------------------------
# What a mobile app may sign in with: allauth's headless configuration lists the providers.
call GET /_allauth/app/v1/config
expect 200 data.socialaccount.providers.0.id=localidp

# The app signs carol in at the provider, as Google's Sign-In SDK would (authorization code
# with PKCE, social/dance.py), and holds an ID token whose audience is this site's client ID.
ID_TOKEN=$(python manage.py shell --verbosity 0 -c '
import requests
from django.conf import settings
from social.dance import native_id_token
from social.servers import DEVELOPMENT_PROVIDER_PASSWORD, NATIVE_REDIRECT
print(native_id_token(
    requests.Session(), settings.OIDC_PROVIDER_URL,
    client_id=settings.OIDC_CLIENT_ID, secret=settings.OIDC_CLIENT_SECRET,
    redirect_uri=NATIVE_REDIRECT, username="carol", password=DEVELOPMENT_PROVIDER_PASSWORD,
))')
CLIENT_ID=sociallogin-demo
sign_in_with() { echo "{\"provider\": \"localidp\", \"process\": \"login\", \"token\": {\"client_id\": \"$CLIENT_ID\", \"id_token\": \"$1\"}}"; }

# Something that is not an ID token: allauth names the field it refused.
call POST /_allauth/app/v1/auth/provider/token "$(sign_in_with not-a-token)"
expect 400 errors.0.param=token

# The ID token in (allauth checks its signature, issuer, audience and expiry), a SimpleJWT pair out.
call POST /_allauth/app/v1/auth/provider/token "$(sign_in_with "$ID_TOKEN")"
expect 200 meta.is_authenticated=True
ACCESS=$(field meta.access_token)
REFRESH=$(field meta.refresh_token)

# The pair works on any endpoint behind SimpleJWT.
call GET /api/me/ "" -H "Authorization: Bearer $ACCESS"
expect 200 email=carol@example.com providers.0=localidp

# The same ID token again: allauth remembered its jti, and refuses a replay.
call POST /_allauth/app/v1/auth/provider/token "$(sign_in_with "$ID_TOKEN")"
expect 400

# The refresh token buys a new access token; a forged one buys nothing.
call POST /_allauth/app/v1/tokens/refresh "{\"refresh_token\": \"$REFRESH\"}"
expect 200
call POST /_allauth/app/v1/tokens/refresh '{"refresh_token": "forged.refresh.token"}'
expect 400

# No token, no answer.
call GET /api/me/
expect 401
echo "walkthrough finished"
