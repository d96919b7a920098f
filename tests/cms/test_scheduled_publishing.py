"""Scheduled publishing runs in the task worker at the time it is due: a
go-live time or an expiry time an editor sets queues a ``publish_scheduled``
run for that moment. time-machine stands in for the wait; the worker is
django-tasks-db's ``db_worker``, run in the test's process."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.models import NewsPage

TASK = "cms.tasks.publish_scheduled_pages"


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        yield traveller


def scheduled_runs():
    return DBTaskResult.objects.filter(task_path=TASK)


def schedule(parent, title, go_live_at):
    page = NewsPage(title=title, date=datetime.date(2007, 6, 1), go_live_at=go_live_at)
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_a_page_scheduled_for_later_goes_live_when_the_worker_runs_then(
    tree, run_worker, clock
):
    go_live = timezone.now() + datetime.timedelta(hours=1)
    page = schedule(tree.news, "Later", go_live)
    assert not page.live
    [run] = scheduled_runs()
    assert run.run_after == go_live

    run_worker()  # not due: nothing happens
    page.refresh_from_db()
    run.refresh_from_db()
    assert not page.live and run.status == "READY"

    clock.shift(datetime.timedelta(hours=1, seconds=1))
    run_worker()
    page.refresh_from_db()
    assert page.live
    run.refresh_from_db()
    assert run.status == "SUCCESSFUL"


def test_an_expiring_page_is_unpublished_when_the_worker_runs_then(
    tree, publish, run_worker, clock
):
    expire = timezone.now() + datetime.timedelta(days=2)
    page = publish(
        tree.news, NewsPage(title="Ends", date=datetime.date(2007, 6, 1), expire_at=expire)
    )
    assert page.live
    [run] = scheduled_runs()
    assert run.run_after == expire

    clock.shift(datetime.timedelta(days=2, seconds=1))
    run_worker()
    page.refresh_from_db()
    assert not page.live and page.expired


def test_a_moved_schedule_publishes_at_the_new_time_only(tree, run_worker, clock):
    first = timezone.now() + datetime.timedelta(minutes=10)
    page = schedule(tree.news, "Moved", first)
    page.go_live_at = first + datetime.timedelta(minutes=50)
    page.save_revision().publish()
    assert scheduled_runs().count() == 2

    clock.shift(datetime.timedelta(minutes=11))
    run_worker()  # the first run finds nothing due
    page.refresh_from_db()
    assert not page.live
    clock.shift(datetime.timedelta(minutes=50))
    run_worker()
    page.refresh_from_db()
    assert page.live
    assert set(scheduled_runs().values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_publishing_now_queues_nothing(tree, publish, tasks_in_database):
    publish(tree.news, NewsPage(title="Now", date=datetime.date(2007, 6, 1)))
    assert not scheduled_runs().exists()


def test_without_a_backend_that_runs_tasks_later_nothing_is_queued(
    tree, settings, transactional_db
):
    """Django's immediate backend cannot run a task at a time: a host project
    on it keeps its own timer for ``publish_scheduled``, and scheduling works
    as before."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = schedule(tree.news, "Cron", timezone.now() + datetime.timedelta(hours=1))
    assert not page.live
    assert not scheduled_runs().exists()
