// DNS wire-format parsing. Hostile replies are expected: every offset is checked, compression pointers
// must point strictly backwards (which rules out loops), and names are capped at 255 bytes.
#include "dns/dns_message.h"

#include <arpa/inet.h>

#include <cctype>

namespace rp {
namespace {

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : bytes_(b) {}

  bool u16(std::size_t at, uint16_t& out) const {
    if (at + 2 > bytes_.size()) return false;
    out = static_cast<uint16_t>((bytes_[at] << 8) | bytes_[at + 1]);
    return true;
  }
  bool u32(std::size_t at, uint32_t& out) const {
    uint16_t hi = 0, lo = 0;
    if (!u16(at, hi) || !u16(at + 2, lo)) return false;
    out = (static_cast<uint32_t>(hi) << 16) | lo;
    return true;
  }

  // Reads the name at `at`; `next` is the offset right after the name as written at `at`.
  bool name(std::size_t at, std::string& out, std::size_t& next) const {
    out.clear();
    std::size_t pos = at;
    bool jumped = false;
    std::size_t wire_len = 0;
    for (int labels = 0; labels < 128; ++labels) {
      if (pos >= bytes_.size()) return false;
      const uint8_t len = bytes_[pos];
      if ((len & 0xC0) == 0xC0) {
        if (pos + 1 >= bytes_.size()) return false;
        const std::size_t target = (static_cast<std::size_t>(len & 0x3F) << 8) | bytes_[pos + 1];
        if (target >= pos) return false;  // forward or self pointer: possible loop
        if (!jumped) next = pos + 2;
        jumped = true;
        pos = target;
        continue;
      }
      if ((len & 0xC0) != 0) return false;  // reserved label types
      if (len == 0) {
        if (!jumped) next = pos + 1;
        return true;
      }
      if (pos + 1 + len > bytes_.size()) return false;
      wire_len += len + 1u;
      if (wire_len > 255) return false;
      if (!out.empty()) out.push_back('.');
      for (std::size_t i = 0; i < len; ++i) {
        out.push_back(static_cast<char>(std::tolower(bytes_[pos + 1 + i])));
      }
      pos += 1u + len;
    }
    return false;
  }

  std::size_t size() const { return bytes_.size(); }
  const uint8_t* at(std::size_t i) const { return bytes_.data() + i; }

 private:
  std::span<const uint8_t> bytes_;
};

std::string address_text(int family, const uint8_t* raw) {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, raw, buf, sizeof buf);
  return buf;
}

}  // namespace

std::optional<DnsMessage> parse_dns_message(std::span<const uint8_t> bytes) {
  const Reader r(bytes);
  DnsMessage msg;
  uint16_t flags = 0, qd = 0, an = 0;
  if (!r.u16(0, msg.id) || !r.u16(2, flags) || !r.u16(4, qd) || !r.u16(6, an)) return std::nullopt;
  if (r.size() < 12) return std::nullopt;
  msg.is_response = (flags & 0x8000) != 0;
  msg.truncated = (flags & 0x0200) != 0;
  msg.rcode = flags & 0x000F;

  std::size_t pos = 12;
  std::string name;
  for (uint16_t i = 0; i < qd; ++i) {
    if (!r.name(pos, name, pos) || pos + 4 > r.size()) return std::nullopt;
    if (i == 0) {
      msg.question_name = name;
      r.u16(pos, msg.question_type);
    }
    pos += 4;  // qtype, qclass
  }
  for (uint16_t i = 0; i < an; ++i) {
    DnsAnswer a;
    uint16_t cls = 0, rdlen = 0;
    if (!r.name(pos, a.name, pos)) return std::nullopt;
    if (!r.u16(pos, a.type) || !r.u16(pos + 2, cls) || !r.u32(pos + 4, a.ttl) || !r.u16(pos + 8, rdlen)) {
      return std::nullopt;
    }
    pos += 10;
    if (pos + rdlen > r.size()) return std::nullopt;
    if (a.ttl > 0x7FFFFFFF) a.ttl = 0;  // RFC 2181 §8: treat as zero
    bool keep = true;
    if (a.type == 1 && rdlen == 4) {
      a.value = address_text(AF_INET, r.at(pos));
    } else if (a.type == 28 && rdlen == 16) {
      a.value = address_text(AF_INET6, r.at(pos));
    } else if (a.type == 5) {
      std::size_t after = 0;
      if (!r.name(pos, a.value, after) || after > pos + rdlen) return std::nullopt;
    } else if (a.type == 1 || a.type == 28) {
      return std::nullopt;  // an address record of the wrong size is a broken reply
    } else {
      keep = false;
    }
    pos += rdlen;
    if (keep && msg.answers.size() < kMaxDnsAnswers) msg.answers.push_back(std::move(a));
  }
  return msg;
}

std::string canonical_dns_name(std::string name) {
  if (!name.empty() && name.back() == '.') name.pop_back();
  for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

std::string dns_type_name(uint16_t type) {
  switch (type) {
    case 1: return "A";
    case 28: return "AAAA";
    case 5: return "CNAME";
    default: return std::to_string(type);
  }
}

std::string dns_rcode_name(int rcode) {
  switch (rcode) {
    case 0: return "NOERROR";
    case 1: return "FORMERR";
    case 2: return "SERVFAIL";
    case 3: return "NXDOMAIN";
    case 4: return "NOTIMP";
    case 5: return "REFUSED";
    default: return std::to_string(rcode);
  }
}

}  // namespace rp
