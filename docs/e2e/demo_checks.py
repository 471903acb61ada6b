"""What the browser checks in each demo: the hooks that test_demos.py is parametrized with.

Keyed by the catalog's demo name (demos/catalog.py). test_demos.py fails for a catalog
demo that has no ADMIN_CHECKS entry, so a new demo cannot skip the browser test.
"""

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import expect


@dataclass(frozen=True)
class AdminCheck:
    """Log into /admin/ as a fresh superuser, then look."""

    sections: tuple[str, ...]  # app captions on the admin index (each caption starts with one)
    changelist: str  # a changelist to open after login, e.g. "/admin/activity/event/"
    expect_text: tuple[str, ...]  # text that must be on that changelist
    expect_row: tuple[str, ...] = ()  # texts that must all be in one row of its result list
    # manage.py commands run after migrate, before the server starts (e.g. loaddata)
    prepare: tuple[tuple[str, ...], ...] = ()
    # act(page, server): done in the browser after login, before the changelist is opened
    act: Callable | None = None


@dataclass(frozen=True)
class ApiDocsCheck:
    """Open the interactive API docs and perform one request through them (Swagger UI)."""

    operation_id: str  # the operationId in the schema, e.g. "students_list"
    tag: str  # the operation's tag: Swagger UI's element id is operations-<tag>-<operation_id>
    expect_status: int = 200
    docs_path: str = "/api/docs/"
    schema_path: str = "/api/schema/"


def add_note_in_the_admin(page, server):
    """auditlog_demo: a change made through the admin, so the log has an entry with an actor."""
    page.goto(f"{server.url}/admin/notes/note/add/")
    page.fill("#id_title", "Written in the browser")
    page.select_option("#id_owner", label=server.username)
    page.click("input[name=_save]")
    page.wait_for_url(f"{server.url}/admin/notes/note/")


def send_a_chat_message(page, server):
    """chat_demo: a message typed on the chat page, which its WebSocket saves as a row."""
    page.goto(f"{server.url}/chat/lobby/")
    expect(page.locator("#status")).to_have_text("connected")
    page.fill("#text", "Written in the browser")
    page.click("#send button")
    expect(page.locator("#messages li")).to_have_text([f"{server.username}: Written in the browser"])


