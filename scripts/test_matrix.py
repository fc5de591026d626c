"""``make test``: the whole suite once per supported Airflow minor, each in its own venv.

Usage: ``python scripts/test_matrix.py [MINOR ...]`` (``make test AIRFLOW=3.2`` passes one). The
supported minors are the constraints files ``requirements/airflow-<minor>.txt``. For each one it
installs ``.venv-<minor>`` (``make venv-<minor>``, a no-op when up to date) and runs the whole
suite there, in two parts: the unit and sandbox tests (``-m "not deployment"``: CPU-bound, one
core) and the real-deployment tests (``-m deployment``: Airflow's components, mostly waiting on
their heartbeats).

Two lanes share the machine's two cores: one runs the minors' unit parts one after the other, the
other their deployment parts; a part starts once its minor's venv is installed (one install at a
time, in the background, oldest minor first). No two unit parts run at once (they build the wheel
in this checkout) and no two deployments (each is half a dozen processes). Each part's output goes
to ``build/test-<minor>-<part>.log`` and is printed whole when the part ends, so the log reads in
order; at the end one line per part says how it went and how long it took, and the exit code is
non-zero if any install or any part failed. Standard library only: it runs before any venv exists.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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


PARTS: dict[str, list[str]] = {"unit": ["-m", "not deployment"], "deployment": ["-m", "deployment"]}
"""The two parts of a minor's suite, which together are the whole suite, and their pytest filters."""


@dataclass
class Part:
    """One part of one minor's suite, and how it went."""

    minor: str
    name: str
    code: int | None = None
    closing: str = "(not run)"
    seconds: float = 0.0

    @property
    def log_path(self) -> Path:
        return ROOT / "build" / f"test-{self.minor}-{self.name}.log"

    @property
    def ok(self) -> bool:
        return self.code == 0

    def run(self) -> None:
        """pytest in ``.venv-<minor>`` on this part, its output into the part's log."""
        python = ROOT / f".venv-{self.minor}" / "bin" / "python"
        command = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--durations=15"]
        started = time.monotonic()
        with self.log_path.open("w") as log:
            self.code = subprocess.run(
                [*command, *PARTS[self.name]], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, check=False
            ).returncode
        self.seconds = time.monotonic() - started
        self.closing = next(
            (line.strip().strip("=").strip() for line in reversed(self.lines()) if CLOSING_LINE.search(line)),
            "(no closing line)",
        )

    def lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


class Console:
    """Prints whole blocks from several threads, one block at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        with self._lock:
            print(text, flush=True)


def run_lane(parts: list[Part], installs: dict[str, Install], console: Console) -> None:
    """Run ``parts`` one after the other, each once its minor's venv is installed."""
    for part in parts:
        install = installs[part.minor]
        install.done.wait()
        if not install.ok:
            part.closing = "not run: the venv did not install"
            continue
        console.say(f"===== Airflow {part.minor}, {part.name} tests: started =====")
        part.run()
        verdict = "passed" if part.ok else "FAILED"
        body = "\n".join(part.lines())
        console.say(
            f"===== Airflow {part.minor}, {part.name} tests: {verdict} in {part.seconds:.0f} s "
            f"(log: {part.log_path.relative_to(ROOT)}) =====\n{body}\n"
        )


def lanes(minors: list[str]) -> Iterator[list[Part]]:
    """One lane per part name, each holding that part of every minor, oldest minor first."""
    for name in PARTS:
        yield [Part(minor, name) for minor in minors]


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
    started = time.monotonic()
    (ROOT / "build").mkdir(exist_ok=True)
    installs = {minor: Install(minor) for minor in wanted}
    install_in_turn(list(installs.values()))
    console = Console()
    all_lanes = list(lanes(wanted))
    threads = [
        threading.Thread(target=run_lane, args=(lane, installs, console), name=f"lane-{lane[0].name}")
        for lane in all_lanes
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for install in installs.values():
        if not install.ok:
            print(f"===== .venv-{install.minor} did not install =====")
            print(install.log_path.read_text(errors="replace"), flush=True)
    print("\n===== results per Airflow minor and part =====")
    parts = sorted(
        (part for lane in all_lanes for part in lane), key=lambda p: (wanted.index(p.minor), p.name)
    )
    for part in parts:
        outcome = ("ok      " if part.ok else "FAILED  ") + part.closing
        print(
            f"Airflow {part.minor:<5} {part.name:<10} {outcome}   "
            f"(install {installs[part.minor].seconds:.0f} s, tests {part.seconds:.0f} s)"
        )
    failed = [f"{part.minor} {part.name}" for part in parts if not part.ok]
    total = time.monotonic() - started
    print(
        f"{'FAILED: ' + ', '.join(failed) if failed else 'all passed'}: {len(wanted)} minor(s), the whole "
        f"suite on each, in {total:.0f} s (two lanes; installs overlap the tests)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
