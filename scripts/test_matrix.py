"""``make test``: the whole suite once per supported Airflow minor, each in its own venv.

Usage: ``python scripts/test_matrix.py [MINOR ...]`` (``make test AIRFLOW=3.2`` passes one). The
supported minors are the constraints files ``requirements/airflow-<minor>.txt``. For each one it
installs ``.venv-<minor>`` (``make venv-<minor>``, a no-op when up to date) and runs pytest there.

Installs and suites overlap: installs are network- and disk-bound, suites CPU-bound, so while one
minor's suite runs, the next minor's venv installs (one install at a time, one suite at a time;
an install's output goes to ``build/install-<minor>.log`` and is shown only if it fails). At the
end it prints one line per minor with pytest's closing line and the times, and exits non-zero if
any install or any suite failed. Standard library only: it runs before any venv exists.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLOSING_LINE = re.compile(r"\b(passed|failed|error|errors|no tests ran)\b.* in [\d.]+s")


def supported_minors() -> list[str]:
    """The minors with a constraints file, oldest first."""
    names = (
        p.name.removeprefix("airflow-").removesuffix(".txt") for p in ROOT.glob("requirements/airflow-*.txt")
    )
    return sorted(names, key=lambda minor: tuple(int(part) for part in minor.split(".")))


@dataclass
class Install:
    """One minor's venv install, run by the installer thread; ``done`` is set when it has finished."""

    minor: str
    done: threading.Event = field(default_factory=threading.Event)
    ok: bool = False
    seconds: float = 0.0

    @property
    def log_path(self) -> Path:
        return ROOT / "build" / f"install-{self.minor}.log"

    def run(self) -> None:
        """``make venv-<minor>``, its output in the install log."""
        started = time.monotonic()
        try:
            self.log_path.parent.mkdir(exist_ok=True)
            with self.log_path.open("w") as log:
                code = subprocess.run(
                    ["make", "--no-print-directory", f"venv-{self.minor}"],
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    check=False,
                ).returncode
            self.ok = code == 0
        finally:
            self.seconds = time.monotonic() - started
            self.done.set()


def install_in_turn(installs: list[Install]) -> threading.Thread:
    """Start installing the venvs one after the other, in the background, in the order given."""

    def run_all() -> None:
        for install in installs:
            install.run()

    thread = threading.Thread(target=run_all, name="venv-installs", daemon=True)
    thread.start()
    return thread


def marker_filter(minor: str, known: list[str]) -> list[str]:
    """Which tests run on ``minor``, so that the whole matrix stays within CI's time.

    Everything runs on the newest final release. The real-deployment tests (``deployment``: minutes
    of wall time each) also run on the newest minor when it is a beta or release candidate; of them,
    the heaviest (``one_minor``: approvals and webhooks end to end, the distributed profile) run on the
    newest final release only. Older minors run every other test, the unit and sandbox suites that
    cover each version difference in ``compat.py``.
    """
    if minor == newest_final(known):
        return []
    if minor == known[-1]:
        return ["-m", "not one_minor"]
    return ["-m", "not deployment"]


def newest_final(minors: list[str]) -> str:
    """The newest minor whose constraints pin a final Airflow release (not a beta or release candidate)."""
    for minor in reversed(minors):
        pin = re.search(
            r"^apache-airflow==(\S+)$", (ROOT / "requirements" / f"airflow-{minor}.txt").read_text(), re.M
        )
        if pin and not re.search(r"[a-z]", pin.group(1)):
            return minor
    return minors[-1]


def run_suite(minor: str, known: list[str]) -> tuple[int, str]:
    """Run pytest in ``.venv-<minor>``, echoing its output; its exit code and closing line."""
    python = ROOT / f".venv-{minor}" / "bin" / "python"
    closing = "(no closing line)"
    process = subprocess.Popen(
        [str(python), "-m", "pytest", "-q", "--durations=15", *marker_filter(minor, known)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        sys.stdout.write(line)
        if CLOSING_LINE.search(line):
            closing = line.strip().strip("=").strip()
    sys.stdout.flush()
    return process.wait(), closing


def main(argv: list[str]) -> int:
    known = supported_minors()
    wanted = argv or known
    unknown = [minor for minor in wanted if minor not in known]
    if unknown:
        print(
            f"unsupported Airflow minor {', '.join(unknown)}: choose from {' '.join(known)} "
            "(each has requirements/airflow-<minor>.txt)",
            file=sys.stderr,
        )
        return 2
    results: list[tuple[str, str, float, float]] = []
    started = time.monotonic()
    installs = [Install(minor) for minor in wanted]
    install_in_turn(installs)
    for install in installs:
        minor = install.minor
        log = install.log_path.relative_to(ROOT)
        print(f"\n===== Airflow {minor}: waiting for .venv-{minor} (log: {log}) =====", flush=True)
        waited = time.monotonic()
        install.done.wait()
        waited = time.monotonic() - waited
        if not install.ok:
            print(install.log_path.read_text(errors="replace"), flush=True)
            results.append((minor, "FAILED to install (see above)", install.seconds, 0.0))
            continue
        print(
            f"===== Airflow {minor}: installed in {install.seconds:.0f} s ({waited:.0f} s waited); "
            "running the suite =====",
            flush=True,
        )
        t1 = time.monotonic()
        code, closing = run_suite(minor, known)
        results.append(
            (
                minor,
                ("ok      " if code == 0 else "FAILED  ") + closing,
                install.seconds,
                time.monotonic() - t1,
            )
        )
    print("\n===== results per Airflow minor =====")
    for minor, outcome, install_seconds, suite in results:
        print(f"Airflow {minor:<5} {outcome}   (install {install_seconds:.0f} s, suite {suite:.0f} s)")
    failed = [minor for minor, outcome, *_ in results if not outcome.startswith("ok")]
    total = time.monotonic() - started
    print(
        f"{'FAILED on ' + ', '.join(failed) if failed else 'all passed'}: {len(results)} minor(s) in {total:.0f} s"
        " (installs overlap the suites)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
