#!/usr/bin/python3
"""Smoke test of the lab: every scenario host behaves as tests/lab/README.md says, from the vantage and the control.

Uses only curl, the lab's dns_tools.py and plain sockets, run inside the namespaces with `ip netns exec`,
so it checks the lab itself and not the probe. Exits 0 when every check passes, 1 otherwise.
"""
import concurrent.futures
import errno
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN = os.environ.get("REACHPROBE_LAB_RUN", "/run/reachprobe-lab")
PY = "/usr/bin/python3"
VANTAGE, CONTROL = "rp-vantage", "rp-control"
RESOLVER = "198.18.4.53"
LAB_CA = f"{RUN}/ca/ca.pem"
INTERCEPTOR_CA = f"{RUN}/ca/interceptor-ca.pem"
BLOCKPAGE_TEXT = "blocked by order of the Telecommunications Authority"
HOSTS = {}


def load_hosts():
    with open(os.path.join(HERE, "hosts.tsv")) as f:
        for line in f:
            fields = line.split()
            if len(fields) == 3 and not line.lstrip().startswith("#"):
                HOSTS[fields[0]] = fields[1]


def ns_run(ns, argv, timeout=10):
    proc = subprocess.run(["ip", "netns", "exec", ns] + argv, capture_output=True, text=True,
                          timeout=timeout, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


def dns(ns, name, qtype="A", all_replies=False, server=RESOLVER):
    argv = [PY, f"{HERE}/dns_tools.py", "query", "--server", server, "--name", name, "--type", qtype, "--timeout", "1"]
    return ns_run(ns, argv + (["--all"] if all_replies else []))[1].strip().splitlines()


def connect(ns, ip, port, timeout=1.5):
    """errno name of a TCP connect from ns (ok, ECONNREFUSED, ENETUNREACH, timeout, ...)."""
    return ns_run(ns, [PY, __file__, "--connect", ip, str(port), str(timeout)])[1].strip()


def curl(ns, url, name=None, ip=None, ca=LAB_CA, extra=()):
    """(curl exit code, status, headers text, body) for one request, resolving name to ip."""
    argv = ["curl", "-sS", "-i", "--max-time", "3", "--cacert", ca]
    if name and ip:
        argv += ["--resolve", f"{name}:443:{ip}", "--resolve", f"{name}:80:{ip}"]
    code, out, _ = ns_run(ns, argv + list(extra) + [url])
    head, _, body = out.partition("\n\n")  # text mode already turned CRLF into LF
    status = int(head.split()[1]) if head.startswith("HTTP/") else None
    return code, status, head, body


def https(ns, name, **kw):
    return curl(ns, f"https://{name}/", name, HOSTS[name], **kw)


def http(ns, name, **kw):
    return curl(ns, f"http://{name}/", name, HOSTS[name], **kw)


# --- checks: each returns None when fine, or a sentence saying what was wrong ---------------------

def expect(cond, what):
    return None if cond else what


def healthy(ns, name):
    code, status, _, body = https(ns, name)
    return expect(code == 0 and status == 200 and "<title>OK service</title>" in body,
                  f"{ns} https://{name}/ should be 200 OK service, got curl={code} status={status}")


def control_healthy(name):
    return lambda: healthy(CONTROL, name)


def check_ok_dns():
    got = dns(VANTAGE, "ok.example.com"), dns(VANTAGE, "ok.example.com", "AAAA"), dns(CONTROL, "ok.example.com")
    return expect(got == (["NOERROR A=198.18.10.10"], ["NOERROR"], ["NOERROR A=198.18.10.10"]), f"ok DNS: {got}")


def check_ok_http():
    code, status, _, body = http(VANTAGE, "ok.example.com")
    return expect(status == 200 and "OK service" in body, f"ok plain HTTP: curl={code} status={status}")


def check_nx():
    got = dns(VANTAGE, "nx.example.com"), dns(CONTROL, "nx.example.com")
    return expect(got == (["NXDOMAIN"], [f"NOERROR A={HOSTS['nx.example.com']}"]), f"nx DNS: {got}")


def check_not_in_lab_zone():
    got = dns(CONTROL, "www.example.org")
    return expect(got == ["NXDOMAIN"], f"names outside the lab zone should be NXDOMAIN, got {got}")


def check_bogon():
    got = dns(VANTAGE, "bogon.example.com"), dns(CONTROL, "bogon.example.com"), connect(VANTAGE, "10.10.34.36", 443)
    return expect(got == (["NOERROR A=10.10.34.36"], [f"NOERROR A={HOSTS['bogon.example.com']}"], "ENETUNREACH"),
                  f"bogon: {got}")


def check_inject():
    vantage = dns(VANTAGE, "inject.example.com", all_replies=True)
    control = dns(CONTROL, "inject.example.com")
    nowhere = dns(VANTAGE, "inject.example.com", server="198.18.4.99")
    want = (["NOERROR A=10.10.34.36", f"NOERROR A={HOSTS['inject.example.com']}"],
            [f"NOERROR A={HOSTS['inject.example.com']}"], ["NOERROR A=10.10.34.36"])
    return expect((vantage, control, nowhere) == want, f"inject: {(vantage, control, nowhere)}")


def check_rst_ip():
    got = connect(VANTAGE, HOSTS["rst-ip.example.com"], 443), connect(VANTAGE, HOSTS["rst-ip.example.com"], 80)
    return expect(got == ("ECONNREFUSED", "ECONNREFUSED"), f"rst-ip connects: {got}")


def check_blackhole():
    got = connect(VANTAGE, HOSTS["blackhole.example.com"], 443)
    return expect(got == "timeout", f"blackhole connect: {got}")


def neutral_sni(ip):
    """A handshake to ip that sends the SNI neutral.example.org (certificate checks off: the name differs)."""
    return curl(VANTAGE, "https://neutral.example.org/", "neutral.example.org", ip, extra=["-k"])


def check_sni_rst():
    target = https(VANTAGE, "sni-rst.example.com")[0]
    neutral = neutral_sni(HOSTS["sni-rst.example.com"])[1]
    return expect((target, neutral) == (35, 200), f"sni-rst: target curl={target} (want 35, reset), neutral status={neutral}")


def check_sni_drop():
    target = https(VANTAGE, "sni-drop.example.com")[0]
    neutral = neutral_sni(HOSTS["sni-drop.example.com"])[1]
    return expect((target, neutral) == (28, 200), f"sni-drop: target curl={target} (want 28, timeout), neutral status={neutral}")


def check_far_sni_rst():
    target = https(VANTAGE, "far-sni-rst.example.com")[0]
    neutral = neutral_sni(HOSTS["far-sni-rst.example.com"])[1]
    return expect((target, neutral) == (35, 200), f"far-sni-rst: target curl={target} (want 35, reset), neutral status={neutral}")


def check_edge_drop():
    """rp-edge drops the vantage's SYNs to edge-drop but forwards its UDP (the host answers port unreachable)."""
    got = (connect(VANTAGE, HOSTS["edge-drop.example.com"], 443), udp_reply(VANTAGE, HOSTS["edge-drop.example.com"]),
           connect(CONTROL, HOSTS["edge-drop.example.com"], 443))
    return expect(got == ("timeout", "ECONNREFUSED", "ok"), f"edge-drop (vantage TCP, vantage UDP, control TCP): {got}")


def udp_reply(ns, ip, port=33434):
    """errno name after a UDP datagram from ns to an unused port (ECONNREFUSED: port unreachable came back)."""
    return ns_run(ns, [PY, __file__, "--udp", ip, str(port), "1.5"])[1].strip()


def check_mitm():
    lab = https(VANTAGE, "mitm.example.com")[0]
    interceptor = https(VANTAGE, "mitm.example.com", ca=INTERCEPTOR_CA)[1]
    return expect((lab, interceptor) == (60, 200), f"mitm: lab-CA curl={lab} (want 60), interceptor-CA status={interceptor}")


def check_blockpage():
    _, status, _, body = http(VANTAGE, "blockpage.example.com")
    _, control_status, _, control_body = http(CONTROL, "blockpage.example.com")
    ok = (status == 200 and BLOCKPAGE_TEXT in body and "<title>Access Denied</title>" in body
          and control_status == 200 and "OK service" in control_body)
    return expect(ok and healthy(VANTAGE, "blockpage.example.com") is None,
                  f"blockpage: vantage status={status}, control status={control_status}")


def check_lossy():
    results = [https(VANTAGE, "lossy.example.com")[1] for _ in range(3)]
    return expect(200 in results, f"lossy: no success in 3 tries: {results}")


def refusal(name, status, *texts, header=None):
    def check():
        _, got, head, body = https(VANTAGE, name)
        missing = [t for t in texts if t not in body] + ([header] if header and header not in head else [])
        return expect(got == status and not missing, f"{name}: vantage status={got}, missing {missing}")
    return check


def check_gov_order():
    _, status, head, _ = https(VANTAGE, "gov-order.example.com")
    _, blank, _, body = curl(VANTAGE, "https://gov-order.example.com/blank.php?rkn=12345",
                             "gov-order.example.com", HOSTS["gov-order.example.com"])
    return expect(status == 302 and "location: /blank.php?rkn=12345" in head.lower() and blank == 200 and "Roskomnadzor" in body,
                  f"gov-order: status={status} blank={blank}")


def check_short():
    _, status, head, _ = https(VANTAGE, "short.example.com")
    return expect(status == 302 and "location: https://sni-rst.example.com/" in head.lower(),
                  f"short: status={status}")


def check_outage():
    got = connect(VANTAGE, HOSTS["outage.example.com"], 443), connect(CONTROL, HOSTS["outage.example.com"], 443)
    return expect(got == ("ECONNREFUSED", "ECONNREFUSED"), f"outage: {got}")


def check_err500():
    got = https(VANTAGE, "err500.example.com")[1], https(CONTROL, "err500.example.com")[1]
    return expect(got == (500, 500), f"err500: {got}")


def check_slow():
    start = time.monotonic()
    problem = healthy(CONTROL, "slow.example.com")
    took = time.monotonic() - start
    return problem or expect(took >= 0.45, f"slow answered in {took:.2f} s, want >= 0.5 s")


CHECKS = {
    "ok.example.com resolves the same for vantage and control": check_ok_dns,
    "ok.example.com serves 200 over HTTPS to the vantage": lambda: healthy(VANTAGE, "ok.example.com"),
    "ok.example.com serves 200 over plain HTTP": check_ok_http,
    "names outside the lab zone are NXDOMAIN": check_not_in_lab_zone,
    "nx.example.com is NXDOMAIN only for the vantage": check_nx,
    "bogon.example.com resolves to an unreachable address for the vantage": check_bogon,
    "inject.example.com gets a forged answer before the real one": check_inject,
    "rst-ip.example.com refuses the vantage's SYNs": check_rst_ip,
    "blackhole.example.com swallows the vantage's SYNs": check_blackhole,
    "sni-rst.example.com resets only the target SNI": check_sni_rst,
    "sni-drop.example.com drops only the target SNI": check_sni_drop,
    "mitm.example.com presents the interceptor's certificate": check_mitm,
    "blockpage.example.com gets a blockpage over plain HTTP only": check_blockpage,
    "lossy.example.com still works with retries": check_lossy,
    "geo451.example.com refuses the vantage with 451": refusal(
        "geo451.example.com", 451, "Unavailable For Legal Reasons", header='rel="blocked-by"'),
    "cf-geo.example.com refuses the vantage like Cloudflare": refusal(
        "cf-geo.example.com", 403, "1009", "has banned the country or region your IP address is in"),
    "cloudfront-geo.example.com refuses the vantage like CloudFront": refusal(
        "cloudfront-geo.example.com", 403, "The Amazon CloudFront distribution is configured to block access from your country."),
    "akamai-geo.example.com refuses the vantage like Akamai": refusal(
        "akamai-geo.example.com", 403, "Access Denied", "You don't have permission to access", "Reference #18."),
    "gov-order.example.com redirects the vantage to a legal-order page": check_gov_order,
    "short.example.com redirects to sni-rst.example.com": check_short,
    "outage.example.com refuses everyone": check_outage,
    "err500.example.com fails with 500 for everyone": check_err500,
    "slow.example.com answers after half a second": check_slow,
    "far.example.com (8 hops) serves 200 over HTTPS to the vantage": lambda: healthy(VANTAGE, "far.example.com"),
    "far-sni-rst.example.com resets only the target SNI": check_far_sni_rst,
    "edge-drop.example.com: the provider's edge drops only the vantage's SYNs": check_edge_drop,
}
for _name in ["ok", "nx", "bogon", "rst-ip", "blackhole", "sni-rst", "sni-drop", "mitm", "inject", "lossy",
              "geo451", "cf-geo", "cloudfront-geo", "akamai-geo", "gov-order", "far", "far-sni-rst", "edge-drop"]:
    CHECKS[f"{_name}.example.com is healthy for the control"] = control_healthy(f"{_name}.example.com")


def connect_mode(ip, port, timeout):
    sock = socket.socket()
    sock.settimeout(float(timeout))
    try:
        sock.connect((ip, int(port)))
        print("ok")
    except socket.timeout:
        print("timeout")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e)))
    return 0


