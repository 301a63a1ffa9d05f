// SSL_CTX construction. Verification runs in SSL_VERIFY_NONE mode on purpose: OpenSSL still computes the
// result (read back with SSL_get_verify_result), and the handshake completes so the chain can be recorded.
#include "net/trust_store.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace rp {

std::string to_string(TrustKind kind) {
  switch (kind) {
    case TrustKind::system: return "system";
    case TrustKind::system_plus_extra: return "system+extra";
    case TrustKind::pinned: return "pinned";
  }
  return "system";
}

std::vector<X509*> parse_pem_certificates(const std::string& pem_text) {
  std::vector<X509*> out;
  BIO* bio = BIO_new_mem_buf(pem_text.data(), static_cast<int>(pem_text.size()));
  if (bio == nullptr) return out;
  // Bounded: a hostile bundle cannot make us hold more than this many anchors.
  for (int i = 0; i < 1000; ++i) {
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    if (cert == nullptr) break;
    out.push_back(cert);
  }
  ERR_clear_error();  // the read that ends the loop leaves a "no start line" error behind
  BIO_free(bio);
  return out;
}

namespace {

SSL_CTX* new_client_ctx() {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (ctx == nullptr) throw std::runtime_error("SSL_CTX_new failed");
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  static const unsigned char kAlpn[] = "\x02h2\x08http/1.1";
  SSL_CTX_set_alpn_protos(ctx, kAlpn, sizeof kAlpn - 1);
  return ctx;
}

void add_all(SSL_CTX* ctx, const std::vector<X509*>& certs) {
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (X509* c : certs) X509_STORE_add_cert(store, c);  // a duplicate is harmless
  ERR_clear_error();
}

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("--ca-bundle: cannot read '" + path + "'");
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  if (text.size() > 16 * 1024 * 1024) throw std::invalid_argument("--ca-bundle: '" + path + "' is larger than 16 MiB");
  return text;
}

}  // namespace

TrustStore::TrustStore(SSL_CTX* ctx, TrustKind kind, std::vector<X509*> extra)
    : ctx_(ctx), kind_(kind), extra_(std::move(extra)) {}

TrustStore::~TrustStore() {
  for (X509* c : extra_) X509_free(c);
  SSL_CTX_free(ctx_);
}

std::shared_ptr<TrustStore> TrustStore::system(const std::string& extra_pem_file) {
  std::vector<X509*> extra;
  if (!extra_pem_file.empty()) {
    extra = parse_pem_certificates(read_small_file(extra_pem_file));
    if (extra.empty()) throw std::invalid_argument("--ca-bundle: no PEM certificate in '" + extra_pem_file + "'");
  }
  SSL_CTX* ctx = new_client_ctx();
  SSL_CTX_set_default_verify_paths(ctx);
  add_all(ctx, extra);
  const TrustKind kind = extra.empty() ? TrustKind::system : TrustKind::system_plus_extra;
  return std::shared_ptr<TrustStore>(new TrustStore(ctx, kind, std::move(extra)));
}

std::shared_ptr<TrustStore> TrustStore::pinned(const std::string& pem_text) {
  auto certs = parse_pem_certificates(pem_text);
  if (certs.empty()) throw std::invalid_argument("pinned CA: no PEM certificate found");
  SSL_CTX* ctx = new_client_ctx();
  add_all(ctx, certs);
  return std::shared_ptr<TrustStore>(new TrustStore(ctx, TrustKind::pinned, std::move(certs)));
}

void TrustStore::install_into(SSL_CTX* other) const {
  if (kind_ == TrustKind::pinned) {
    // Replace curl's default store so only the pins can vouch for the server.
    X509_STORE* fresh = X509_STORE_new();
    for (X509* c : extra_) X509_STORE_add_cert(fresh, c);
    SSL_CTX_set_cert_store(other, fresh);
  } else {
    add_all(other, extra_);
  }
  ERR_clear_error();
}

}  // namespace rp
