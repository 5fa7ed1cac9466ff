#include "events/outbox_relay.h"

#include "core/log.h"

namespace sre::events {

OutboxRelay::OutboxRelay(const RelaySetup& setup, store::EventStore& store, obs::Metrics& metrics,
                         aws::AwsMetrics& aws_metrics) {
  std::vector<store::OutboxTopic> watched{store::OutboxTopic::events};
  if (setup.aws.enable_sqs) {
    sqs_ = std::make_unique<aws::SqsClient>(aws::service_address(setup.aws, setup.access, "sqs"),
                                            aws_metrics);
    auto& destination = destinations_.emplace_back(std::make_unique<SqsDestination>(
        *sqs_, setup.aws.sqs_queue_name, setup.auto_provision, setup.relay.sqs_batch));
    loops_.push_back(std::make_unique<RelayLoop>(store::OutboxTopic::events, *destination, store,
                                                 setup.relay, metrics));
  }
  if (setup.aws.enable_dynamodb) {
    dynamodb_ = std::make_unique<aws::DynamoDbClient>(
        aws::service_address(setup.aws, setup.access, "dynamodb"), aws_metrics);
    auto& destination = destinations_.emplace_back(std::make_unique<DynamoDbDestination>(
        *dynamodb_, setup.aws.dynamodb_table, setup.auto_provision, setup.relay.dynamodb_batch,
        setup.relay.audit_retention));
    loops_.push_back(std::make_unique<RelayLoop>(store::OutboxTopic::audit, *destination, store,
                                                 setup.relay, metrics));
    watched.push_back(store::OutboxTopic::audit);
  }
  housekeeping_ = std::make_unique<OutboxHousekeeping>(watched, store, setup.relay, metrics);
}

OutboxRelay::~OutboxRelay() = default;

void OutboxRelay::start(const boost::asio::any_io_executor& executor) {
  for (auto& loop : loops_) {
    loop->start(executor);
  }
  housekeeping_->start(executor);
  log::info("outbox relay started", {{"sqs", sqs_ != nullptr}, {"dynamodb", dynamodb_ != nullptr}});
}

void OutboxRelay::wake() {
  for (auto& loop : loops_) {
    loop->wake();
  }
}

void OutboxRelay::stop(std::chrono::milliseconds timeout) {
  for (auto& loop : loops_) {
    loop->stop();
  }
  housekeeping_->stop();
  const auto give_up = std::chrono::steady_clock::now() + timeout;
  auto left = [&give_up] {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(
                        give_up - std::chrono::steady_clock::now()));
  };
  bool ended = housekeeping_->wait(left());
  for (auto& loop : loops_) {
    ended = loop->wait(left()) && ended;
  }
  if (!ended) {
    log::warn("outbox relay did not stop in time; leased rows are sent again after their lease",
              {{"timeout_ms", timeout.count()}});
  }
}

std::vector<resilience::CircuitBreaker*> OutboxRelay::breakers() {
  std::vector<resilience::CircuitBreaker*> out;
  out.reserve(loops_.size());
  for (auto& loop : loops_) {
    out.push_back(&loop->breaker());
  }
  return out;
}

}  // namespace sre::events
