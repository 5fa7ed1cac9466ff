// The TLS side of outgoing https:// calls (SQS and DynamoDB on real AWS): one OpenSSL client
// context per program, shared by every connection of every thread (OpenSSL allows that once
// the context is set up). Peers must present a certificate chain that verifies against the
// system's trust store, plus an optional extra CA bundle (a private CA, a TLS-terminating
// proxy), over TLS 1.2 or later. Whether the certificate names the host is checked per
// connection (see http::Client), as is the SNI sent.
#pragma once

#include <memory>
#include <string>

#include "core/config.h"

namespace boost::asio::ssl {
class context;
}

namespace sre::http {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// The context, or why it cannot be made: `extra_ca_file` (PEM, may hold several certificates;
// empty: none) unreadable or holding no certificate.
core::Parsed<TlsContext> make_tls_client_context(const std::string& extra_ca_file);

}  // namespace sre::http
