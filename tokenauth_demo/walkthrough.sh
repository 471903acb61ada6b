#!/usr/bin/env bash
# tokenauth_demo walkthrough: the requests the README shows, in order, each answer checked.
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
B=/demotoken
USER=ravi$RUN
PASSWORD="correct horse battery"

# Register: 201 with the key the post_save receiver created.
call POST $B/register/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\", \"email\": \"$USER@example.com\"}"
expect 201 username="$USER"

# Bad input: 400 naming the field.
call POST $B/register/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 400 username.0="A user with that username already exists."
call POST $B/register/ '{"username": "anuj'"$RUN"'", "password": "12345"}'
expect 400 password.0="This password is too short. It must contain at least 8 characters."
call POST $B/register/ "{\"password\": \"$PASSWORD\"}"
expect 400 username.0="This field is required."

# Login: 200 with the user's key; a wrong password is a 400.
call POST $B/login/ "{\"username\": \"$USER\", \"password\": \"wrong password\"}"
expect 400
call POST $B/login/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
TOKEN=$(field token)

# The secure page: 200 with the key; no key or a malformed header is a 401, never a 500.
call GET $B/secure/ "" -H "Authorization: Token $TOKEN"
expect 200 message="Hello $USER, your token opened the secure page."
call GET $B/secure/
expect 401 detail="Authentication credentials were not provided."
call GET $B/secure/ "" -H "Authorization: Token a b"
expect 401 detail="Invalid token header. Token string should not contain spaces."

# Pitfall 2's fix: token first, then session; no token is a 401, never a bare 403.
# (The trap, session first, is routed only in the tests; the tour shows its 403.)
call GET $B/pitfalls/token-first/
expect 401

# Logout: 204; the old key is refused from now on; login issues a new key.
call POST $B/logout/ "" -H "Authorization: Token $TOKEN"
expect 204
call GET $B/secure/ "" -H "Authorization: Token $TOKEN"
expect 401 detail="Invalid token."
call POST $B/login/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
[ "$(field token)" != "$TOKEN" ] || fail "login after logout must issue a new key"

# Pitfall 4: a password changed outside the API (here the shell) ends every key issued before it.
TOKEN=$(field token)
python manage.py shell -c "from django.contrib.auth.models import User
user = User.objects.get(username='$USER'); user.set_password('a new passphrase 9'); user.save()"
call GET $B/secure/ "" -H "Authorization: Token $TOKEN"
expect 401 detail="Invalid token."

# A POST without its trailing slash is answered, never the APPEND_SLASH 500 page.
call POST /api/schema "{}"
expect 404
echo "walkthrough finished: every answer was as expected"
