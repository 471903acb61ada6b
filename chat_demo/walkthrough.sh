#!/usr/bin/env bash
# chat_demo walkthrough: the requests the README shows, in order, each answer checked.
# Start the server in another terminal (python manage.py migrate && python manage.py runserver),
# then run: bash walkthrough.sh     (BASE=http://host:port bash walkthrough.sh for another server)
# Every run creates its own user (the name ends in this run's number), so it can run again and again.
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
JAR=$(mktemp)
trap 'rm -f "$ANSWER" "$JAR"' EXIT
USER=ann$RUN
DJANGO_SUPERUSER_USERNAME=$USER DJANGO_SUPERUSER_PASSWORD="a long chat passphrase" \
    DJANGO_SUPERUSER_EMAIL=$USER@example.com python manage.py createsuperuser --no-input

# A script has no session cookie: it trades the password for a one-connection ticket.
call POST /api/auth/ticket/ "{\"username\": \"$USER\", \"password\": \"wrong\"}"
expect 400 non_field_errors.0="Invalid username or password."
call POST /api/auth/ticket/ "{\"username\": \"$USER\", \"password\": \"a long chat passphrase\"}"
expect 201 expires_in=60
TICKET=$(field ticket)

# The WebSocket: send one message, receive it back as the room does; then the spent ticket.
python - "$BASE" "$TICKET" <<'PY'
import json, sys
from websockets.sync.client import connect

base, ticket = sys.argv[1:]
url = base.replace("http", "ws", 1) + "/ws/chat/lobby/?ticket=" + ticket
with connect(url, origin=base) as socket:  # a script sends the site's own Origin
    socket.send(json.dumps({"message": "hello from the walkthrough"}))
    frame = json.loads(socket.recv(timeout=5))
    print("ws/chat/lobby/ <-", {key: frame[key] for key in ("seq", "user", "message")})
with connect(url, origin=base) as socket:  # the same ticket again
    try:
        socket.recv(timeout=5)
    except Exception:
        print("the second use: closed with", socket.close_code)
    assert socket.close_code == 4401
PY

# The history is for a logged-in session: Django's login form, then the page of messages.
call GET /api/rooms/lobby/messages/
expect 403
curl --silent --fail --output /dev/null -c "$JAR" -b "$JAR" "$BASE/login/"  # the form sets the csrftoken cookie
CSRF=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
call POST /login/ "" -c "$JAR" -b "$JAR" --data-urlencode "username=$USER" \
    --data-urlencode "password=a long chat passphrase" --data-urlencode "csrfmiddlewaretoken=$CSRF"
expect 302
call GET /api/rooms/lobby/messages/ "" -b "$JAR"
expect 200 results.-1.user="$USER" results.-1.message="hello from the walkthrough"
call GET "/api/rooms/lobby/messages/?after=soon" "" -b "$JAR"
expect 400 after.0="A valid integer is required."
echo "walkthrough finished: every answer was as expected"
