#!/usr/bin/env bash
# scheduler_demo walkthrough: the requests the README shows, in order, each answer checked.
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
USER=alice$RUN PASSWORD="correct horse battery"
BROKEN=$(mktemp --suffix=.csv)
trap 'rm -f "$ANSWER" "$BROKEN"' EXIT

# Sign up, then get a token (sign-up says the same whether the address is taken or not).
call POST /api/auth/signup/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\", \"email\": \"$USER@example.com\"}"
expect 201 username="$USER" email_verified=False
call POST /api/auth/token/ "{\"username\": \"$USER\", \"password\": \"$PASSWORD\"}"
expect 200
AUTH="Authorization: Token $(field token)"

# Import: a JSON list, or a file people export (Google, Outlook in Windows-1252, vCard...).
# The API answers 202 at once; a worker does the import in batches.
call PUT "/api/contacts/import/?source=google" \
    '[{"name": "Bob Stone", "phone": "+44 (0) 7700 900123"}, {"name": "Carol", "email": "carol@example.com"}]' \
    -H "$AUTH"
expect 202
FIRST=$(field import_id)
call PUT /api/contacts/import/ "" -H "$AUTH" -F file=@contacts/samples/google.csv
expect 202
GOOGLE=$(field import_id)
call PUT /api/contacts/import/ "" -H "$AUTH" -H "Content-Type: text/csv; charset=windows-1252" \
    --data-binary @contacts/samples/outlook.csv
expect 202
OUTLOOK=$(field import_id)

# A file that would lose rows is refused whole, naming the line: here an unclosed quote.
printf 'name,phone\nAnn,+14155550100\n"Ben,+14155550101\nCid,+14155550102\n' > "$BROKEN"
call PUT /api/contacts/import/ "" -H "$AUTH" -F "file=@$BROKEN"
expect 400
[[ "$BODY" == *"line 3"* ]] || fail "the refusal should name line 3"

# The worker (python manage.py background_task_scheduler, in a second terminal) runs the imports;
# here it runs for a few seconds and stops.
python manage.py process_tasks --duration 3 --sleep 0.2
call GET /api/contacts/imports/$FIRST/ "" -H "$AUTH"
expect 200 status=done total=2 created=2
call GET /api/contacts/imports/$GOOGLE/ "" -H "$AUTH"
expect 200 status=done format=google_csv
call GET /api/contacts/imports/$OUTLOOK/ "" -H "$AUTH"
expect 200 status=done format=outlook_csv
[[ "$(field encoding)" == *1252* ]] || fail "the status should say the file was Windows-1252"

# The contacts, 20 a page, and an invitation to all of them (two bulk UPDATEs).
call GET "/api/contacts/?page=1" "" -H "$AUTH"
expect 200
call POST /api/contacts/invite/ '{"invite_all": true, "deselected_ids": []}' -H "$AUTH"
expect 200
call POST /api/auth/verify-email/ '{"code": "not-a-code"}'
expect 400
echo "walkthrough finished: every answer was as expected"
