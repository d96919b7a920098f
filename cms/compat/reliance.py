"""How a workaround notices that the code it copies or replaces has changed.

Each workaround module keeps a :class:`Reliance`: the dotted names of the
Wagtail (or Django) code it copies or replaces, and a fingerprint of that
code as it was when someone last checked the workaround against it. The
system check (:mod:`cms.compat.checks`) and the test suite compute the
fingerprint of the installed code and compare: a release that changes what
we copied fails both, naming what to re-check, instead of drifting silently.
"""

import hashlib
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.core.checks import Error, Warning

#: Characters of the SHA-256 digest kept: enough to tell two sources apart.
DIGEST_LENGTH = 16


def resolve(dotted):
    """The object a dotted name stands for: a module, then attributes of it."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        module_name = ".".join(parts[:split])
        try:
            found = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if not f"{module_name}.".startswith(f"{error.name}."):
                raise  # the module exists but imports something missing
            continue
        for name in parts[split:]:
            found = getattr(found, name)
        return found
    raise ModuleNotFoundError(dotted)


def fingerprint(texts):
    """A short digest of ``texts`` (name → text), independent of their order."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(f"{name}\n{texts[name]}\n".encode())
    return digest.hexdigest()[:DIGEST_LENGTH]


def replaced_source(obj):
    """The text of code a workaround replaces, also once it has: the
    replacement keeps the original as ``replaced`` (a property, its ``func``)."""
    obj = getattr(obj, "replaced", obj)
    return inspect.getsource(getattr(obj, "func", obj))


@dataclass(frozen=True)
class Reliance:
    """The code outside ours that a workaround copies or replaces, as last checked."""

    #: The system check's id; ``cms.E…`` where a change could leak hidden pages.
    check_id: str
    #: Dotted names of what is copied or replaced.
    names: tuple[str, ...]
    #: :func:`fingerprint` of their text when the workaround was last checked.
    fingerprint: str
    #: What a maintainer compares with our code when the fingerprint changes.
    recheck: str
    #: What could go wrong meanwhile, for the system check's hint.
    risk: str
    #: The text of one named object that the fingerprint covers.
    read: Callable[[object], str] = inspect.getsource

    def texts(self):
        """Name → text of each named object as installed; why not, when unreadable."""
        texts = {}
        for name in self.names:
            try:
                texts[name] = self.read(resolve(name))
            except (ImportError, AttributeError):
                texts[name] = "(gone)"
            except (OSError, TypeError):
                texts[name] = "(source unavailable)"
        return texts

    def current(self):
        """The fingerprint of the installed code."""
        return fingerprint(self.texts())

    def message(self, problem):
        level = Error if ".E" in self.check_id else Warning
        return level(problem, hint=f"{self.risk} Re-check: {self.recheck}",
                     obj=self.names[0], id=self.check_id)

    def messages(self, mismatch=None):
        """System check messages: the workaround's own finding, then a changed fingerprint."""
        found = [self.message(mismatch)] if mismatch else []
        current = self.current()
        if current != self.fingerprint:
            found.append(self.message(
                f"{', '.join(self.names)} changed since cms was checked against it "
                f"(fingerprint {current}, checked {self.fingerprint})."
            ))
        return found
