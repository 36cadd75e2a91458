"""Frictionless validation: one message per error, naming the resource, row and field.

The package is given as its descriptor (a dict) and the folder its paths are relative to, so a
build can validate a staged package (tables in ``.staging/``, seeds in ``seeds/``) before it
replaces anything. For a package of :data:`PARALLEL_MIN_RESOURCES` resources or more,
:class:`FrictionlessRun` validates in two worker processes (``spawn``; scripts need the
``__main__`` guard) one resource (or a group of seed files) per task, and reports the problems in
the same order as a one-process :func:`frictionless_problems`. Paths outside the package are
refused (``trusted=False``); the release verifier refuses remote paths before Frictionless sees them.
"""

from __future__ import annotations

import copy
import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.processes import available_cpus, die_with_parent, spawn_context


def frictionless_problems(descriptor: dict[str, Any], basepath: Path) -> list[str]:
    """Validate a package with Frictionless; one message per error, naming resource, row and field.

    Args:
        descriptor: The package descriptor (not modified).
        basepath: The folder its resource paths are relative to.

    Returns:
        The problems (empty when the package is valid); a descriptor too broken to open gives one.
    """
    from frictionless import FrictionlessException, Package, system

    try:
        with system.use_context(trusted=False):
            report = Package(copy.deepcopy(descriptor), basepath=str(basepath)).validate()
    except FrictionlessException as exc:  # a descriptor too broken to open (e.g. an unsafe path)
        return [f"datapackage.json: {exc.error.message}"]
    return [
        *(f"datapackage.json: {error.message}" for error in report.errors),
        *(message for task in report.tasks for message in _task_messages(task)),
    ]


def _task_messages(task: Any) -> list[str]:
    problems = []
    for error in task.errors:
        where = [f"resource {task.name}"]
        if getattr(error, "row_number", None):
            where.append(f"row {error.row_number}")
        if getattr(error, "field_name", None):
            where.append(f"field {error.field_name}")
        problems.append(f"{', '.join(where)}: [{error.type}] {error.note or error.message}")
    return problems


#: From this many resources on, Frictionless runs in worker processes, one resource (or a group
#: of seed files) per task, while this process runs the corpus checks.
PARALLEL_MIN_RESOURCES = 200
_SEEDS_PER_TASK = 250


@dataclass(frozen=True)
class _Outcome:
    """What one Frictionless task found: report-level errors, task messages, or a fatal error."""

    errors: list[str]
    messages: list[str]
    fatal: str | None = None


_WORKER: dict[str, Any] = {}


def _init_worker(parent: int, descriptor: dict[str, Any], basepath: str) -> None:
    """In a worker: die with the validating process; keep the package's descriptor for the tasks."""
    die_with_parent(parent)
    _WORKER.update(descriptor=descriptor, basepath=basepath)


def _frictionless_task(names: list[str] | None) -> _Outcome:
    """In a worker: validate the package's metadata (``names`` None) or the named resources.

    Each resource is validated as a member of the package (``package.get_resource``), so its
    foreign keys are checked against the other resources exactly as ``Package.validate`` does.
    The package is opened once per worker process.
    """
    from frictionless import FrictionlessException, Package, settings, system

    try:
        with system.use_context(trusted=False):
            if "package" not in _WORKER:
                _WORKER["package"] = Package(_WORKER["descriptor"], basepath=_WORKER["basepath"])
            package = _WORKER["package"]
            if names is None:
                try:
                    package.to_descriptor(validate=True)
                except FrictionlessException as exc:
                    return _Outcome([f"datapackage.json: {e.message}" for e in exc.to_errors()], [])
                return _Outcome([], [])
            errors: list[str] = []
            messages: list[str] = []
            for name in names:
                report = package.get_resource(name).validate(limit_errors=settings.DEFAULT_LIMIT_ERRORS)
                errors.extend(f"datapackage.json: {error.message}" for error in report.errors)
                messages.extend(message for task in report.tasks for message in _task_messages(task))
            return _Outcome(errors, messages)
    except FrictionlessException as exc:
        return _Outcome([], [], fatal=f"datapackage.json: {exc.error.message}")


def _frictionless_groups(descriptor: dict[str, Any]) -> list[list[str]]:
    """Resource names in package order: each table alone, consecutive seed files in groups."""
    groups: list[list[str]] = []
    seed_group: list[str] | None = None
    for resource in descriptor.get("resources", []):
        path = resource.get("path")
        if not (isinstance(path, str) and path.startswith("seeds/")):
            groups.append([resource.get("name")])
            seed_group = None
            continue
        if seed_group is None or len(seed_group) >= _SEEDS_PER_TASK:
            seed_group = []
            groups.append(seed_group)
        seed_group.append(resource.get("name"))
    return groups


class _Pool:
    """Frictionless running in two worker processes; :meth:`problems` collects what it found.

    Tasks go out largest first (the workers finish together) but the problems come back in the
    package's resource order, so the report is the same as a one-process validation.
    """

    def __init__(self, descriptor: dict[str, Any], basepath: Path) -> None:
        groups = _frictionless_groups(descriptor)
        sizes = {r.get("name"): r.get("bytes") for r in descriptor.get("resources", [])}

        def cost(group: list[str]) -> int:
            return sum(v if isinstance(v := sizes.get(name), int) else 0 for name in group)

        self._pool = ProcessPoolExecutor(
            max_workers=2,
            mp_context=spawn_context(),
            initializer=_init_worker,
            initargs=(os.getpid(), descriptor, str(basepath)),
        )
        self._metadata = self._pool.submit(_frictionless_task, None)
        futures: dict[int, Future[_Outcome]] = {}
        for index in sorted(range(len(groups)), key=lambda i: (-cost(groups[i]), i)):
            futures[index] = self._pool.submit(_frictionless_task, groups[index])
        self._futures = [futures[i] for i in range(len(groups))]

    def abandon(self) -> None:
        """Drop the tasks not yet started (after an unexpected error in this process)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def problems(self) -> list[str]:
        """Wait for the workers; the messages in the order ``Package.validate`` gives them."""
        try:
            outcomes = [self._metadata.result()]
            if outcomes[0].errors:  # as Package.validate: invalid metadata stops before the rows
                return outcomes[0].errors
            outcomes.extend(future.result() for future in self._futures)
        finally:
            self._pool.shutdown(cancel_futures=True)
        for outcome in outcomes:
            if outcome.fatal is not None:
                return [outcome.fatal]
        return [*(e for o in outcomes for e in o.errors), *(m for o in outcomes for m in o.messages)]


class FrictionlessRun:
    """Frictionless validation of a package: in two worker processes for a large package, while
    the caller runs its own checks; at once in this process otherwise.
    """

    def __init__(self, descriptor: dict[str, Any], basepath: Path) -> None:
        resources = descriptor.get("resources")
        self._pool: _Pool | None = None
        self._found: list[str] = []
        if (
            isinstance(resources, list)
            and len(resources) >= PARALLEL_MIN_RESOURCES
            and all(isinstance(r, dict) for r in resources)
            and available_cpus() >= 2
        ):
            self._pool = _Pool(descriptor, basepath)
        else:
            self._found = frictionless_problems(descriptor, basepath)

    def abandon(self) -> None:
        """Drop the tasks not yet started (after an unexpected error in the caller)."""
        if self._pool is not None:
            self._pool.abandon()

    def problems(self) -> list[str]:
        """Every problem, in the order ``Package.validate`` gives them."""
        return self._pool.problems() if self._pool is not None else self._found
