// Error mapping tables: each library's codes land on the documented failure strings.
#include <gtest/gtest.h>

#include <ares.h>
#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <cerrno>

#include "failures/classify.h"

namespace rp {
namespace {

std::string s(MaybeFailure f) { return f ? std::string(to_string(*f)) : "null"; }
std::string s(Failure f) { return std::string(to_string(f)); }

TEST(ClassifyErrno, MapsSocketErrorsToStableStrings) {
  EXPECT_EQ(s(failure_from_errno(ECONNREFUSED)), "connection_refused");
  EXPECT_EQ(s(failure_from_errno(ECONNRESET)), "connection_reset");
  EXPECT_EQ(s(failure_from_errno(ETIMEDOUT)), "generic_timeout_error");
  EXPECT_EQ(s(failure_from_errno(EHOSTUNREACH)), "host_unreachable");
  EXPECT_EQ(s(failure_from_errno(ENETUNREACH)), "network_unreachable");
  EXPECT_EQ(s(failure_from_errno(EBADF)), "unknown_failure");
}

TEST(ClassifyAres, MapsResolverOutcomes) {
  EXPECT_EQ(s(failure_from_ares(ARES_SUCCESS)), "null");
  EXPECT_EQ(s(failure_from_ares(ARES_ENOTFOUND)), "dns_nxdomain_error");
  EXPECT_EQ(s(failure_from_ares(ARES_ENODATA)), "dns_no_answer");
  EXPECT_EQ(s(failure_from_ares(ARES_ESERVFAIL)), "dns_servfail_error");
  EXPECT_EQ(s(failure_from_ares(ARES_EREFUSED)), "dns_refused_error");
  EXPECT_EQ(s(failure_from_ares(ARES_ETIMEOUT)), "generic_timeout_error");
  EXPECT_EQ(s(failure_from_ares(ARES_EBADRESP)), "dns_server_misbehaving");
}

TEST(ClassifyRcode, MapsResponseCodes) {
  EXPECT_EQ(s(failure_from_rcode(0)), "null");
  EXPECT_EQ(s(failure_from_rcode(2)), "dns_servfail_error");
  EXPECT_EQ(s(failure_from_rcode(3)), "dns_nxdomain_error");
  EXPECT_EQ(s(failure_from_rcode(5)), "dns_refused_error");
  EXPECT_EQ(s(failure_from_rcode(9)), "dns_server_misbehaving");
}

TEST(ClassifyCurl, UsesTheOsErrnoWhenCurlHasOne) {
  EXPECT_EQ(s(failure_from_curl(CURLE_OK, 0)), "null");
  EXPECT_EQ(s(failure_from_curl(CURLE_OPERATION_TIMEDOUT, 0)), "generic_timeout_error");
  EXPECT_EQ(s(failure_from_curl(CURLE_COULDNT_CONNECT, ECONNREFUSED)), "connection_refused");
  EXPECT_EQ(s(failure_from_curl(CURLE_COULDNT_CONNECT, EHOSTUNREACH)), "host_unreachable");
  EXPECT_EQ(s(failure_from_curl(CURLE_RECV_ERROR, ECONNRESET)), "connection_reset");
  EXPECT_EQ(s(failure_from_curl(CURLE_GOT_NOTHING, 0)), "eof_error");
  EXPECT_EQ(s(failure_from_curl(CURLE_SSL_CONNECT_ERROR, ECONNRESET)), "connection_reset");
  EXPECT_EQ(s(failure_from_curl(CURLE_WEIRD_SERVER_REPLY, 0)), "http_invalid_response");
}

TEST(ClassifySsl, TellsResetFromEofFromProtocolErrors) {
  EXPECT_EQ(s(failure_from_ssl(SSL_ERROR_SYSCALL, ECONNRESET, 0)), "connection_reset");
  EXPECT_EQ(s(failure_from_ssl(SSL_ERROR_SYSCALL, 0, 0)), "eof_error");
  EXPECT_EQ(s(failure_from_ssl(SSL_ERROR_ZERO_RETURN, 0, 0)), "eof_error");
  EXPECT_EQ(s(failure_from_ssl(SSL_ERROR_SSL, 0, ERR_PACK(ERR_LIB_SSL, 0, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION))),
            "ssl_failed_handshake");
  EXPECT_EQ(s(failure_from_ssl(SSL_ERROR_SSL, 0, ERR_PACK(ERR_LIB_SSL, 0, SSL_R_UNEXPECTED_EOF_WHILE_READING))),
            "eof_error");
}

TEST(ClassifyX509, SeparatesNameAuthorityAndOtherCertificateProblems) {
  EXPECT_EQ(s(failure_from_x509(X509_V_OK)), "null");
  EXPECT_EQ(s(failure_from_x509(X509_V_ERR_HOSTNAME_MISMATCH)), "ssl_invalid_hostname");
  EXPECT_EQ(s(failure_from_x509(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)), "ssl_unknown_authority");
  EXPECT_EQ(s(failure_from_x509(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY)), "ssl_unknown_authority");
  EXPECT_EQ(s(failure_from_x509(X509_V_ERR_CERT_HAS_EXPIRED)), "ssl_invalid_certificate");
}

}  // namespace
}  // namespace rp
