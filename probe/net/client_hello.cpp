// A memory-BIO handshake that stops after the first flight: SSL_connect() wants to read the server's
// reply, and by then the ClientHello sits in the write BIO.
#include "net/client_hello.h"

#include <openssl/bio.h>
#include <openssl/err.h>

namespace rp {

std::string build_client_hello(SSL_CTX* ctx, const std::optional<std::string>& server_name) {
  SSL* ssl = SSL_new(ctx);
  if (ssl == nullptr) return {};
  BIO* rbio = BIO_new(BIO_s_mem());
  BIO* wbio = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, rbio, wbio);  // ssl owns both now
  if (server_name) SSL_set_tlsext_host_name(ssl, server_name->c_str());
  SSL_connect(ssl);  // returns WANT_READ after writing the ClientHello
  std::string out;
  char* data = nullptr;
  const long len = BIO_get_mem_data(wbio, &data);
  if (len > 0 && data != nullptr) out.assign(data, static_cast<std::size_t>(len));
  SSL_free(ssl);
  ERR_clear_error();
  return out;
}

}  // namespace rp
