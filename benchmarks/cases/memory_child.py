"""Child process of the memory benchmark: iterate orders from search and report its peak RSS.

Run as ``python -m benchmarks.cases.memory_child --url URL --count N``. Only the plain client is
imported (no Airflow), so the process holds little besides what iterating costs. Prints one
JSON line: orders seen, peak RSS before and after iterating (MB), and seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB.

    Linux's ``VmHWM`` is the high-water mark of this program's own memory. ``ru_maxrss`` is not
    usable here: it keeps the parent's size from before ``exec`` (the benchmark runner, with
    Airflow loaded), so it is only the fallback on other systems (where it is KiB, or bytes on macOS).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()

    from pydantic import SecretStr

    from airflow_provider_ordermesh.client import ClientCredentials, OrderMeshClient
    from benchmarks.harness.environment import CLIENT_ID, CLIENT_SECRET

    client = OrderMeshClient(args.url, ClientCredentials(CLIENT_ID, SecretStr(CLIENT_SECRET)))
    before = peak_rss_mb()
    started = time.perf_counter()
    seen = sum(1 for _ in client.orders.search(page_size=args.page_size, max_items=args.count))
    seconds = time.perf_counter() - started
    print(
        json.dumps({"seen": seen, "rss_before_mb": before, "peak_rss_mb": peak_rss_mb(), "seconds": seconds})
    )


if __name__ == "__main__":
    main()
