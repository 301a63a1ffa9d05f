// Fuzzes the DNS reply parser (probe/dns) on arbitrary bytes, and the query builder's output against it.
#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>

#include "dns/dns_message.h"
#include "dns/dns_query.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);

  // A reply comes straight off the network (or from an on-path injector): every byte is hostile.
  const auto msg = rp::parse_dns_message(bytes);
  if (msg) {
    FUZZ_CHECK(size >= 12);
    FUZZ_CHECK(msg->answers.size() <= rp::kMaxDnsAnswers);
    FUZZ_CHECK(msg->rcode >= 0 && msg->rcode <= 15);
    for (const auto& a : msg->answers) {
      // Names are capped at 255 wire bytes, so their text form is at most 254 characters.
      FUZZ_CHECK(a.name.size() <= 254);
      FUZZ_CHECK(a.ttl <= 0x7FFFFFFFu);
      FUZZ_CHECK(a.type == 1 || a.type == 5 || a.type == 28);
      if (a.type == 1 || a.type == 28) FUZZ_CHECK(!a.value.empty());
      if (a.type == 5) FUZZ_CHECK(a.value.size() <= 254);
    }
    // The parser is pure: the same bytes give the same answers.
    const auto again = rp::parse_dns_message(bytes);
    FUZZ_CHECK(again && again->answers.size() == msg->answers.size());
    (void)rp::dns_rcode_name(msg->rcode);
    for (const auto& a : msg->answers) (void)rp::dns_type_name(a.type);
  }

  // The same bytes as a name: whatever query the builder accepts, the parser must read back.
  const std::string_view name(reinterpret_cast<const char*>(data), size);
  const uint16_t id = static_cast<uint16_t>(size * 2654435761u);
  if (const auto q = rp::build_dns_query(id, name, 28)) {
    const auto parsed = rp::parse_dns_message(*q);
    FUZZ_CHECK(parsed);
    FUZZ_CHECK(parsed->id == id);
    FUZZ_CHECK(!parsed->is_response);
    FUZZ_CHECK(parsed->answers.empty());
  }
  return 0;
}
