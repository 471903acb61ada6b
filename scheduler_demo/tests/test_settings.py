import ast
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent


def test_production_settings_pass_the_deploy_check(deploy_check):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage_py, production_environment, monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    env = {key: value for key, value in production_environment.items() if key != "DJANGO_SECRET_KEY"}
    result = manage_py("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_an_empty_secret_key(manage_py, production_environment):
    # An empty key would pass `check` and then make every request a 500.
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_demo_imports_no_other_demo_and_no_test_harness_outside_tests():
    forbidden = {"demo_harness", "demos", "signals_demo", "tests"}
    for path in DEMO.rglob("*.py"):
        parts = path.relative_to(DEMO).parts
        # The demo's own code only: not its tests, nor a virtualenv or the harness copy
        # that the README's standalone commands create in the folder (.venv, test-harness).
        if "tests" in parts or "test-harness" in parts or parts[0].startswith("."):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path} imports {name}"


def test_only_django4_background_tasks_provides_background_task():
    from importlib.metadata import PackageNotFoundError, distribution

    assert distribution("django4-background-tasks").version
    try:
        distribution("django-background-tasks")
    except PackageNotFoundError:
        pass
    else:
        raise AssertionError("django-background-tasks is installed too: both ship `background_task`")
