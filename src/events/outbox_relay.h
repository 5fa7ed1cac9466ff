// The outbox relay of `serve`: ships the rows that every student change leaves in the outbox
// (store::EventStore) to where they belong, and keeps the outbox tidy.
//
//   events (ENABLE_SQS)      -> RelayLoop -> SqsDestination       queue SQS_QUEUE_NAME
//   audit (ENABLE_DYNAMODB)  -> RelayLoop -> DynamoDbDestination  table DYNAMODB_TABLE
//   OutboxHousekeeping: backlog gauges and pruning (events always; audit with DynamoDB)
//
// Without SQS the events stay in the table, where the worker reads them; without DynamoDB the
// audit table is the audit log. Built before the server starts (its metrics must exist before
// the first scrape); started once the schema is ready, on one I/O thread's executor; woken by
// every commit in this process (wake(), from any thread) and polling for rows written by other
// instances; stopped after the server stopped taking requests, before its threads end.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <vector>

#include "aws/aws_access.h"
#include "aws/aws_metrics.h"
#include "aws/aws_options.h"
#include "aws/dynamodb_client.h"
#include "aws/sqs_client.h"
#include "events/dynamodb_destination.h"
#include "events/outbox_housekeeping.h"
#include "events/relay_loop.h"
#include "events/relay_options.h"
#include "events/sqs_destination.h"
#include "resilience/circuit_breaker.h"

namespace sre::events {

struct RelaySetup {
  const RelayOptions& relay;
  const aws::AwsOptions& aws;
  aws::AwsAccess access;        // aws::load_access()
  bool auto_provision = false;  // aws.auto_provision_in(ENVIRONMENT)
};

class OutboxRelay {
 public:
  OutboxRelay(const RelaySetup& setup, store::EventStore& store, obs::Metrics& metrics,
              aws::AwsMetrics& aws_metrics);
  ~OutboxRelay();
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  // Another table pruned with the outbox (see OutboxHousekeeping); call before start().
  void prune_also(OutboxHousekeeping::PruneTask task) {
    housekeeping_->prune_also(std::move(task));
  }
  void start(const boost::asio::any_io_executor& executor);
  // From any thread, cheap: outbox rows were committed.
  void wake();
  // Lets each loop finish the batch in hand and waits for them, at most `timeout` in all.
  void stop(std::chrono::milliseconds timeout);

  // The breakers of the destinations (for the admin endpoint): "sqs", "dynamodb".
  std::vector<resilience::CircuitBreaker*> breakers();

 private:
  std::unique_ptr<aws::SqsClient> sqs_;
  std::unique_ptr<aws::DynamoDbClient> dynamodb_;
  std::vector<std::unique_ptr<Destination>> destinations_;
  std::vector<std::unique_ptr<RelayLoop>> loops_;
  std::unique_ptr<OutboxHousekeeping> housekeeping_;
};

}  // namespace sre::events
