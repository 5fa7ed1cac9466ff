// One signed AWS JSON-protocol call over the keep-alive HTTP client, and what it came to: the
// answer, or an AwsError saying whether trying again can help. Counted in AwsMetrics and,
// when it fails, logged. ONE attempt: retries, backoff and breakers belong to the caller,
// who knows what the call is worth.
//
// A ServiceConnection is one AWS service (SQS or DynamoDB) at one endpoint, signed with one
// set of credentials; SqsClient and DynamoDbClient each own one.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>

#include "aws/aws_error.h"
#include "aws/aws_metrics.h"
#include "aws/aws_options.h"
#include "aws/sigv4.h"
#include "http/client.h"

namespace sre::aws {

// What an operation returns: its value, or the error (and never both).
template <typename T>
struct Result {
  std::optional<T> value;
  AwsError error;  // when !value

  bool ok() const { return value.has_value(); }
  static Result failure(AwsError error) { return {std::nullopt, std::move(error)}; }
};

// The value of an operation that answers nothing worth keeping.
struct Done {};

struct ServiceAddress {
  Endpoint endpoint;
  Credentials credentials;
  std::string region;
  std::chrono::milliseconds timeout{3000};
  http::TlsContext tls;  // needed when endpoint.tls (aws::load_access makes it)
};

class ServiceConnection {
 public:
  // `service`: the signing name ("sqs", "dynamodb"); `target_prefix`: the X-Amz-Target
  // prefix ("AmazonSQS", "DynamoDB_20120810").
  ServiceConnection(ServiceAddress address, std::string service, std::string target_prefix,
                    AwsMetrics& metrics);

  // The series of one operation (resolve once, at construction of the client).
  AwsMetrics::Operation& operation(std::string_view name) const {
    return metrics_.operation(service_, name);
  }

  // Sends `body` as `operation`; the answer's body on a 2xx. `extra_wait` lengthens the
  // timeout (a long poll's wait). `body` must outlive the call (the caller's named local:
  // g++ 12 miscompiles coroutines that take temporaries by value, see README).
  boost::asio::awaitable<Result<std::string>> call(
      AwsMetrics::Operation& operation, const std::string& body,
      std::chrono::milliseconds extra_wait = std::chrono::milliseconds(0)) const;

  const ServiceAddress& address() const { return address_; }

 private:
  ServiceAddress address_;
  std::string service_;
  std::string target_prefix_;
  SigningScope scope_;
  AwsMetrics& metrics_;
  http::Client client_;
};

}  // namespace sre::aws
