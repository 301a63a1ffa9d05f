#!/usr/bin/env python3
"""Regenerates the seed corpora under tests/fuzz/corpus/ from hand-made cases and the repository's own fixtures.

Run from anywhere: python3 tests/fuzz/make_seeds.py. It rewrites corpus/<target>/ completely; regressions/
(inputs that once crashed a target) is never touched. Seeds are small on purpose: libFuzzer mutates them,
and small inputs run faster.
"""
import json
import pathlib
import shutil
import struct

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = HERE / "corpus"


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (d / name).write_bytes(data)


# --- DNS replies -------------------------------------------------------------------------------------
def qname(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def header(ident=0x1234, flags=0x8180, qd=1, an=0, ns=0, ar=0):
    return struct.pack(">HHHHHH", ident, flags, qd, an, ns, ar)


def question(name, qtype=1):
    return qname(name) + struct.pack(">HH", qtype, 1)


def rr(name_bytes, rtype, rdata, ttl=300, cls=1):
    return name_bytes + struct.pack(">HHIH", rtype, cls, ttl, len(rdata)) + rdata


PTR12 = b"\xc0\x0c"  # pointer to the question name at offset 12


def dns_seeds():
    q = question("chat.example.com")
    put("dns_message", "a_compressed", header(an=1) + q + rr(PTR12, 1, bytes([198, 51, 100, 7])))
    put("dns_message", "a_uncompressed", header(an=1) + q + rr(qname("chat.example.com"), 1, bytes([192, 0, 2, 1])))
    put("dns_message", "a_three", header(an=3) + q + b"".join(rr(PTR12, 1, bytes([203, 0, 113, i])) for i in (1, 2, 3)))
    # CNAME to edge.<example.com at offset 17>, then AAAA for it.
    cname = rr(PTR12, 5, b"\x04edge\xc0\x11", ttl=60)
    aaaa = rr(b"\xc0\x29", 28, bytes.fromhex("20010db8000000000000000000000001"), ttl=60)
    put("dns_message", "cname_aaaa", header(an=2) + question("chat.example.com", 28) + cname + aaaa)
    put("dns_message", "nxdomain", header(flags=0x8183) + q)
    put("dns_message", "servfail", header(flags=0x8182) + q)
    put("dns_message", "refused_no_question", header(flags=0x8185, qd=0))
    put("dns_message", "truncated_tc", header(flags=0x8380) + q)
    # Injected-style answers: a private address with TTL 0, and a huge TTL (RFC 2181: treat as 0).
    put("dns_message", "injected_private", header(an=1) + q + rr(PTR12, 1, bytes([10, 10, 34, 34]), ttl=0))
    put("dns_message", "ttl_high_bit", header(an=1) + q + rr(PTR12, 1, bytes([192, 0, 2, 2]), ttl=0x80000001))
    # Types the parser skips (TXT, MX), and an EDNS OPT record in the additional section.
    txt = rr(PTR12, 16, b"\x05hello")
    mx = rr(PTR12, 15, b"\x00\x0a" + b"\x04mail\xc0\x11")
    opt = b"\x00" + struct.pack(">HHIH", 41, 1232, 0, 0)
    put("dns_message", "txt_mx_opt", header(an=2, ar=1) + q + txt + mx + opt)
    # Hostile: self pointer, forward pointer, pointer chain, truncated rdata, wrong address size,
    # a reserved label type, a 63-byte label, a name at the 255-byte limit.
    put("dns_message", "self_pointer", header(an=1) + q + rr(b"\xc0\x22", 1, bytes(4)))
    put("dns_message", "forward_pointer_loop", header(qd=1) + b"\xc0\x0e\xc0\x0c" + struct.pack(">HH", 1, 1))
    chain = header(an=1) + q + b"\x03www\xc0\x0c" + b"\x02cdn\xc0\x22"
    put("dns_message", "pointer_chain", chain[:12 + len(q)] + rr(b"\x03www\xc0\x0c", 5, b"\x02cdn\xc0\x22"))
    put("dns_message", "rdata_cut", (header(an=1) + q + rr(PTR12, 1, bytes([1, 2, 3, 4])))[:-2])
    put("dns_message", "a_wrong_size", header(an=1) + q + rr(PTR12, 1, bytes([1, 2, 3])))
    put("dns_message", "reserved_label", header(qd=1) + b"\x41abc\x00" + struct.pack(">HH", 1, 1))
    put("dns_message", "label_63", header(an=1) + question("a" * 63 + ".example") + rr(PTR12, 1, bytes(4)))
    long_name = ".".join(["b" * 63] * 3 + ["c" * 61])  # 253 characters, 255 wire bytes
    put("dns_message", "name_255", header(an=1) + question(long_name) + rr(PTR12, 1, bytes(4)))
    put("dns_message", "short_header", header()[:7])
    # A query, as build_dns_query writes it (also a valid input for the round-trip half of the target).
    put("dns_message", "query_rd", struct.pack(">HHHHHH", 0xBEEF, 0x0100, 1, 0, 0, 0) + question("example.org", 28))
    put("dns_message", "name_text", "chat.signal.org")


# --- HTML bodies ---------------------------------------------------------------------------------------
def html_seeds():
    for page in sorted((REPO / "tests/lab/pages").glob("*.html")):
        put("html_title", page.name, page.read_bytes()[:8192])
    put("html_title", "attrs_upper", '<HTML><HEAD><TITLE lang="fa">  Blocked \n\t page </TITLE></HEAD></HTML>')
    put("html_title", "no_close", "<html><title>unterminated title and then the body goes on")
    put("html_title", "titles_not_title", "<titles>no</titles><title>yes</title>")
    put("html_title", "svg_title_first", "<svg><title>icon</title></svg><title>page</title>")
    put("html_title", "invalid_utf8", b"<title>\xff\xfe caf\xc3 \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80</title>")
    put("html_title", "utf8_persian", "<title>سایت مسدود است — Доступ ограничен</title>".encode())
    put("html_title", "long_title", "<title>" + "x\u00e9" * 400 + "</title>")
    put("html_title", "nul_and_controls", b"<title>a\x00b\x01c\x7f</title>")
    put("html_title", "empty", "<title></title>")
    put("html_title", "lt_only", "<title")


# --- ad-hoc inputs ---------------------------------------------------------------------------------------
def input_seeds():
    cases = {
        "url_https": "https://chat.example.com/",
        "url_port_path": "http://web.example.org:8080/a/b?c=d#e",
        "url_v6": "https://[2001:db8::1]:8443/",
        "url_v4": "http://198.51.100.7/",
        "url_userinfo": "https://user:pw@example.com/",
        "url_upper": "HTTPS://EXAMPLE.COM:443",
        "url_port0": "http://example.com:0/",
        "url_ftp": "ftp://example.com/",
        "url_idn": "https://xn--bcher-kva.example/",
        "url_idn_unicode": "https://Ясень.example.com/путь?q=1",
        "url_idn_disallowed": "https://\u2603.example/",
        "url_percent_host": "http://ex%61mple.com/",
        "url_backslash": "http://example.com\\@evil.example/",
        "endpoint_tls": "chat.signal.org:443/tls",
        "endpoint_tcp": "149.154.167.51:443/tcp",
        "endpoint_v6": "[2001:db8::1]:5222/TLS",
        "endpoint_default": "mmg.whatsapp.net:5222",
        "endpoint_bad_port": "example.com:65536",
        "endpoint_idn": "faß.example:443/tls",
        "endpoint_v6_unbracketed": "2001:db8::1:443",
        "ip_v4": "192.0.2.1",
        "ip_v6_scoped": "fe80::1%eth0",
        "date": "2026-02-29",
        "hostname_reserved": "foo.localhost",
        "hostname_numeric_tld": "1.2.3.4.5",
    }
    for name, text in cases.items():
        put("input_spec", name, text)


# --- catalogues -----------------------------------------------------------------------------------------
def catalogue_seeds():
    for f in sorted((REPO / "tests/catalogue/fixtures").glob("*.json")):
        put("catalogue", f.name, f.read_bytes())
    version = json.loads((REPO / "targets/catalogue.json").read_text())["catalogue_version"]
    for f in sorted((REPO / "targets/services").glob("*.json")):
        service = json.loads(f.read_text())
        # The fuzzer writes one file in an empty directory: inline pinned CAs instead of pem_file.
        for pin in service.get("pinned_cas", []):
            if "pem_file" in pin:
                pin["pem"] = (f.parent / pin.pop("pem_file")).read_text()
        doc = {"catalogue_version": version, "services": [service]}
        put("catalogue", "shipped_" + f.name, json.dumps(doc, indent=1, ensure_ascii=False))


# --- test lists --------------------------------------------------------------------------------------------
HEADER = "url,category_code,category_description,date_added,source,notes\n"


def test_list_seeds():
    put("test_list", "simple", HEADER + "https://www.example.org/,COMT,Communication Tools,2017-04-12,citizenlab,\n")
    put("test_list", "quoted_crlf_bom", "\ufeff" + HEADER.replace("\n", "\r\n") +
        '"https://chat.example.org/a,b",COMT,"Tools, ""chat""",2020-01-01,x,"two\r\nlines"\r\n'
        "https://www.example.net/,NEWS,News Media,2020-01-01,y,\r\n")
    put("test_list", "problems", HEADER +
        "https://ok.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
        "https://short.example.org/,COMT\n"
        "not a url,COMT,Communication Tools,2020-01-01,x,\n"
        'https://bad"quote.example.org/,COMT,Communication Tools,2020-01-01,x,\n'
        "https://nocat.example.org/,,Communication Tools,2020-01-01,x,\n"
        "https://ok.example.org/,COMT,Communication Tools,2020-01-01,x,\n"
        '"https://open.example.org/,COMT,never closed\n')
    put("test_list", "categories", HEADER + "".join(
        f"https://s{i}.example.com/,{c},desc,2021-0{1 + i % 9}-01,src,note\n"
        for i, c in enumerate(["comt", "NEWS", "HUMR", "POLR", "ANON", "GRP"])))
    put("test_list", "v6_and_port", HEADER + "http://[2001:db8::2]:8080/x,COMT,C,2020-01-01,s,\n"
        "https://198.51.100.9:443/,COMT,C,2020-01-01,s,\n")
    put("test_list", "no_header", "https://www.example.org/,COMT,Communication Tools,2017-04-12,citizenlab,\n")
    put("test_list", "cr_only", HEADER.replace("\n", "\r") + 'https://a.example/,COMT,x,2020-01-01,s,"n"x\r')


# --- PEM ---------------------------------------------------------------------------------------------------
def pem_seeds():
    pins = sorted((REPO / "targets/pins").glob("*.pem")) + sorted((REPO / "tests/catalogue/fixtures/pins").glob("*.pem"))
    for p in pins:
        put("pem", p.name, p.read_bytes())
    if pins:
        one = pins[0].read_text()
        put("pem", "two_certs_and_junk", "garbage before\n" + one + "\n" + one + "\ntrailing junk\n")
        lines = one.splitlines()
        put("pem", "cut_in_half", "\n".join(lines[: len(lines) // 2]) + "\n")
    put("pem", "empty_block", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
    put("pem", "not_base64", "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
    put("pem", "private_key_label", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")


# --- fingerprint catalogue -----------------------------------------------------------------------------------
def fingerprint_seeds():
    fp_dir = REPO / "targets/fingerprints"
    for name in ("providers.json", "false-positives.json"):
        if (fp_dir / name).exists():
            put("fingerprints", name, (fp_dir / name).read_bytes())
    # The OONI-derived files are large: a few entries of each keep the seeds small.
    for name in ("ooni-dns.json", "ooni-http.json"):
        if (fp_dir / name).exists():
            doc = json.loads((fp_dir / name).read_text())
            doc["fingerprints"] = doc["fingerprints"][:6]
            put("fingerprints", name, json.dumps(doc, indent=1, ensure_ascii=False))
    put("fingerprints", "regexp_refused", json.dumps({"format": "reachprobe-fingerprints/1", "fingerprints": [
        {"id": "x", "attribution": "network_interference", "scope": "isp",
         "match": [{"location": "body", "pattern_type": "regexp", "pattern": "(a+)+$"}],
         "source": "s", "checked": "2026-01-01"}]}))


# --- result files for reachanalyze ------------------------------------------------------------------------------
def reachanalyze_seeds():
    fx = REPO / "tests/analysis/fixtures"
    if not (fx / "vantage.jsonl").exists():
        return
    vantage = [l for l in (fx / "vantage.jsonl").read_text().splitlines() if l.strip()]
    control = [l for l in (fx / "control.jsonl").read_text().splitlines() if l.strip()]
    # Pairs a vantage record with the control record for the same input, as the tool does.
    def key(line):
        r = json.loads(line)
        return (r.get("service"), json.dumps(r.get("input"), sort_keys=True))
    by_key = {key(l): l for l in control}
    for i, line in enumerate(vantage):
        c = by_key.get(key(line))
        data = line + "\n" + ("\0" + c + "\n" if c else "")
        put("reachanalyze", f"pair_{i:02d}", data)
    malformed = (fx / "malformed.jsonl").read_text().splitlines()
    for i, line in enumerate(malformed):
        put("reachanalyze", f"malformed_{i:02d}", line[:8000] + "\n")
    put("reachanalyze", "truncated_no_newline", vantage[0][: len(vantage[0]) // 2])
    put("reachanalyze", "duplicate_ids", vantage[0] + "\n" + vantage[0] + "\n")


# --- captured frames ----------------------------------------------------------------------------------------
# The packet target's first byte picks the link type: 0 Ethernet, 1 raw (12), 2 raw (101), 3 Linux SLL, 4 SLL2.
def ipv4(proto, payload, src=bytes([198, 51, 100, 7]), dst=bytes([192, 0, 2, 10]), ttl=57, ident=0x1c46, total=None):
    total = 20 + len(payload) if total is None else total
    return struct.pack(">BBHHHBBH4s4s", 0x45, 0, total, ident, 0x4000, ttl, proto, 0, src, dst) + payload


def ipv6(next_header, payload, hop=52):
    src = bytes.fromhex("20010db8000000000000000000000007")
    dst = bytes.fromhex("20010db80000000000000000000000aa")
    return struct.pack(">IHBB", 0x60000000, len(payload), next_header, hop) + src + dst + payload


def tcp(sport, dport, flags):
    return struct.pack(">HHIIBBHHH", sport, dport, 1000, 2000, 0x50, flags, 65535, 0, 0)


def udp(sport, dport, payload):
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


ETH = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x08\x00"
ETH6 = bytes(6) + bytes([2, 0, 0, 0, 0, 1]) + b"\x86\xdd"


def sll(ip, packet_type=0, proto=0x0800):
    return struct.pack(">HHH8sH", packet_type, 1, 6, bytes(8), proto) + ip


def sll2(ip, packet_type=0, proto=0x0800):
    return struct.pack(">HHIHBB8s", proto, 0, 2, 1, packet_type, 6, bytes(8)) + ip


def packet_seeds():
    syn_ack = ipv4(6, tcp(443, 40000, 0x12))
    rst = ipv4(6, tcp(443, 40000, 0x04), ttl=250)  # an injected RST often has an odd TTL
    reply = header(an=1) + question("chat.example.com") + rr(PTR12, 1, bytes([10, 10, 34, 34]))
    dns = ipv4(17, udp(53, 40001, reply))
    quoted = ipv4(6, tcp(40000, 443, 0x02), src=bytes([192, 0, 2, 10]), dst=bytes([198, 51, 100, 7]))[:28]
    time_exceeded = ipv4(1, bytes([11, 0, 0, 0, 0, 0, 0, 0]) + quoted, src=bytes([203, 0, 113, 1]))
    put("packet", "eth_syn_ack", b"\x00" + ETH + syn_ack)
    put("packet", "raw_rst", b"\x01" + rst)
    put("packet", "raw101_dns_reply", b"\x02" + dns)
    put("packet", "sll_icmp_time_exceeded", b"\x03" + sll(time_exceeded))
    put("packet", "sll2_outgoing_syn", b"\x04" + sll2(ipv4(6, tcp(40000, 443, 0x02)), packet_type=4))
    put("packet", "eth6_tcp_fin", b"\x00" + ETH6 + ipv6(6, tcp(443, 40000, 0x11)))
    quoted6 = ipv6(17, udp(40002, 53, b"\x12\x34"))[:48]
    put("packet", "raw_icmpv6_unreachable", b"\x01" + ipv6(58, bytes([1, 4, 0, 0, 0, 0, 0, 0]) + quoted6))
    put("packet", "raw_fragment", b"\x01" + ipv4(17, udp(53, 40001, b"x"))[:6] + b"\x20\x10" + ipv4(17, udp(53, 40001, b"x"))[8:])
    put("packet", "raw_total_short", b"\x01" + ipv4(6, tcp(443, 40000, 0x12), total=20))
    put("packet", "raw_ihl_options", b"\x01" + b"\x46" + ipv4(17, b"\x01\x01\x01\x00" + udp(53, 1, b""))[1:])


# The scrubber target knows 198.18.1.2 and 2001:db8::42 as this machine's addresses.
def privacy_scrubber_seeds():
    put("privacy_scrubber", "echo_header", b'{"h":[["X-Client-IP","198.18.1.2"]],"body":"your ip is 198.18.1.2."}')
    put("privacy_scrubber", "ipv6_spellings", b"a 2001:0DB8:0000::0042 b [2001:db8::42]:443 c ::ffff:198.18.1.2 d 64:ff9b::198.18.1.2")
    put("privacy_scrubber", "v4_spellings", b"ip-198-18-1-2.dsl.example 2.1.18.198.in-addr.arpa 198.018.001.002:80 IP:198.18.1.2.")
    put("privacy_scrubber", "percent", b"next=198%2E18%2E1%2E2&v6=2001%3adb8%3A%3A42")
    put("privacy_scrubber", "near_misses", b"10.198.18.1.2 198.18.1.20 1198.18.1.2 2001:db8::420")


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    dns_seeds()
    html_seeds()
    input_seeds()
    catalogue_seeds()
    test_list_seeds()
    pem_seeds()
    fingerprint_seeds()
    reachanalyze_seeds()
    packet_seeds()
    privacy_scrubber_seeds()
    for d in sorted(CORPUS.iterdir()):
        files = list(d.iterdir())
        print(f"{d.name}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes")


if __name__ == "__main__":
    main()
