#include "aws/aws_metrics.h"

#include <prometheus/metric_family.h>

namespace sre::aws {

std::string_view to_string(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::success:
      return "success";
    case CallOutcome::throttled:
      return "throttled";
    case CallOutcome::server_error:
      return "server_error";
    case CallOutcome::client_error:
      return "client_error";
    case CallOutcome::tls_error:
      return "tls_error";
    case CallOutcome::transport_error:
    case CallOutcome::count_:
      break;
  }
  return "transport_error";
}

CallOutcome outcome_of(const AwsError& error) {
  if (is_tls_error(error)) {
    return CallOutcome::tls_error;
  }
  if (error.http_status == 0) {
    return CallOutcome::transport_error;
  }
  if (error.http_status >= 500) {
    return CallOutcome::server_error;
  }
  return error.retryable ? CallOutcome::throttled : CallOutcome::client_error;
}

// Owns every operation's series; a scrape reads their histograms while calls record.
class AwsMetrics::Durations : public prometheus::Collectable {
 public:
  Operation& find_or_add(prometheus::Family<prometheus::Counter>& requests,
                         std::string_view service, std::string_view name) {
    std::lock_guard lock(mutex_);
    for (auto& operation : operations_) {
      if (operation.service_ == service && operation.name_ == name) {
        return operation;
      }
    }
    Operation& operation = operations_.emplace_back();
    operation.service_ = std::string(service);
    operation.name_ = std::string(name);
    for (std::size_t o = 0; o < operation.outcomes_.size(); ++o) {
      operation.outcomes_[o] =
          &requests.Add({{"service", operation.service_},
                         {"operation", operation.name_},
                         {"outcome", std::string(to_string(static_cast<CallOutcome>(o)))}});
    }
    return operation;
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::MetricFamily family{"aws_request_duration_seconds",
                                    "Time of one SQS or DynamoDB call, answered or not",
                                    prometheus::MetricType::Histogram,
                                    {}};
    std::lock_guard lock(mutex_);
    for (const auto& operation : operations_) {
      prometheus::ClientMetric metric;
      metric.label = {{"operation", operation.name()}, {"service", operation.service()}};
      metric.histogram = operation.duration_.counts().to_prometheus();
      family.metric.push_back(std::move(metric));
    }
    return {std::move(family)};
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Operation> operations_;  // a deque: references stay valid as it grows
};

AwsMetrics::AwsMetrics(obs::Metrics& metrics) : durations_(std::make_shared<Durations>()) {
  requests_ = &prometheus::BuildCounter()
                   .Name("aws_requests_total")
                   .Help(
                       "SQS and DynamoDB calls by service, operation and outcome (success, "
                       "throttled, server_error, client_error, transport_error, tls_error)")
                   .Register(metrics.registry());
  metrics.add_collectable(durations_);
}

AwsMetrics::~AwsMetrics() = default;

AwsMetrics::Operation& AwsMetrics::operation(std::string_view service, std::string_view name) {
  return durations_->find_or_add(*requests_, service, name);
}

}  // namespace sre::aws
