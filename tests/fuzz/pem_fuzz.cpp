// Fuzzes the probe's own certificate handling: PEM trust anchors (--ca-bundle, a service's pinned CAs).
#include <openssl/x509.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#include "fuzz_check.h"
#include "net/trust_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string pem(reinterpret_cast<const char*>(data), size);

  // The caller owns what parse_pem_certificates returns; LeakSanitizer checks nothing else is kept.
  auto certs = rp::parse_pem_certificates(pem);
  FUZZ_CHECK(certs.size() <= 1000);
  for (X509* c : certs) {
    FUZZ_CHECK(c != nullptr);
    X509_free(c);
  }

  // A pinned store either builds, holding only the pins, or refuses with invalid_argument.
  try {
    const auto store = rp::TrustStore::pinned(pem);
    FUZZ_CHECK(store && store->ctx() != nullptr);
    FUZZ_CHECK(store->kind() == rp::TrustKind::pinned);
    // What curl's SSL_CTX callback does with it.
    SSL_CTX* other = SSL_CTX_new(TLS_client_method());
    FUZZ_CHECK(other != nullptr);
    store->install_into(other);
    SSL_CTX_free(other);
  } catch (const std::invalid_argument&) {
    FUZZ_CHECK(certs.empty());
  }
  return 0;
}
