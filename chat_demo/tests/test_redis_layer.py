"""The channels-redis layer as settings configure it (REDIS_URL), against a real Redis."""

import asyncio
import secrets

import pytest
from asgiref.sync import async_to_sync
from channels_redis.core import RedisChannelLayer


@pytest.mark.redis
def test_an_idle_connection_outlives_the_redis_read_timeout(redis_url, settings):
    """A consumer's channel waits in blocking reads of 5 s; redis-py 8's default read
    timeout is 5 s too, and an idle WebSocket was closed with 1011 after 5 quiet seconds."""
    host = {**settings.REDIS_HOST, "address": redis_url}
    layer = RedisChannelLayer(hosts=[host], prefix=f"chat_demo_test_{secrets.token_hex(4)}")

    async def idle_then_deliver():
        channel = await layer.new_channel()
        with pytest.raises(asyncio.TimeoutError):  # nothing for 7 s: still waiting, no error
            await asyncio.wait_for(layer.receive(channel), timeout=7)
        await layer.send(channel, {"type": "chat.message", "message": "after the quiet"})
        received = await asyncio.wait_for(layer.receive(channel), timeout=5)
        await layer.flush()
        return received

    assert async_to_sync(idle_then_deliver)()["message"] == "after the quiet"
