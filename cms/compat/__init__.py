"""Every workaround around Wagtail in one place: where Wagtail offers no hook.

Each module here names what it replaces or copies; a system check in
:mod:`cms.checks` and a test fail when the Wagtail code it depends on changes.
"""
