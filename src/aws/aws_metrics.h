// What the AWS clients count, per service and operation:
//
//   aws_requests_total{service,operation,outcome}     success, throttled, server_error,
//                                                     client_error, transport_error, tls_error
//   aws_request_duration_seconds{service,operation}   every call, answered or not
//
// One AwsMetrics per program (SQS and DynamoDB clients share it). A client resolves the series
// of each operation it calls once, at construction (operation() takes a lock); recording is a
// few relaxed atomic adds.
#pragma once

#include <prometheus/counter.h>

#include <array>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "aws/aws_error.h"
#include "obs/histogram.h"
#include "obs/metrics.h"

namespace sre::aws {

enum class CallOutcome : std::uint8_t {
  success,
  throttled,        // retryable, answered below 500 (ThrottlingException, 429)
  server_error,     // 5xx
  client_error,     // the request was wrong: not retryable
  transport_error,  // no answer: refused, reset, timed out
  tls_error,        // no answer: the TLS handshake failed (certificate untrusted, wrong name)
  count_,
};
std::string_view to_string(CallOutcome outcome);
CallOutcome outcome_of(const AwsError& error);

class AwsMetrics {
  // Every operation's series; renders aws_request_duration_seconds at scrape time.
  class Durations;

 public:
  // Upper bounds in seconds: a local emulator answers in milliseconds, real AWS in tens of
  // them; a long poll (ReceiveMessage) waits up to 20 s.
  static constexpr std::array<double, 14> kBuckets = {
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0};

  // The series of one operation of one service.
  class Operation {
   public:
    void record(CallOutcome outcome, double seconds) {
      outcomes_.at(static_cast<std::size_t>(outcome))->Increment();
      duration_.observe(seconds);
    }
    const std::string& service() const { return service_; }
    const std::string& name() const { return name_; }

   private:
    friend class AwsMetrics::Durations;
    std::string service_;
    std::string name_;
    std::array<prometheus::Counter*, static_cast<std::size_t>(CallOutcome::count_)> outcomes_{};
    obs::Histogram<kBuckets> duration_;
  };

  explicit AwsMetrics(obs::Metrics& metrics);
  ~AwsMetrics();
  AwsMetrics(const AwsMetrics&) = delete;
  AwsMetrics& operator=(const AwsMetrics&) = delete;

  // The series of `operation` ("SendMessageBatch") of `service` ("sqs"), created on first use.
  Operation& operation(std::string_view service, std::string_view operation);

 private:
  prometheus::Family<prometheus::Counter>* requests_ = nullptr;
  std::shared_ptr<Durations> durations_;
};

}  // namespace sre::aws
