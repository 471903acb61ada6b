"""walkthrough.sh, the requests the README shows, run in order against a fresh server
pointed at the served local provider (as `manage.py localprovider` serves it by hand)."""

from demo_harness.walkthrough import run_walkthrough


def test_the_walkthrough_runs_twice_against_a_freshly_started_server(demo_dir, provider):
    result = run_walkthrough(demo_dir, env={"OIDC_PROVIDER_URL": provider.url + "/o"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("walkthrough finished") == 2