def udp_mode(ip, port, timeout):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(float(timeout))
    try:
        sock.connect((ip, int(port)))
        sock.send(b"reachprobe lab")
        sock.recv(512)
        print("reply")
    except socket.timeout:
        print("timeout")
    except OSError as e:
        print(errno.errorcode.get(e.errno, str(e)))
    return 0


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--connect":
        return connect_mode(*sys.argv[2:])
    if len(sys.argv) == 5 and sys.argv[1] == "--udp":
        return udp_mode(*sys.argv[2:])
    if os.geteuid() != 0:
        print("lab smoke: not root, so no lab (skipping)", file=sys.stderr)
        return 77
    if not os.path.exists(f"{RUN}/up"):
        print("lab smoke: the lab is not up (run tests/lab/lab.sh up)", file=sys.stderr)
        return 1
    load_hosts()
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        futures = {name: pool.submit(check) for name, check in CHECKS.items()}
        for name, future in futures.items():
            try:
                problem = future.result(timeout=60)
            except Exception as e:  # a crashed check is a failed check, with its reason
                problem = f"{type(e).__name__}: {e}"
            print(f"{'ok  ' if problem is None else 'FAIL'} {name}" + (f": {problem}" if problem else ""))
            failures += problem is not None
    print(f"lab smoke: {len(CHECKS) - failures}/{len(CHECKS)} checks passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
