// The one place where errors from errno, c-ares, libcurl and OpenSSL become failure strings.
#pragma once

#include "failures/failure.h"

namespace rp {

// A socket-level errno (connect, send, recv, getsockopt(SO_ERROR)).
Failure failure_from_errno(int err);

// A c-ares status code (ARES_*); ARES_SUCCESS maps to success.
MaybeFailure failure_from_ares(int ares_status);

// A DNS response code (RFC 1035 rcode) of a reply that did arrive; NOERROR maps to success.
MaybeFailure failure_from_rcode(int rcode);

// A libcurl result; os_errno is CURLINFO_OS_ERRNO (0 when curl had none). CURLE_OK maps to success.
MaybeFailure failure_from_curl(int curl_code, long os_errno);

// A failed SSL_connect: ssl_error is SSL_get_error(), sys_errno the errno right after the call,
// lib_error the first ERR_get_error() code (0 if the queue was empty).
Failure failure_from_ssl(int ssl_error, int sys_errno, unsigned long lib_error);

// A certificate verification result (X509_V_*); X509_V_OK maps to success.
MaybeFailure failure_from_x509(long verify_result);

}  // namespace rp
