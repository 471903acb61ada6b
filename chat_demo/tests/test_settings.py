"""Production mode, configuration from the environment, migrations."""

import io

from django.core.management import call_command

READ_LAYER = "from django.conf import settings; print(settings.CHANNEL_LAYERS['default']['BACKEND'])"


def test_deploy_check_passes_in_production_mode(deploy_check):
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(manage_py, production_environment):
    result = manage_py("check", env={**production_environment, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_channel_layer_is_in_memory_unless_redis_url_is_set(manage_py):
    in_memory = manage_py("shell", "-c", READ_LAYER, env={"REDIS_URL": ""})
    on_redis = manage_py("shell", "-c", READ_LAYER, env={"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert in_memory.stdout.split()[-1] == "channels.layers.InMemoryChannelLayer", in_memory.stderr
    assert on_redis.stdout.split()[-1] == "channels_redis.core.RedisChannelLayer", on_redis.stderr


def test_a_malformed_rate_stops_startup_naming_it(manage_py):
    result = manage_py("check", env={"CHAT_RATE_MESSAGES": "lots"})
    assert result.returncode != 0
    assert "CHAT_RATE_MESSAGES must be a whole number of at least 1, not 'lots'" in result.stderr


def test_migrations_are_up_to_date(db):
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # exits non-zero when stale
    assert "No changes detected" in out.getvalue()