def sign_in_with_the_provider(page, server, username="alice"):
    """sociallogin_demo: what a person does on the site's sign-in page. The page lists the
    provider as a link named after it; allauth then asks for a POST ("Continue": a link on
    another site cannot start a sign-in in your name); the provider shows its own login
    form; its redirect back signs the person in and lands on /profile/."""
    page.goto(f"{server.url}/accounts/login/")
    page.get_by_role("link", name="Local identity provider").click()
    expect(page.get_by_role("heading")).to_have_text("Sign In Via Local identity provider")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{server.provider_url}/accounts/login/**")  # the provider's own page
    page.fill("#id_username", username)
    page.fill("#id_password", server.provider_password)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_url(f"{server.url}/profile/")


def sign_in_another_browser_with_the_provider(page, server):
    """sociallogin_demo: alice signs in with the provider in a browser of her own (the
    admin's session stays), so the admin has a social account to list."""
    context = page.context.browser.new_context()
    try:
        other = context.new_page()
        sign_in_with_the_provider(other, server)
        expect(other.get_by_role("heading")).to_have_text("Signed in as alice@example.com")
    finally:
        context.close()


ADMIN_CHECKS = {
    # Logging in sends user_logged_in, and the demo's receiver writes it to the feed.
    "signals_demo": AdminCheck(
        sections=("Students", "Activity feed"),
        changelist="/admin/activity/event/",
        expect_text=("user_logged_in 'admin'",),
    ),
    # createsuperuser sends post_save, and the demo's receiver gives the user a token and a PersonalDetail.
    # The tokens are listed by the demo's own MaskedTokenAdmin (DRF's TokenAdmin shows whole keys).
    "tokenauth_demo": AdminCheck(
        sections=("Authentication and Authorization", "Token authentication"),
        changelist="/admin/tokens/personaldetail/",
        expect_text=("admin", "1 personal detail"),
    ),
    # A custom user model (accounts.User, email required) and simplejwt's blacklist tables.
    "jwt_demo": AdminCheck(
        sections=("Accounts", "Token Blacklist"),
        changelist="/admin/accounts/user/",
        expect_text=("admin@example.com",),
    ),
    # Registering the repeating tasks fills background_task's queue, one row per task.
    "scheduler_demo": AdminCheck(
        sections=("Background Tasks", "Contacts"),
        changelist="/admin/background_task/task/",
        expect_text=("contacts.cleanup_old_imports", "contacts.send_invite_reminders"),
        prepare=(("background_task_scheduler", "--register-only"),),
    ),
    # The audit log: the note added in the admin is logged as a create, with its actor.
    "auditlog_demo": AdminCheck(
        sections=("Audit log", "Notes"),
        changelist="/admin/auditlog/logentry/",
        expect_text=("2 log entries",),  # createsuperuser's user, and the note
        expect_row=("Written in the browser", "create", "admin"),  # what, how, who
        act=add_note_in_the_admin,
    ),
    # The message sent on the chat page is in the admin: saved before anyone saw it.
    # accounts registers no admin (its tickets are hashes): the users are auth's.
    "chat_demo": AdminCheck(
        sections=("Authentication and Authorization", "Chat"),
        changelist="/admin/chat/message/",
        expect_text=("1 message",),
        expect_row=("lobby", "admin"),  # where, who
        act=send_a_chat_message,
    ),
    # allauth's models: local email addresses ("Accounts") and provider accounts linked to
    # local ones ("Social Accounts"). Served with its provider (the catalog's serve_beside):
    # alice's sign-in through it, in another browser, is the social account listed.
    "sociallogin_demo": AdminCheck(
        sections=("Accounts", "Social Accounts"),
        changelist="/admin/socialaccount/socialaccount/",
        expect_text=("1 social account",),
        expect_row=("alice", "localidp"),  # the local user, the provider it came from
        act=sign_in_another_browser_with_the_provider,
    ),
}

# Each API demo serves its schema at /api/schema/ and Swagger UI at /api/docs/
# (drf-spectacular, the UI's files from drf-spectacular-sidecar). The browser is not
# logged in: one operation that needs no credentials, or one that answers a clean 401
# without them. Operation ids and tags as `python manage.py spectacular` prints them.
API_DOCS_CHECKS = {
    # The student list is public (AllowAny): the real answer, an empty list.
    "signals_demo": ApiDocsCheck(operation_id="students_list", tag="students", expect_status=200),
    # The secure page without a token: 401 (TokenAuthentication's WWW-Authenticate).
    "tokenauth_demo": ApiDocsCheck(operation_id="demotoken_secure_retrieve", tag="demotoken", expect_status=401),
    # The current user without a Bearer token: 401.
    "jwt_demo": ApiDocsCheck(operation_id="auth_me_retrieve", tag="auth", expect_status=401),
    # The contact list without a token: 401 (token authentication comes first).
    "scheduler_demo": ApiDocsCheck(operation_id="contacts_list", tag="contacts", expect_status=401),
    # The notes without a JWT: 401.
    "auditlog_demo": ApiDocsCheck(operation_id="notes_list", tag="notes", expect_status=401),
    # A ticket for Swagger UI's example credentials ("string", "string"): a wrong password,
    # 400. (The history, GET /api/rooms/{room}/messages/, needs its path parameter typed in
    # first: Swagger UI refuses to send it with the field empty.)
    "chat_demo": ApiDocsCheck(operation_id="auth_ticket_create", tag="auth", expect_status=400),
    # Who the JWT belongs to, without one: 401 (SimpleJWT's WWW-Authenticate).
    "sociallogin_demo": ApiDocsCheck(operation_id="me_retrieve", tag="me", expect_status=401),
}

# Demo pages whose diagram is not on the page yet: the diagram test is an expected failure
# for them, and a strict one, so it fails ("XPASS") as soon as the diagram appears and
# the entry must go. Each value says what is missing.
DIAGRAM_PENDING = {}
