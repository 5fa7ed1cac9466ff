// What every AWS client of a program shares, read once at start (files are read here, not
// while parsing the settings): the credentials, each from its *_FILE when set, and, when any
// service is reached over https://, the TLS context that verifies its certificates (the
// system's trust store plus AWS_CA_BUNDLE). Then the address of each service: where it
// answers (AWS_ENDPOINT_URL, or real AWS) and how the calls to it are signed and secured.
#pragma once

#include <string_view>

#include "aws/aws_call.h"
#include "aws/aws_options.h"
#include "http/tls_client_context.h"

namespace sre::aws {

struct AwsAccess {
  Credentials credentials;
  http::TlsContext tls;  // null when no endpoint is https://
};

// A reason (naming the setting) when a credentials file or AWS_CA_BUNDLE cannot be used.
core::Parsed<AwsAccess> load_access(const AwsOptions& options);

// `service`: "sqs" or "dynamodb".
ServiceAddress service_address(const AwsOptions& options, const AwsAccess& access,
                               std::string_view service);

}  // namespace sre::aws
