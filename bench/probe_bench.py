#!/usr/bin/python3
"""Benchmark of reachprobe run over many ad-hoc endpoints in the lab, 10% of them blackholed.

Prints wall time / per-step timeout (goal < 1.5), peak RSS (goal < 64 MiB) and CPU time.
Usage (as root, from the repository root, after scripts/build.sh):
    bench/probe_bench.py [--endpoints 500] [--timeout 2] [--parallel 64] [--extra ARGS...]
e.g. --extra=--no-capture --extra=--no-localize to measure the bare engine; by default the probe captures
packets (it runs as root here) and localizes the blackholed endpoints (at most 16 per run).
It joins (or builds) the lab as a shared user and leaves it as it found it, adds its own addresses (198.18.32.0/22)
and a listener in rp-services, and a drop rule for 198.18.34.0/24 in rp-censor; all removed at the end.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAB = os.path.join(ROOT, "tests", "lab", "lab.sh")
PROBE = os.path.join(ROOT, "build", "probe", "reachprobe")
PORT = 9443


def sh(*args, check=True):
    return subprocess.run(list(args), check=check, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def addresses(n_ok, n_blackholed):
    ok = [f"198.18.{32 + i // 250}.{1 + i % 250}" for i in range(n_ok)]
    dropped = [f"198.18.34.{1 + i}" for i in range(n_blackholed)]
    return ok, dropped


def setup(ok, dropped):
    for a in ok + dropped:
        sh("ip", "-n", "rp-services", "addr", "add", f"{a}/32", "dev", "lo")
    sh("ip", "-n", "rp-backbone", "route", "add", "198.18.32.0/22", "via", "198.18.4.2")
    subprocess.run(["ip", "netns", "exec", "rp-censor", "nft", "-f", "-"], check=True, text=True,
                   input="table inet rp_bench {\n chain bench_drop {\n  type filter hook forward priority -10;\n"
                         "  ip daddr 198.18.34.0/24 drop\n }\n}\n")
    # A bounded-lifetime listener that accepts and answers HTTP on every address of rp-services.
    # (A deep accept backlog: with the default of 5, SYNs overflow and retransmit after 1 s, which would
    # measure the server rather than the probe.) It serves one small page from a directory of its own:
    # serving a directory listing of a busy /tmp once made the server, not the probe, the bottleneck.
    server = ("import http.server as h\n"
              "class S(h.ThreadingHTTPServer):\n request_queue_size = 4096\n"
              f"S(('0.0.0.0', {PORT}), h.SimpleHTTPRequestHandler).serve_forever()\n")
    docroot = tempfile.mkdtemp(prefix="reachprobe-bench-www-")
    with open(os.path.join(docroot, "index.html"), "w") as f:
        f.write("<!DOCTYPE html><html><head><title>bench</title></head><body>bench</body></html>\n")
    proc = subprocess.Popen(["ip", "netns", "exec", "rp-services", "timeout", "600", "/usr/bin/python3", "-c", server],
                            cwd=docroot, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.docroot = docroot
    return proc


def teardown(ok, dropped, server):
    if server:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(server.docroot, ignore_errors=True)
    sh("ip", "netns", "exec", "rp-censor", "nft", "delete table inet rp_bench", check=False)
    sh("ip", "-n", "rp-backbone", "route", "del", "198.18.32.0/22", check=False)
    for a in ok + dropped:
        sh("ip", "-n", "rp-services", "addr", "del", f"{a}/32", "dev", "lo", check=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--endpoints", type=int, default=500)
    ap.add_argument("--timeout", type=float, default=2.0)
    ap.add_argument("--parallel", type=int, default=64)
    ap.add_argument("--extra", action="append", default=[], help="an extra reachprobe run argument (repeatable)")
    args = ap.parse_args()

    n_drop = args.endpoints // 10
    n_ok = args.endpoints - n_drop
    if n_ok > 1000 or n_drop > 250:
        sys.exit("bench: at most 1000 reachable and 250 blackholed endpoints")
    # Join the lab as a shared user (as the CTest fixture does), so a bench never pulls it from under tests.
    rc = subprocess.run([LAB, "up", "--shared"]).returncode
    if rc != 0:
        sys.exit(f"bench: the lab could not be built (lab.sh up --shared exited {rc})")
    ok, dropped = addresses(n_ok, n_drop)
    all_dropped = list(dropped)
    server = None
    out = f"/tmp/reachprobe-bench-{os.getpid()}.jsonl"
    try:
        server = setup(ok, dropped)
        time.sleep(1.0)
        # Half TCP endpoints, half plain-HTTP URLs, so both our own sockets and libcurl are exercised.
        # Blackholed endpoints are spread through the list, as they would be in a real target list.
        inputs = []
        for i, a in enumerate(ok):
            inputs += ["--endpoint", f"{a}:{PORT}/tcp"] if i % 2 == 0 else ["--url", f"http://{a}:{PORT}/"]
            if i % 9 == 8 and dropped:
                inputs += ["--endpoint", f"{dropped.pop()}:{PORT}/tcp"]
        for a in dropped:
            inputs += ["--endpoint", f"{a}:{PORT}/tcp"]
        cmd = ["ip", "netns", "exec", "rp-vantage", PROBE, "run", "-q", "--allow-special-purpose", "--resolver", "198.18.4.53",
               "--timeout", str(args.timeout), "--parallel", str(args.parallel), "--output", out] + args.extra + inputs
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        rc = subprocess.run(cmd).returncode
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        records = [json.loads(line) for line in open(out)]
        failures = {}
        for r in records:
            for o in r["observations"]:
                key = f'{o["type"]}:{o["failure"]}'
                failures[key] = failures.get(key, 0) + 1
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        print(f"reachprobe bench: {args.endpoints} endpoints ({n_drop} blackholed), timeout {args.timeout} s, "
              f"parallel {args.parallel}, exit {rc}")
        print(f"  records written     {len(records)}")
        print(f"  outcomes            {json.dumps(failures, sort_keys=True)}")
        print(f"  wall time           {wall:.2f} s")
        print(f"  wall / timeout      {wall / args.timeout:.2f}   (goal < 1.5)")
        print(f"  peak RSS            {after.ru_maxrss / 1024:.1f} MiB   (goal < 64)")
        print(f"  CPU time            {cpu:.2f} s (user+sys)")
    finally:
        teardown(ok, all_dropped, server)
        if os.path.exists(out) and not os.environ.get("BENCH_KEEP"):
            os.unlink(out)
        subprocess.run([LAB, "down", "--shared"])


if __name__ == "__main__":
    main()
