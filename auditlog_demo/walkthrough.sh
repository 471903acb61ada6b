#!/usr/bin/env bash
# auditlog_demo walkthrough: the requests the README shows, in order, each answer checked.
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
# No sign-up here: the shell creates a user and a staff member (this run's own names).
USER=ann$RUN STAFF=staff$RUN PASSWORD="a long passphrase 42"
python manage.py shell --verbosity 0 -c "from django.contrib.auth import get_user_model
User = get_user_model()
User.objects.create_user('$USER', '$USER@example.com', '$PASSWORD')
User.objects.create_user('$STAFF', '$STAFF@example.com', '$PASSWORD', is_staff=True)"
bearer() { echo "Authorization: Bearer $1"; }

# Log in: SimpleJWT's pair (access 15 minutes, refresh 1 day); a wrong password is a 401.
call POST /api/token/ "{\"username\": \"$USER\", \"password\": \"wrong password\"}"
expect 401
call POST /api/token/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
A=$(field access) REFRESH=$(field refresh)
call POST /api/token/refresh/ "{\"refresh\": \"$REFRESH\"}"
expect 200

# Notes: your own only. Each write is one transaction, and django-auditlog records it.
call POST /api/notes/ '{"title": "Groceries", "body": "milk", "tags": ["home", "todo"]}' -H "$(bearer "$A")"
expect 201 title=Groceries
NOTE=$(field id)
call POST /api/notes/ '{"title": "", "tags": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
    "l", "m", "n", "o", "p", "q", "r", "s", "t", "u"]}' -H "$(bearer "$A")"
expect 400
call PATCH /api/notes/$NOTE/ '{"title": "Groceries for Sunday", "tags": ["home"]}' -H "$(bearer "$A")"
expect 200 title="Groceries for Sunday"
call DELETE /api/notes/$NOTE/ "" -H "$(bearer "$A")"
expect 204

# The note's history, newest first: still there after the delete, for its owner.
call GET /api/notes/$NOTE/history/ "" -H "$(bearer "$A")"
expect 200 0.action=delete 0.actor="$USER"

# Staff only: a user's history and the API hit log.
call GET "/api/hits/?limit=5" "" -H "$(bearer "$A")"
expect 403
call POST /api/token/ "{\"username\": \"$STAFF\", \"password\": \"$PASSWORD\"}"
expect 200
S=$(field access)
call GET "/api/hits/?limit=5" "" -H "$(bearer "$S")"
expect 200 0.path="/api/token/"
[[ "$BODY" != *"$PASSWORD"* ]] || fail "the hit log holds a password"

# A malformed or forged token is DRF's 401 (and the hit is logged, without the token).
call GET /api/notes/ "" -H "Authorization: Bearer not.a.jwt"
expect 401
echo "walkthrough finished: every answer was as expected"
