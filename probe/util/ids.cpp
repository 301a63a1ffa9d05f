// UUIDs from OpenSSL's CSPRNG (ids must not be guessable across volunteers), times via gmtime_r.
#include "util/ids.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <random>

namespace rp {

std::string random_uuid4() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    std::random_device rd;  // fallback: still unpredictable enough for an id
    for (auto& x : b) x = static_cast<unsigned char>(rd());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

namespace {
std::string format_utc(std::chrono::system_clock::time_point t, const char* fmt) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
}  // namespace

std::string rfc3339_utc(std::chrono::system_clock::time_point t) { return format_utc(t, "%Y-%m-%dT%H:%M:%SZ"); }
std::string compact_utc(std::chrono::system_clock::time_point t) { return format_utc(t, "%Y%m%dT%H%M%SZ"); }

}  // namespace rp
