#!/usr/bin/env bash
# jwt_demo walkthrough: the requests the README shows, in order, each answer checked.
# Start the server in another terminal (python manage.py migrate && python manage.py runserver),
# then run: bash walkthrough.sh     (BASE=http://host:port bash walkthrough.sh for another server)
# Every run signs up its own users (names end in this run's number), so it can run again and again.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8000}
RUN=$RANDOM$RANDOM

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
USER=alice$RUN
PASSWORD="a long passphrase 42"
NEW_PASSWORD="another long passphrase 43"
bearer() { echo "Authorization: Bearer $1"; }

# Sign up: 201 with the user and a first token pair (sign-up is a login).
call POST /api/auth/signup/ "{\"username\": \"$USER\", \"email\": \"$USER@example.com\",
    \"phone\": \"+1 415 555 $((RUN % 9000 + 1000))\", \"password\": \"$PASSWORD\"}"
expect 201 user.username="$USER" user.email="$USER@example.com"
call POST /api/auth/signup/ "{\"username\": \"$USER\", \"email\": \"other$RUN@example.com\", \"password\": \"$PASSWORD\"}"
expect 400

# Log in by email (or username, or phone): 200 with an access and a refresh token.
call POST /api/token/ "{\"email\": \"$USER@example.com\", \"password\": \"wrong password\"}"
expect 401
call POST /api/token/ "{\"email\": \"$USER@example.com\", \"password\": \"$PASSWORD\"}"
expect 200
ACCESS=$(field access) REFRESH=$(field refresh)
call GET /api/auth/me/ "" -H "$(bearer "$ACCESS")"
expect 200 username="$USER"

# Refresh: a new pair; the old refresh token is blacklisted (rotation), reusing it is a 401.
call POST /api/token/refresh/ "{\"refresh\": \"$REFRESH\"}"
expect 200
OLD_REFRESH=$REFRESH ACCESS=$(field access) REFRESH=$(field refresh)
call POST /api/token/refresh/ "{\"refresh\": \"$OLD_REFRESH\"}"
expect 401

# Verify says what authentication would say.
call POST /api/token/verify/ "{\"token\": \"$ACCESS\"}"
expect 200

# Log out: the refresh token is blacklisted and its access tokens are revoked (pitfall 1).
call POST /api/token/blacklist/ "{\"refresh\": \"$REFRESH\"}"
expect 200
call GET /api/auth/me/ "" -H "$(bearer "$ACCESS")"
expect 401
call POST /api/token/verify/ "{\"token\": \"$ACCESS\"}"
expect 401

# Change the password: 204, and every session of the user ends.
call POST /api/token/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
ACCESS=$(field access)
call POST /api/auth/password/change/ "{\"old_password\": \"$PASSWORD\", \"new_password\": \"$NEW_PASSWORD\"}" \
    -H "$(bearer "$ACCESS")"
expect 204
call GET /api/auth/me/ "" -H "$(bearer "$ACCESS")"
expect 401

# Forgot: 202 whatever the address. The e-mail (printed by runserver in development) holds
# a one-time link with uid and token; here the shell makes the same pair. Forgot and reset
# share a budget of 5 a minute per client; any bad link is the same 400 (the tests show it).
call POST /api/auth/password/forgot/ "{\"email\": \"$USER@example.com\"}"
expect 202 detail="If an account uses this address, we have sent it a reset link."
LINK=$(python manage.py shell --verbosity 0 -c "
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.http import urlsafe_base64_encode
user = get_user_model().objects.get(username='$USER')
print(urlsafe_base64_encode(str(user.pk).encode()), default_token_generator.make_token(user))")
UID_=${LINK% *} TOKEN=${LINK#* }
call POST /api/auth/password/reset/ "{\"uid\": \"$UID_\", \"token\": \"$TOKEN\", \"new_password\": \"$PASSWORD\"}"
expect 204

# Change the email: the current password is required.
call POST /api/token/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
ACCESS=$(field access)
call PATCH /api/auth/email/ "{\"email\": \"$USER@example.org\", \"password\": \"wrong password\"}" -H "$(bearer "$ACCESS")"
expect 400
call PATCH /api/auth/email/ "{\"email\": \"$USER@example.org\", \"password\": \"$PASSWORD\"}" -H "$(bearer "$ACCESS")"
expect 200 email="$USER@example.org"
echo "walkthrough finished: every answer was as expected"
