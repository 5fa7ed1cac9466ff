// The AWS settings: the endpoint URL, secrets read from files, secrets kept out of the
// start-up log, and AWS_AUTO_PROVISION's default that depends on the environment.
#include "aws/aws_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sre::aws {
namespace {

core::Built<AwsOptions> build(const std::map<std::string, std::string>& values) {
  return core::build(settings(), values);
}

std::string value_of(const AwsOptions& options, std::string_view key) {
  for (const auto& [name, value] : core::describe(settings(), options)) {
    if (name == key) {
      return value;
    }
  }
  return "<missing>";
}

class SecretFile {
 public:
  explicit SecretFile(std::string_view text)
      : path_(std::filesystem::temp_directory_path() /
              ("aws-secret-" + std::to_string(getpid()) + "-" + std::to_string(counter_++))) {
    std::ofstream(path_) << text;
  }
  ~SecretFile() { std::filesystem::remove(path_); }
  SecretFile(const SecretFile&) = delete;
  SecretFile& operator=(const SecretFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

Endpoint endpoint_of(std::string_view url) {
  auto built = build({{"AWS_ENDPOINT_URL", std::string(url)}});
  EXPECT_TRUE(built.options && built.options->endpoint) << url << ": " << built.error;
  return built.options && built.options->endpoint ? *built.options->endpoint : Endpoint{};
}

TEST(AwsOptions, EndpointUrlIsHttpOrHttpsHostAndPort) {
  auto plain = endpoint_of("http://127.0.0.1:5000");
  EXPECT_FALSE(plain.tls);
  EXPECT_EQ(plain.host, "127.0.0.1");
  EXPECT_EQ(plain.port, "5000");
  EXPECT_EQ(plain.host_header(), "127.0.0.1:5000");
  EXPECT_EQ(endpoint_of("http://localstack").port, "80");
  EXPECT_EQ(endpoint_of("http://localstack").host_header(), "localstack");

  auto tls = endpoint_of("https://sqs.eu-west-1.amazonaws.com");
  EXPECT_TRUE(tls.tls);
  EXPECT_EQ(tls.port, "443");
  // Signed as AWS's SDKs send it: no port when it is the scheme's own.
  EXPECT_EQ(tls.host_header(), "sqs.eu-west-1.amazonaws.com");
  EXPECT_EQ(endpoint_of("https://proxy.internal:8443").host_header(), "proxy.internal:8443");
  EXPECT_EQ(url_of(endpoint_of("https://proxy.internal:8443")), "https://proxy.internal:8443");

  for (const char* refused :
       {"ftp://sqs.us-east-1.amazonaws.com", "localhost:4566", "http://localhost:4566/path",
        "http://:4566", "http://h:0", "https://user@h"}) {
    EXPECT_FALSE(build({{"AWS_ENDPOINT_URL", refused}}).options) << refused;
  }
}

TEST(AwsOptions, WithoutEndpointUrlEachServiceIsItsRegionalEndpointOverTls) {
  auto built = build({{"AWS_REGION", "eu-west-1"}});
  ASSERT_TRUE(built.options) << built.error;
  EXPECT_FALSE(built.options->endpoint);
  EXPECT_TRUE(built.options->uses_tls());
  auto sqs = built.options->endpoint_of("sqs");
  EXPECT_TRUE(sqs.tls);
  EXPECT_EQ(sqs.host, "sqs.eu-west-1.amazonaws.com");
  EXPECT_EQ(sqs.port, "443");
  EXPECT_EQ(built.options->endpoint_of("dynamodb").host, "dynamodb.eu-west-1.amazonaws.com");

  auto emulator = build({{"AWS_ENDPOINT_URL", "http://localhost:4566"}});
  ASSERT_TRUE(emulator.options) << emulator.error;
  EXPECT_FALSE(emulator.options->uses_tls());
  EXPECT_EQ(emulator.options->endpoint_of("dynamodb").host, "localhost");
  EXPECT_EQ(emulator.options->endpoint_of("sqs").port, "4566");
}

TEST(AwsOptions, AutoProvisionDefaultsToTrueOutsideProduction) {
  AwsOptions unset;
  EXPECT_TRUE(unset.auto_provision_in("development"));
  EXPECT_FALSE(unset.auto_provision_in("production"));
  auto forced = build({{"AWS_AUTO_PROVISION", "true"}});
  ASSERT_TRUE(forced.options);
  EXPECT_TRUE(forced.options->auto_provision_in("production"));
  auto off = build({{"AWS_AUTO_PROVISION", "false"}});
  EXPECT_FALSE(off.options->auto_provision_in("development"));
  EXPECT_FALSE(build({{"AWS_AUTO_PROVISION", "maybe"}}).options);
}

TEST(AwsOptions, SecretsAreNeverShown) {
  auto built = build({{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI"}, {"AWS_SESSION_TOKEN", "tok"}});
  ASSERT_TRUE(built.options);
  EXPECT_EQ(value_of(*built.options, "aws_secret_access_key"), "***");
  EXPECT_EQ(value_of(*built.options, "aws_session_token"), "***");
  EXPECT_EQ(value_of(AwsOptions{}, "aws_session_token"), "");
}

TEST(AwsOptions, CredentialsComeFromFilesWhenTheirFileIsSet) {
  SecretFile key_id("AKIDFROMFILE\n");
  SecretFile secret("secret-from-file\n");
  auto built = build({{"AWS_ACCESS_KEY_ID", "plain-id"},
                      {"AWS_SECRET_ACCESS_KEY", "plain-secret"},
                      {"AWS_SESSION_TOKEN", "plain-token"},
                      {"AWS_ACCESS_KEY_ID_FILE", key_id.path()},
                      {"AWS_SECRET_ACCESS_KEY_FILE", secret.path()}});
  ASSERT_TRUE(built.options) << built.error;
  auto credentials = load_credentials(*built.options);
  ASSERT_TRUE(std::holds_alternative<Credentials>(credentials));
  const auto& loaded = std::get<Credentials>(credentials);
  EXPECT_EQ(loaded.access_key_id, "AKIDFROMFILE");
  EXPECT_EQ(loaded.secret_access_key, "secret-from-file");
  EXPECT_EQ(loaded.session_token, "plain-token");
}

TEST(AwsOptions, AnUnreadableOrEmptySecretFileIsRefused) {
  AwsOptions missing;
  missing.secret_access_key_file = "/nonexistent/secret";
  auto refused = load_credentials(missing);
  ASSERT_TRUE(std::holds_alternative<std::string>(refused));
  EXPECT_NE(std::get<std::string>(refused).find("AWS_SECRET_ACCESS_KEY_FILE"), std::string::npos);

  SecretFile empty("\n");
  AwsOptions blank;
  blank.session_token_file = empty.path();
  EXPECT_TRUE(std::holds_alternative<std::string>(load_credentials(blank)));
}

}  // namespace
}  // namespace sre::aws
