// Field by field, the result types of net/ into the observation shapes of the record.
#include "observe/net_records.h"

#include "html/html_title.h"
#include "util/digest.h"
#include "util/utf8.h"

namespace rp {
namespace {

constexpr std::size_t kMaxUrlChars = 4096;
constexpr std::size_t kMaxHeaderNameChars = 256;
constexpr std::size_t kMaxHeaderValueChars = 8192;

DnsAnswerRecord answer_record(const DnsAnswer& a) {
  return {dns_type_name(a.type), sanitize_utf8(a.name), sanitize_utf8(a.value), a.ttl};
}

HttpResponseRecord response_record(const HttpFetchResponse& resp, std::size_t body_prefix_bytes) {
  HttpResponseRecord rec;
  rec.status = resp.status;
  for (const auto& [k, v] : resp.headers) {
    rec.headers.emplace_back(sanitize_utf8(k, kMaxHeaderNameChars), sanitize_utf8(v, kMaxHeaderValueChars));
  }
  rec.body_length = resp.body.size();
  rec.body_truncated = resp.body_truncated;
  rec.body_sha256 = sha256_hex(resp.body);
  rec.title = extract_html_title(resp.body);
  rec.body_prefix = sanitize_utf8(resp.body, body_prefix_bytes);
  return rec;
}

}  // namespace

void record_result(DnsQueryObservation& obs, const DnsQueryResult& result) {
  obs.failure = result.failure;
  if (result.rcode) obs.rcode = dns_rcode_name(*result.rcode);
  for (const auto& a : result.answers) obs.answers.push_back(answer_record(a));
}

void record_result(DnsExchangeObservation& obs, const DnsExchangeResult& result) {
  obs.failure = result.failure;
  obs.malformed = result.malformed;
  for (const auto& reply : result.replies) {
    DnsExchangeReplyRecord rec;
    rec.after = reply.after;
    rec.rcode = dns_rcode_name(reply.message.rcode);
    for (const auto& a : reply.message.answers) rec.answers.push_back(answer_record(a));
    obs.replies.push_back(std::move(rec));
  }
}

void record_result(TcpConnectObservation& obs, const TcpConnectResult& result) { obs.failure = result.failure; }

void record_result(TlsHandshakeObservation& obs, const TlsHandshakeResult& result) {
  obs.failure = result.failure;
  obs.handshake_completed = result.handshake_completed;
  obs.tls_version = result.tls_version;
  obs.cipher_suite = result.cipher_suite;
  obs.negotiated_alpn = result.negotiated_alpn;
  for (const auto& der : result.peer_certificates_der) obs.peer_certificates.push_back(base64_encode(der));
  obs.trusted = result.trusted;
  obs.verification_error = result.verification_error;
  obs.verification_detail = result.verification_detail;
}

void record_result(HttpRequestObservation& obs, const HttpFetchResult& result, std::size_t body_prefix_bytes) {
  obs.failure = result.failure;
  obs.address = result.server_address;
  if (result.over_tls) obs.tls_verified = !result.failure.has_value() && result.response.has_value();
  if (!result.response) return;
  const bool redirect = result.response->status >= 300 && result.response->status < 400 && result.redirect_location;
  if (redirect) obs.redirect_location = sanitize_utf8(*result.redirect_location, kMaxUrlChars);
  obs.response = response_record(*result.response, body_prefix_bytes);
}

}  // namespace rp
