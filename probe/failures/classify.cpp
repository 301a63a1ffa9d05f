// Error mapping tables. Keep each mapping explicit: anything unmapped becomes unknown_failure, never a free-form text.
#include "failures/classify.h"

#include <ares.h>
#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <cerrno>

namespace rp {

Failure failure_from_errno(int err) {
  switch (err) {
    case ECONNREFUSED: return Failure::connection_refused;
    case ECONNRESET:
    case EPIPE: return Failure::connection_reset;
    case ETIMEDOUT: return Failure::generic_timeout_error;
    case EHOSTUNREACH:
    case EHOSTDOWN: return Failure::host_unreachable;
    case ENETUNREACH:
    case ENETDOWN:
    case EAFNOSUPPORT:
    case EADDRNOTAVAIL: return Failure::network_unreachable;
    case EINVAL: return Failure::address_invalid;
    default: return Failure::unknown_failure;
  }
}

MaybeFailure failure_from_ares(int ares_status) {
  switch (ares_status) {
    case ARES_SUCCESS: return std::nullopt;
    case ARES_ENOTFOUND: return Failure::dns_nxdomain_error;
    case ARES_ENODATA: return Failure::dns_no_answer;
    case ARES_ESERVFAIL: return Failure::dns_servfail_error;
    case ARES_EREFUSED: return Failure::dns_refused_error;
    case ARES_ETIMEOUT: return Failure::generic_timeout_error;
    case ARES_EFORMERR:
    case ARES_EBADRESP:
    case ARES_ENOTIMP: return Failure::dns_server_misbehaving;
    case ARES_ECONNREFUSED: return Failure::connection_refused;
    case ARES_EBADNAME: return Failure::address_invalid;
    default: return Failure::unknown_failure;
  }
}

MaybeFailure failure_from_rcode(int rcode) {
  switch (rcode) {
    case 0: return std::nullopt;                      // NOERROR
    case 1: return Failure::dns_server_misbehaving;   // FORMERR
    case 2: return Failure::dns_servfail_error;       // SERVFAIL
    case 3: return Failure::dns_nxdomain_error;       // NXDOMAIN
    case 5: return Failure::dns_refused_error;        // REFUSED
    default: return Failure::dns_server_misbehaving;  // NOTIMP and anything odd
  }
}

MaybeFailure failure_from_curl(int curl_code, long os_errno) {
  switch (static_cast<CURLcode>(curl_code)) {
    case CURLE_OK: return std::nullopt;
    case CURLE_OPERATION_TIMEDOUT: return Failure::generic_timeout_error;
    case CURLE_COULDNT_CONNECT:
      return os_errno != 0 ? failure_from_errno(static_cast<int>(os_errno)) : Failure::connection_refused;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
      return os_errno != 0 ? failure_from_errno(static_cast<int>(os_errno)) : Failure::connection_reset;
    case CURLE_GOT_NOTHING: return Failure::eof_error;
    case CURLE_PEER_FAILED_VERIFICATION: return Failure::ssl_invalid_hostname;
    case CURLE_SSL_CACERT_BADFILE: return Failure::ssl_unknown_authority;
    case CURLE_SSL_CONNECT_ERROR:
      // curl reports a reset or an EOF during the handshake as a connect error; the errno tells which.
      return os_errno == ECONNRESET ? Failure::connection_reset : Failure::ssl_failed_handshake;
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH: return Failure::ssl_invalid_certificate;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_PARTIAL_FILE:
    case CURLE_WRITE_ERROR: return Failure::http_invalid_response;
    case CURLE_TOO_MANY_REDIRECTS: return Failure::http_too_many_redirects;
    case CURLE_URL_MALFORMAT: return Failure::http_invalid_redirect;
    case CURLE_COULDNT_RESOLVE_HOST: return Failure::dns_nxdomain_error;
    default: return Failure::unknown_failure;
  }
}

Failure failure_from_ssl(int ssl_error, int sys_errno, unsigned long lib_error) {
  switch (ssl_error) {
    case SSL_ERROR_ZERO_RETURN: return Failure::eof_error;
    case SSL_ERROR_SYSCALL:
      // An empty error queue with errno 0 is OpenSSL's way of saying the peer closed without a word.
      if (sys_errno == 0) return Failure::eof_error;
      return failure_from_errno(sys_errno);
    case SSL_ERROR_SSL:
      if (ERR_GET_LIB(lib_error) == ERR_LIB_SYS) return failure_from_errno(ERR_GET_REASON(lib_error));
#ifdef SSL_R_UNEXPECTED_EOF_WHILE_READING
      if (ERR_GET_REASON(lib_error) == SSL_R_UNEXPECTED_EOF_WHILE_READING) return Failure::eof_error;
#endif
      return Failure::ssl_failed_handshake;
    default: return Failure::unknown_failure;
  }
}

MaybeFailure failure_from_x509(long verify_result) {
  switch (verify_result) {
    case X509_V_OK: return std::nullopt;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return Failure::ssl_invalid_hostname;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED: return Failure::ssl_unknown_authority;
    default: return Failure::ssl_invalid_certificate;
  }
}

}  // namespace rp
