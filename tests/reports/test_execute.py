"""The kernel the reports run in: the project's own, installed with it, found before anything runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from corpus.errors import ReportError
from corpus.reports import execute
from corpus.reports.notebooks import KERNEL_NAME


def test_the_reports_run_the_kernel_installed_in_this_environment() -> None:
    assert execute.check_kernel() == Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def test_a_kernel_registered_for_the_user_does_not_replace_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`nox -s lab` registers the lab environment's interpreter under the same name, for the user."""
    user_spec = tmp_path / "kernels" / KERNEL_NAME
    user_spec.mkdir(parents=True)
    argv = ["/elsewhere/bin/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (user_spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "other"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")  # a user who prefers their own kernels
    assert execute.check_kernel() == Path(sys.prefix) / "share" / "jupyter" / "kernels" / KERNEL_NAME


def test_a_missing_kernel_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execute, "KERNEL_NAME", "no-such-kernel-here")
    with pytest.raises(ReportError, match=r"no kernel 'no-such-kernel-here'.*install the project"):
        execute.check_kernel()
