"""Times, per token, an Agora 007 RTC token built by rtc_tokens against
Agora's own Python 3 reference (AgoraIO/Tools, DynamicKey/AgoraDynamicKey/python3).

    python bench.py [--agora-python PATH] [--iterations N] [--rounds R]

PATH is the reference's `src` directory, fetched locally (it is not on PyPI
under Agora's name and is never committed here). Without it, the PyPI
package `agoraiotools` (a repackaged snapshot of the same code) is used when
installed; with neither, only rtc_tokens is timed.

Both sides get the same inputs and the same number of calls per round; the
rounds alternate between them and the median per-token time of each side is
reported. The last line is a one-line summary.
"""

import argparse
import importlib
import json
import statistics
import sys
import time
import types
from pathlib import Path

import rtc_tokens

APP_ID = "970CA35de60c44645bbae8a215061b33"
APP_CERTIFICATE = "5CFd2fd1755d40ecb72977518be15d3b"
CHANNEL = "7d72365eb983485397e3e3f9d460bdda"
UID = 2882341273
EXPIRE = 3600


def load_reference(path):
    """Agora's RtcTokenBuilder2 module and where it came from, or (None, why)."""
    if path:
        src = Path(path).resolve()
        package = types.ModuleType("agora_reference")
        package.__path__ = [str(src)]
        sys.modules["agora_reference"] = package
        return importlib.import_module("agora_reference.RtcTokenBuilder2"), f"AgoraIO/Tools python3 at {src}"
    try:
        module = importlib.import_module("agoraiotools.RtcTokenBuilder2")
    except ImportError:
        return None, "no reference: pass --agora-python PATH or pip install agoraiotools"
    version = importlib.import_module("agoraiotools").__version__
    return module, f"agoraiotools {version} (PyPI)"


def per_token_ns(build, iterations):
    start = time.perf_counter_ns()
    for _ in range(iterations):
        build()
    return (time.perf_counter_ns() - start) / iterations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agora-python", metavar="PATH", help="the reference's python3/src directory")
    parser.add_argument("--iterations", type=int, default=20_000, help="calls per round (default 20000)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per side (default 7)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args()

    provider = rtc_tokens.AgoraProvider(APP_ID, APP_CERTIFICATE)
    ours = lambda: provider.issue(uid=UID, room=CHANNEL, validity_secs=EXPIRE)  # noqa: E731
    reference, source = load_reference(args.agora_python)
    sides = {"rtc_tokens": ours}
    if reference is not None:
        builder = reference.RtcTokenBuilder
        publisher = reference.Role_Publisher
        sides["agora_reference"] = lambda: builder.build_token_with_uid(  # noqa: E731
            APP_ID, APP_CERTIFICATE, CHANNEL, UID, publisher, EXPIRE, EXPIRE
        )
        # Same token content: the reference's token verifies here, as ours does.
        parsed = provider.verify(sides["agora_reference"](), expect_room=CHANNEL, expect_user=str(UID))
        assert parsed.privileges == provider.verify(ours().token).privileges

    for build in sides.values():  # warm-up
        per_token_ns(build, max(1, args.iterations // 10))
    rounds = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, build in sides.items():
            rounds[name].append(per_token_ns(build, args.iterations))
    medians = {name: statistics.median(times) / 1000 for name, times in rounds.items()}

    for name, times in rounds.items():
        shown = ", ".join(f"{t / 1000:.2f}" for t in times)
        print(f"{name}: median {medians[name]:.2f} us per token (rounds: {shown})")
    what = f"python 007 build, median of {args.rounds} rounds x {args.iterations}"
    if "agora_reference" in medians:
        ratio = medians["agora_reference"] / medians["rtc_tokens"]
        summary = (
            f"{what}: rtc_tokens {medians['rtc_tokens']:.2f} us, agora reference "
            f"{medians['agora_reference']:.2f} us per token: {ratio:.1f}x faster ({source})"
        )
    else:
        ratio = None
        summary = f"{what}: rtc_tokens {medians['rtc_tokens']:.2f} us per token ({source})"
    if args.json:
        print(json.dumps({"medians_us": medians, "ratio": ratio, "reference": source}))
    print(summary)


if __name__ == "__main__":
    main()
