#include "aws/aws_options.h"

#include <fmt/format.h>

#include <boost/url/parse.hpp>
#include <fstream>
#include <sstream>

namespace sre::aws {

namespace {

using core::setting;

// A secret's value as the start-up log and --help may show it: only whether it is set.
core::ValueParser<std::string> secret_text() {
  auto parser = core::any_text();
  parser.show = [](const std::string& value) { return value.empty() ? std::string() : "***"; };
  return parser;
}

core::ValueParser<std::optional<bool>> optional_boolean() {
  auto plain = core::boolean();
  return core::optional_parsed_by<bool>(
      [parse = plain.parse](std::string_view text) -> core::Parsed<bool> {
        auto parsed = parse(text);
        if (auto* refusal = std::get_if<core::Refusal>(&parsed)) {
          return std::move(refusal->reason);
        }
        return std::get<bool>(parsed);
      },
      plain.show, "true or false");
}

// The secret in `path`, without trailing whitespace; a reason (naming `env`) when the file
// cannot be read or holds nothing.
core::ParseResult<std::string> read_secret_file(std::string_view env, const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return core::Refusal{fmt::format("{}: cannot read '{}'", env, path)};
  }
  std::ostringstream text;
  text << file.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ' ||
                            value.back() == '\t')) {
    value.pop_back();
  }
  if (value.empty()) {
    return core::Refusal{fmt::format("{}: '{}' is empty", env, path)};
  }
  return value;
}

std::string_view default_port(bool tls) {
  return tls ? "443" : "80";
}

}  // namespace

std::string Endpoint::host_header() const {
  return port == default_port(tls) ? host : host + ":" + port;
}

core::Parsed<Endpoint> parse_endpoint_url(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url) {
    return fmt::format("'{}' is not an absolute URL like http://localhost:4566", text);
  }
  if (url->scheme() != "http" && url->scheme() != "https") {
    return fmt::format("'{}' must start with http:// or https://", text);
  }
  if (url->host().empty()) {
    return fmt::format("'{}' has no host", text);
  }
  if (url->has_port() && url->port_number() == 0) {
    return fmt::format("'{}' has no valid port (1..65535)", text);
  }
  if ((!url->path().empty() && url->path() != "/") || url->has_query() || url->has_fragment() ||
      url->has_userinfo()) {
    return fmt::format("'{}' must be only http(s)://host[:port]", text);
  }
  const bool tls = url->scheme() == "https";
  return Endpoint{tls, url->host_address(),
                  url->has_port() ? std::string(url->port()) : std::string(default_port(tls))};
}

std::string url_of(const Endpoint& endpoint) {
  return fmt::format("{}://{}:{}", endpoint.tls ? "https" : "http", endpoint.host, endpoint.port);
}

Endpoint regional_endpoint(std::string_view service, std::string_view region) {
  return {true, fmt::format("{}.{}.amazonaws.com", service, region),
          std::string(default_port(true))};
}

const std::vector<core::Setting<AwsOptions>>& settings() {
  using std::chrono::milliseconds;
  static const std::vector<core::Setting<AwsOptions>> rows{
      setting("ENABLE_SQS", &AwsOptions::enable_sqs, core::boolean(),
              "Send student events to the SQS queue SQS_QUEUE_NAME (false: they stay in the "
              "outbox table, where the worker reads them)"),
      setting("ENABLE_DYNAMODB", &AwsOptions::enable_dynamodb, core::boolean(),
              "Copy audit records to the DynamoDB table DYNAMODB_TABLE (false: the local audit "
              "table only)"),
      setting(
          "AWS_ENDPOINT_URL", &AwsOptions::endpoint,
          core::optional_parsed_by<Endpoint>(parse_endpoint_url, url_of, "http(s)://host[:port]"),
          "Where SQS and DynamoDB answer: an emulator (LocalStack, moto_server: "
          "http://localhost:4566), a proxy or VPC endpoint; unset: real AWS, "
          "https://sqs.AWS_REGION.amazonaws.com and https://dynamodb.AWS_REGION.amazonaws.com"),
      setting("AWS_REGION", &AwsOptions::region, core::non_empty_text(),
              "Region the calls are signed for (and, without AWS_ENDPOINT_URL, sent to)"),
      setting("AWS_CA_BUNDLE", &AwsOptions::ca_bundle, core::any_text(),
              "PEM file of CA certificates trusted for https:// endpoints besides the system's "
              "(a private CA, a TLS-terminating proxy); certificates are always verified"),
      setting("AWS_ACCESS_KEY_ID", &AwsOptions::access_key_id, secret_text(),
              "Access key id that signs the calls (LocalStack and moto accept any)",
              core::Visibility::secret),
      setting("AWS_ACCESS_KEY_ID_FILE", &AwsOptions::access_key_id_file, core::any_text(),
              "File holding the access key id; wins over AWS_ACCESS_KEY_ID"),
      setting("AWS_SECRET_ACCESS_KEY", &AwsOptions::secret_access_key, secret_text(),
              "Secret access key that signs the calls", core::Visibility::secret),
      setting("AWS_SECRET_ACCESS_KEY_FILE", &AwsOptions::secret_access_key_file, core::any_text(),
              "File holding the secret access key; wins over "
              "AWS_SECRET_ACCESS_KEY"),
      setting("AWS_SESSION_TOKEN", &AwsOptions::session_token, secret_text(),
              "Session token of temporary credentials (sent as X-Amz-Security-Token)",
              core::Visibility::secret),
      setting("AWS_SESSION_TOKEN_FILE", &AwsOptions::session_token_file, core::any_text(),
              "File holding the session token; wins over AWS_SESSION_TOKEN"),
      setting("AWS_TIMEOUT_MS", &AwsOptions::timeout, core::duration_in<milliseconds>(1, 600'000),
              "Timeout of one SQS or DynamoDB call (a long poll adds its wait)"),
      setting("AWS_AUTO_PROVISION", &AwsOptions::auto_provision, optional_boolean(),
              "Create the queue (with its dead-letter queue) and the table at start; unset: true "
              "unless ENVIRONMENT is production"),
      setting("SQS_QUEUE_NAME", &AwsOptions::sqs_queue_name, core::non_empty_text(),
              "Queue of the student events; its dead-letter queue is this name + '-dlq'"),
      setting("DYNAMODB_TABLE", &AwsOptions::dynamodb_table, core::non_empty_text(),
              "Table of the audit records (hash id, range timestamp, index by student_id)"),
  };
  return rows;
}

core::Parsed<Credentials> load_credentials(const AwsOptions& options) {
  Credentials credentials{options.access_key_id, options.secret_access_key, options.session_token};
  struct FromFile {
    std::string_view env;
    const std::string& path;
    std::string& value;
  };
  for (const auto& [env, path, value] :
       {FromFile{"AWS_ACCESS_KEY_ID_FILE", options.access_key_id_file, credentials.access_key_id},
        FromFile{"AWS_SECRET_ACCESS_KEY_FILE", options.secret_access_key_file,
                 credentials.secret_access_key},
        FromFile{"AWS_SESSION_TOKEN_FILE", options.session_token_file,
                 credentials.session_token}}) {
    if (path.empty()) {
      continue;
    }
    auto read = read_secret_file(env, path);
    if (auto* refusal = std::get_if<core::Refusal>(&read)) {
      return std::move(refusal->reason);
    }
    value = std::move(std::get<std::string>(read));
  }
  return credentials;
}

}  // namespace sre::aws
