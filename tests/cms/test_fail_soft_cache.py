"""The fail-soft Redis cache: with Redis away every call answers at once as
a miss or a no-op, the outage is logged once, and when Redis is back the
``recovered`` signal goes out before the first call that reaches it returns."""

import logging

import pytest

from cms import fail_soft_cache
from cms.fail_soft_cache import CacheUnavailable, FailSoftRedisCache
from tests.serving import RedisServer, free_port


def backend(url, **options):
    return FailSoftRedisCache(url, {"KEY_PREFIX": "fail-soft", "OPTIONS": options})


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path / "redis")
    yield server
    server.stop()


@pytest.fixture
def recoveries():
    seen = []

    def receiver(sender, cache, **kwargs):
        # What the receiver reads is Redis's, not the outage's default.
        seen.append(cache.get("marker", "miss"))

    fail_soft_cache.recovered.connect(receiver)
    yield seen
    fail_soft_cache.recovered.disconnect(receiver)


def test_a_closed_port_is_a_miss_and_a_no_op_and_logged_once(caplog):
    cache = backend(f"redis://:secret@127.0.0.1:{free_port()}/0")
    with caplog.at_level(logging.WARNING, logger="cms.fail_soft_cache"):
        for _ in range(50):
            assert cache.get("key", "default") == "default"
            assert cache.set("key", 1) is None
            assert cache.add("key", 1) is False
            assert cache.delete("key") is False
            assert cache.get_many(["a", "b"]) == {}
            assert cache.set_many({"a": 1}) == ["a"]
            assert cache.has_key("key") is False
            assert cache.get_or_set("key", 7) == 7
            with pytest.raises(ValueError):
                cache.incr("counter")
    [line] = [record for record in caplog.records if record.name == "cms.fail_soft_cache"]
    assert "unreachable" in line.getMessage()
    assert "secret" not in line.getMessage()  # the log names the host, not the password
    with pytest.raises(CacheUnavailable):
        cache.probe()


def test_redis_lost_mid_run_and_back(redis_server, recoveries, caplog):
    cache = backend(redis_server.url, RETRY_AFTER=0)  # every call tries Redis
    cache.set("marker", "before")
    assert cache.get("marker") == "before"
    cache.probe()

    redis_server.stop()
    with caplog.at_level(logging.INFO, logger="cms.fail_soft_cache"):
        assert cache.get("marker") is None
        cache.set("marker", "dropped")
        with pytest.raises(CacheUnavailable):
            cache.probe()
        redis_server.start()  # with the data it had (its append-only file)
        assert cache.get("marker") == "before"
    assert recoveries == ["before"]  # sent once, before that call returned
    assert cache.get("marker") == "before" and recoveries == ["before"]
    cache.probe()
    messages = [r.getMessage() for r in caplog.records if r.name == "cms.fail_soft_cache"]
    assert len(messages) == 2 and "answers again" in messages[1]


def test_a_hung_redis_is_waited_for_once_per_interval(redis_server):
    cache = backend(redis_server.url, RETRY_AFTER=60, socket_timeout=0.2)
    cache.set("marker", "before")
    redis_server.pause()
    try:
        assert cache.get("marker") is None  # the socket timeout, once
        for _ in range(100):
            assert cache.get("marker") is None
    finally:
        redis_server.resume()
    # The hundred calls after the first left Redis alone.
    assert cache.outage.dropped == 100
