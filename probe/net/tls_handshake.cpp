// OpenSSL client handshake driven by WANT_READ/WANT_WRITE through the loop.
#include "net/tls_handshake.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>

#include "failures/classify.h"
#include "net/ip_address.h"

namespace rp {
namespace {

struct HandshakeState {
  EventLoop& loop;
  int fd;
  SSL* ssl = nullptr;
  std::shared_ptr<TrustStore> trust;
  EventLoop::TimerId timer = 0;
  std::function<void(TlsHandshakeResult)> cb;
  bool done = false;

  void finish(TlsHandshakeResult r) {
    if (done) return;
    done = true;
    loop.unwatch(fd);
    loop.cancel_timer(timer);
    if (ssl != nullptr) SSL_free(ssl);
    close(fd);
    cb(std::move(r));
  }
};

TlsHandshakeResult failed(Failure f) {
  TlsHandshakeResult r;
  r.failure = f;
  return r;
}

std::string der_of(X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

// Fills in what the server showed: version, cipher, ALPN, chain, and the verification verdict.
void record_session(SSL* ssl, TlsHandshakeResult& r) {
  r.tls_version = SSL_get_version(ssl);
  if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) r.cipher_suite = SSL_CIPHER_get_name(c);
  const unsigned char* alpn = nullptr;
  unsigned alpn_len = 0;
  SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
  if (alpn_len > 0) r.negotiated_alpn = std::string(reinterpret_cast<const char*>(alpn), alpn_len);

  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  const int n = chain ? sk_X509_num(chain) : 0;
  for (int i = 0; i < n && r.peer_certificates_der.size() < kMaxChain; ++i) {
    r.peer_certificates_der.push_back(der_of(sk_X509_value(chain, i)));
  }
  if (n == 0) return;  // no certificate: nothing to verify
  const long vr = SSL_get_verify_result(ssl);
  r.verification_error = failure_from_x509(vr);
  r.trusted = !r.verification_error.has_value();
  r.verification_detail = X509_verify_cert_error_string(vr);
}

void step(const std::shared_ptr<HandshakeState>& s) {
  ERR_clear_error();
  errno = 0;
  const int rc = SSL_connect(s->ssl);
  if (rc == 1) {
    TlsHandshakeResult r;
    r.handshake_completed = true;
    record_session(s->ssl, r);
    if (!r.trusted.has_value()) r.verification_error = Failure::ssl_invalid_certificate;
    r.failure = r.verification_error;
    return s->finish(std::move(r));
  }
  const int sys_errno = errno;
  const int err = SSL_get_error(s->ssl, rc);
  if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
    const short events = err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
    s->loop.watch(s->fd, events, [s](short) { step(s); });
    return;
  }
  TlsHandshakeResult r;
  r.failure = failure_from_ssl(err, sys_errno, ERR_peek_error());
  s->finish(std::move(r));
}

}  // namespace

void tls_handshake(EventLoop& loop, int fd, std::shared_ptr<TrustStore> trust, std::optional<std::string> server_name,
                   std::string verify_name, Duration timeout, std::function<void(TlsHandshakeResult)> cb) {
  auto s = std::make_shared<HandshakeState>(HandshakeState{loop, fd, nullptr, std::move(trust), 0, std::move(cb)});
  s->ssl = SSL_new(s->trust->ctx());
  if (s->ssl == nullptr || SSL_set_fd(s->ssl, fd) != 1) {
    s->timer = loop.add_timer(Duration{0}, [s] { s->finish(failed(Failure::unknown_failure)); });
    return;
  }
  if (server_name) SSL_set_tlsext_host_name(s->ssl, server_name->c_str());
  X509_VERIFY_PARAM* param = SSL_get0_param(s->ssl);
  if (is_ip_literal(verify_name)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, verify_name.c_str());
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    SSL_set1_host(s->ssl, verify_name.c_str());
  }
  s->timer = loop.add_timer(timeout, [s] { s->finish(failed(Failure::generic_timeout_error)); });
  loop.add_timer(Duration{0}, [s] {
    if (!s->done) step(s);
  });
}

}  // namespace rp
