#include "http/tls_client_context.h"

#include <fmt/format.h>

#include <boost/asio/ssl/context.hpp>

namespace sre::http {

namespace ssl = boost::asio::ssl;

core::Parsed<TlsContext> make_tls_client_context(const std::string& extra_ca_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  // No SSLv2/3, TLS 1.0 or 1.1: AWS's endpoints need TLS 1.2 at least.
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_verify_mode(ssl::verify_peer, ec);
  if (!ec) {
    context->set_default_verify_paths(ec);
  }
  if (ec) {
    return fmt::format("cannot use the system's trust store: {}", ec.message());
  }
  if (!extra_ca_file.empty()) {
    context->load_verify_file(extra_ca_file, ec);
    if (ec) {
      return fmt::format("cannot load the CA bundle '{}': {}", extra_ca_file, ec.message());
    }
  }
  return context;
}

}  // namespace sre::http
