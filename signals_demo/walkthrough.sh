#!/usr/bin/env bash
# signals_demo walkthrough: the requests the README shows, in order, each answer checked.
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
JAR=$(mktemp)
PHOTO=$(mktemp --suffix=.jpg)
trap 'rm -f "$ANSWER" "$JAR" "$PHOTO"' EXIT

# A student: 201; the post_save receiver created the PersonalDetail in the same transaction.
call POST /api/students/ '{"name": "Ravi", "age": 23, "mobileno": "+91 98765 43210"}'
expect 201 name=Ravi mobileno=+919876543210 personal_detail.address=
ID=$(field id)
call POST /api/students/ '{"name": "", "age": "old"}'
expect 400 name.0="This field may not be blank." age.0="A valid integer is required."
call PATCH /api/students/$ID/ '{"age": 24, "personal_detail": {"address": "12 Park Road"}}'
expect 200 age=24 personal_detail.address="12 Park Road"

# A picture: stored re-encoded, without EXIF; replacing or clearing it deletes the old file.
python -c "from PIL import Image; Image.new('RGB', (64, 48), 'teal').save('$PHOTO')"
call PUT /api/students/$ID/picture/ "" -F "pic=@$PHOTO"
expect 200 address="12 Park Road"
call DELETE /api/students/$ID/picture/
expect 204
call POST /api/students "{}"
expect 404

# Session login checks CSRF: GET hands out the cookie, a POST without the token is a 403.
USER=staff$RUN
DJANGO_SUPERUSER_USERNAME=$USER DJANGO_SUPERUSER_PASSWORD="a long staff passphrase" \
    DJANGO_SUPERUSER_EMAIL=$USER@example.com python manage.py createsuperuser --no-input
call GET /api/auth/login/ "" -c "$JAR" -b "$JAR"
expect 200
CSRF=$(field csrftoken)
call POST /api/auth/login/ "{\"username\": \"$USER\", \"password\": \"a long staff passphrase\"}" -c "$JAR" -b "$JAR"
expect 403
call POST /api/auth/login/ "{\"username\": \"$USER\", \"password\": \"wrong\"}" -c "$JAR" -b "$JAR" \
    -H "X-CSRFToken: $CSRF"
expect 400
call POST /api/auth/login/ "{\"username\": \"$USER\", \"password\": \"a long staff passphrase\"}" \
    -c "$JAR" -b "$JAR" -H "X-CSRFToken: $CSRF"
expect 200 username="$USER"

# The activity feed, for staff: the failed login is there, and nothing that was typed.
call GET /api/events/ "" -b "$JAR"
expect 200 0.signal=user_logged_in
[[ "$BODY" == *"user_login_failed (what was typed is not recorded)"* ]] || fail "no failed login in the feed"
[[ "$BODY" != *'"wrong"'* ]] || fail "the feed shows what was typed"
call POST /api/auth/logout/ "" -c "$JAR" -b "$JAR"
expect 204
call GET /api/events/
expect 403
call GET /api/events/ "" -u "$USER:a long staff passphrase"
expect 403
echo "walkthrough finished: every answer was as expected"
