"""sociallogin_demo in Chromium: "Sign in with the provider" clicked for real, nothing scripted.

The site and its local OpenID Connect provider (provider/, django-oauth-toolkit) are both
served on runserver (support.run_with_provider); the browser follows every redirect
itself: the site's provider link, allauth's "Continue", the provider's own login form,
the callback with its code and state, and lands on the profile page, signed in.
"""

from demo_checks import sign_in_with_the_provider
from playwright.sync_api import expect
from support import screenshot

from demos.catalog import get_demo


def test_signing_in_with_the_provider_in_chromium_lands_on_the_profile(page, demo_server):
    with demo_server(get_demo("sociallogin_demo")) as server:
        sign_in_with_the_provider(page, server, "alice")

        expect(page.get_by_role("heading")).to_have_text("Signed in as alice@example.com")
        expect(page.locator("body")).to_contain_text("Linked provider accounts: localidp")
        screenshot(page, "sociallogin_demo/signed-in")
        # The session is the site's own: the provider's cookies have names of their own
        # (idp_sessionid), so the two servers on 127.0.0.1 do not overwrite each other's.
        cookies = {cookie["name"] for cookie in page.context.cookies(server.url)}
        assert {"sessionid", "idp_sessionid"} <= cookies, cookies
        page.goto(server.url + "/profile/")  # a reload: still signed in
        expect(page.get_by_role("heading")).to_have_text("Signed in as alice@example.com")
