// The TLS context of outgoing https:// calls: the system's trust store alone, or with an extra
// CA bundle; a bundle that cannot be used is refused with its path, never ignored.
#include "http/tls_client_context.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <fstream>

namespace sre::http {
namespace {

std::filesystem::path temp_file(std::string_view name, std::string_view text) {
  auto path = std::filesystem::temp_directory_path() /
              (std::string(name) + "-" + std::to_string(getpid()) + ".pem");
  std::ofstream(path) << text;
  return path;
}

TEST(TlsClientContext, VerifiesPeersWithTheSystemTrustStore) {
  auto made = make_tls_client_context("");
  ASSERT_TRUE(std::holds_alternative<TlsContext>(made)) << std::get<std::string>(made);
  const auto& context = std::get<TlsContext>(made);
  EXPECT_EQ(SSL_CTX_get_verify_mode(context->native_handle()), SSL_VERIFY_PEER);
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context->native_handle()), TLS1_2_VERSION);
}

TEST(TlsClientContext, AnUnusableCaBundleIsRefusedWithItsPath) {
  auto missing = make_tls_client_context("/nonexistent/ca.pem");
  ASSERT_TRUE(std::holds_alternative<std::string>(missing));
  EXPECT_NE(std::get<std::string>(missing).find("/nonexistent/ca.pem"), std::string::npos);

  auto not_pem = temp_file("not-a-ca", "this is no certificate\n");
  auto garbage = make_tls_client_context(not_pem.string());
  std::filesystem::remove(not_pem);
  ASSERT_TRUE(std::holds_alternative<std::string>(garbage));
  EXPECT_NE(std::get<std::string>(garbage).find(not_pem.string()), std::string::npos);
}

}  // namespace
}  // namespace sre::http
