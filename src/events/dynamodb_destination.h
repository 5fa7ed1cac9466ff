// Audit records to the DynamoDB table DYNAMODB_TABLE: each outbox row is one item, the audit
// record's JSON as plain attributes (hash key "id", range key "timestamp"), plus expires_at
// for the table's TTL when records are retained for a limited time. Items DynamoDB
// leaves unprocessed (throttling) are sent again within the delivery, after a short backoff,
// a few times; what is still unprocessed then is left for the next claim.
#pragma once

#include <chrono>
#include <string>

#include "aws/dynamodb_client.h"
#include "events/destination.h"

namespace sre::events {

class DynamoDbDestination : public Destination {
 public:
  // With `provision`, prepare() creates the table (and waits until it is active); otherwise
  // it only waits until the table is active. `retention`: each item's expires_at is its
  // timestamp + this (0: items get no expires_at and are kept).
  DynamoDbDestination(aws::DynamoDbClient& dynamodb, std::string table, bool provision,
                      int batch_size, std::chrono::days retention);

  const std::string& name() const override { return name_; }
  int batch_size() const override { return batch_size_; }
  boost::asio::awaitable<aws::Result<aws::Done>> prepare() override;
  boost::asio::awaitable<Delivery> deliver(const std::vector<store::OutboxMessage>& batch) override;

  // BatchWriteItem calls per delivery for items left unprocessed (after the first call).
  static constexpr int kUnprocessedRetries = 3;

 private:
  std::string name_ = "dynamodb";
  aws::DynamoDbClient& dynamodb_;
  aws::dynamodb::TableSchema schema_;
  bool provision_;
  int batch_size_;
  std::chrono::days retention_;
};

}  // namespace sre::events
