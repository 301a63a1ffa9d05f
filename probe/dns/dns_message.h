// A pure, bounded parser of DNS reply messages (RFC 1035 wire format): header, and A/AAAA/CNAME answers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rp {

struct DnsAnswer {
  std::string name;   // owner name, lower-case, no trailing dot
  uint16_t type = 0;  // 1 A, 28 AAAA, 5 CNAME (other types are skipped)
  uint32_t ttl = 0;
  std::string value;  // address text or target name
};

struct DnsMessage {
  uint16_t id = 0;
  bool is_response = false;
  bool truncated = false;
  int rcode = 0;
  std::string question_name;  // of the first question, lower-case (empty when there is none)
  uint16_t question_type = 0;
  std::vector<DnsAnswer> answers;  // answer section only, in wire order, capped at kMaxAnswers
};

inline constexpr std::size_t kMaxDnsAnswers = 512;

// Parses a whole message; nullopt when it is malformed in any way (truncated, bad pointers,
// compression loops, names too long). Never reads outside bytes.
std::optional<DnsMessage> parse_dns_message(std::span<const uint8_t> bytes);

// A name as the parser reports question names: lower-case, without a trailing dot ("Example.COM." ->
// "example.com"). Compare names in this form only.
std::string canonical_dns_name(std::string name);

// "A", "AAAA", "CNAME" or the number.
std::string dns_type_name(uint16_t type);

// "NOERROR", "NXDOMAIN", ... or the number.
std::string dns_rcode_name(int rcode);

}  // namespace rp
