// Trust anchors for certificate verification: the system store plus --ca-bundle, or a service's pinned CAs.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

namespace rp {

enum class TrustKind { system, system_plus_extra, pinned };
std::string to_string(TrustKind kind);  // "system", "system+extra", "pinned"

// Owns an SSL_CTX configured for client handshakes that *record* verification instead of aborting on it,
// so a failed verification still yields the peer's chain as evidence.
class TrustStore {
 public:
  // The system store, plus the certificates of extra_pem_file when not empty.
  // Throws std::invalid_argument with a one-line message when the file cannot be used.
  static std::shared_ptr<TrustStore> system(const std::string& extra_pem_file);
  // Only the given PEM certificates (a service's pins). Throws std::invalid_argument on bad PEM.
  static std::shared_ptr<TrustStore> pinned(const std::string& pem_text);

  ~TrustStore();
  TrustStore(const TrustStore&) = delete;
  TrustStore& operator=(const TrustStore&) = delete;

  SSL_CTX* ctx() const { return ctx_; }
  TrustKind kind() const { return kind_; }

  // Adds this store's anchors to another SSL_CTX (libcurl's, from CURLOPT_SSL_CTX_FUNCTION).
  void install_into(SSL_CTX* other) const;

 private:
  TrustStore(SSL_CTX* ctx, TrustKind kind, std::vector<X509*> extra);
  SSL_CTX* ctx_;
  TrustKind kind_;
  std::vector<X509*> extra_;  // the non-system anchors, kept for install_into
};

// Parses every certificate in PEM text; empty when there is none.
std::vector<X509*> parse_pem_certificates(const std::string& pem_text);

}  // namespace rp
