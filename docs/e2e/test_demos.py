"""Each demo, served for real (migrate, createsuperuser, runserver on 127.0.0.1), driven
in Chromium: log into its admin and see its models and entries; for API demos, open the
interactive API docs and perform one request. What to check per demo: demo_checks.py."""

import pytest
from demo_checks import ADMIN_CHECKS, API_DOCS_CHECKS
from support import screenshot

from demos.catalog import DEMOS, get_demo

DEMO_NAMES = [demo.name for demo in DEMOS]


def test_every_catalog_demo_has_browser_checks():
    assert sorted(set(DEMO_NAMES) - set(ADMIN_CHECKS)) == [], "add an AdminCheck in docs/e2e/demo_checks.py"


def log_in(page, server):
    page.goto(f"{server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", server.password)
    page.click("input[type=submit]")
    page.wait_for_url(f"{server.url}/admin/")


@pytest.mark.parametrize("name", [name for name in DEMO_NAMES if name in ADMIN_CHECKS])
def test_admin_login_shows_the_demo_models(page, demo_server, name):
    check = ADMIN_CHECKS[name]
    with demo_server(get_demo(name), prepare=check.prepare) as server:
        log_in(page, server)
        captions = page.locator("#content-main caption").all_inner_texts()
        for section in check.sections:
            assert any(caption.strip().lower().startswith(section.lower()) for caption in captions), captions
        screenshot(page, f"{name}/admin-index")
        if check.act:
            check.act(page, server)

        page.goto(server.url + check.changelist)
        content = page.inner_text("#content")
        for text in check.expect_text:
            assert text in content
        if check.expect_row:
            rows = page.locator("#result_list tbody tr").all_inner_texts()
            assert any(all(text in row for text in check.expect_row) for row in rows), rows
        screenshot(page, f"{name}/admin-changelist")


@pytest.mark.parametrize("name", [name for name in DEMO_NAMES if name in API_DOCS_CHECKS])
def test_api_docs_perform_one_request(page, demo_server, name):
    """Swagger UI at /api/docs/, its assets served by the demo (drf-spectacular-sidecar)."""
    check = API_DOCS_CHECKS[name]
    with demo_server(get_demo(name)) as server:
        outside = []
        page.on("request", lambda request: not request.url.startswith(server.url) and outside.append(request.url))
        schema = page.request.get(server.url + check.schema_path)
        assert schema.status == 200

        page.goto(server.url + check.docs_path, wait_until="networkidle")
        operation = page.locator(f"#operations-{check.tag}-{check.operation_id}")
        operation.locator(".opblock-summary").click()
        operation.get_by_role("button", name="Try it out").click()
        operation.get_by_role("button", name="Execute").click()
        status = operation.locator(".live-responses-table tbody .response-col_status").first
        assert status.inner_text().strip() == str(check.expect_status)
        assert outside == [], "the API docs must load their assets from the demo, not a CDN"
        screenshot(page, f"{name}/api-docs")
