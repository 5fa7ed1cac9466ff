// The AWS settings every program that talks to SQS or DynamoDB shares (`serve` relays events
// and audit records, `worker` consumes events): where AWS is, which region and credentials
// sign the calls, which of the two services are switched on, the queue and table names, and
// whether the program creates them itself.
//
// Secrets may come from files (AWS_SECRET_ACCESS_KEY_FILE, ...: Docker and Kubernetes
// secrets): the rows keep the paths, and load_credentials() reads them once at start, so
// parsing the settings stays free of I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "aws/sigv4.h"
#include "core/config.h"

namespace sre::aws {

// Where one AWS service answers, split into what the HTTP client needs: AWS_ENDPOINT_URL for
// every service (an emulator on http://, a TLS proxy or a VPC endpoint on https://), or, when
// it is unset, the service's own regional endpoint on real AWS (regional_endpoint()).
struct Endpoint {
  bool tls = false;  // https://: verified TLS (http::Client)
  std::string host;
  std::string port;
  // The Host header exactly as sent (it is signed): the port only when it is not the scheme's
  // own, as AWS's SDKs send it.
  std::string host_header() const;
};

core::Parsed<Endpoint> parse_endpoint_url(std::string_view text);
std::string url_of(const Endpoint& endpoint);
// https://<service>.<region>.amazonaws.com: "sqs", "us-east-1" ->
// https://sqs.us-east-1.amazonaws.com
Endpoint regional_endpoint(std::string_view service, std::string_view region);

struct AwsOptions {
  // Unset: real AWS (each service's regional endpoint, over TLS).
  std::optional<Endpoint> endpoint;
  std::string region = "us-east-1";
  // LocalStack and moto accept any key; "test" is what their documentation uses.
  std::string access_key_id = "test";
  std::string secret_access_key = "test";
  std::string session_token;
  std::string access_key_id_file;
  std::string secret_access_key_file;
  std::string session_token_file;
  std::chrono::milliseconds timeout{3000};  // one call (a long poll adds its wait)
  bool enable_sqs = false;
  bool enable_dynamodb = false;
  // Unset: true unless ENVIRONMENT is production (see auto_provision_in()).
  std::optional<bool> auto_provision;
  std::string sqs_queue_name = "student-events";
  std::string dynamodb_table = "sre-playground-audit";
  // PEM file of CA certificates trusted for https:// endpoints besides the system's.
  std::string ca_bundle;

  // Where `service` ("sqs", "dynamodb") answers: AWS_ENDPOINT_URL, else real AWS.
  Endpoint endpoint_of(std::string_view service) const {
    return endpoint ? *endpoint : regional_endpoint(service, region);
  }
  // Whether any service is reached over TLS (then a TLS context is needed).
  bool uses_tls() const { return !endpoint || endpoint->tls; }

  bool auto_provision_in(std::string_view environment) const {
    return auto_provision.value_or(environment != "production");
  }
};

const std::vector<core::Setting<AwsOptions>>& settings();

// The credentials to sign with: each value from its *_FILE when that is set (the file wins;
// trailing whitespace dropped), else from its plain setting. A reason when a file cannot be
// read or is empty.
core::Parsed<Credentials> load_credentials(const AwsOptions& options);

}  // namespace sre::aws
