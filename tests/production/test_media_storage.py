"""Uploads go where the environment says: MEDIA_ROOT on the file system by
default, or any Django storage (django-storages' object storage, say) named
by MEDIA_STORAGE_BACKEND with its options in MEDIA_STORAGE_OPTIONS."""

import json

from tests.production.servers import manage, production_env

SAVE = (
    "from django.core.files.base import ContentFile\n"
    "from django.core.files.storage import default_storage\n"
    "print(default_storage.save('original_images/hello.txt', ContentFile(b'hello')))\n"
)


def saved_file(env):
    result = manage("shell", "--no-imports", "-c", SAVE, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_uploads_go_to_media_root_by_default(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", MEDIA_ROOT=tmp_path / "m")
    name = saved_file(env)
    assert (tmp_path / "m" / name).read_bytes() == b"hello"


def test_the_storage_and_its_options_come_from_the_environment(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
        MEDIA_ROOT=tmp_path / "unused",
        MEDIA_STORAGE_BACKEND="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS=json.dumps(
            {"location": str(tmp_path / "bucket"), "base_url": "https://media.example.org/"}
        ),
    )
    name = saved_file(env)
    assert (tmp_path / "bucket" / name).read_bytes() == b"hello"
    assert not (tmp_path / "unused").exists()
    result = manage("shell", "--no-imports", "-c", (
        "from django.core.files.storage import default_storage\n"
        "print(default_storage.url('original_images/hello.txt'))\n"
    ), env=env)
    assert result.stdout.strip() == "https://media.example.org/original_images/hello.txt"


def test_options_that_are_not_a_json_object_are_refused_clearly(tmp_path):
    for options in ('{"bucket_name": ', '["a"]'):
        result = manage("check", env=production_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", MEDIA_STORAGE_OPTIONS=options
        ))
        assert result.returncode != 0
        assert "MEDIA_STORAGE_OPTIONS must be a JSON object" in result.stderr


SERVED = (
    "from django.urls import Resolver404, resolve\n"
    "try:\n"
    "    print(resolve('/media/images/a.png').func.__name__)\n"
    "except Resolver404:\n"
    "    print('no route')\n"
)


def test_the_app_serves_uploads_unless_a_storage_of_their_own_is_named(tmp_path):
    base = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    served = {
        "default": {},
        "object storage": {"MEDIA_STORAGE_BACKEND": "storages.backends.s3.S3Storage"},
        "turned off": {"SERVE_MEDIA": "0"},
    }
    views = {}
    for case, variables in served.items():
        result = manage("shell", "--no-imports", "-c", SERVED, env=production_env(
            **base, **variables
        ))
        assert result.returncode == 0, result.stderr
        views[case] = result.stdout.strip()
    assert views == {
        "default": "serve_image_file", "object storage": "no route", "turned off": "no route"
    }
