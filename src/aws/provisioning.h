// Creating what the events need in SQS and DynamoDB (AWS_AUTO_PROVISION): the queue with a
// dead-letter queue and a redrive policy, and the audit table with its index by student and
// Time to Live on expires_at (as deploy/terraform's audit-table module).
// Each step is idempotent, so every instance may provision at start: what exists is kept.
// One pass each; a caller that wants to outlast an emulator still starting retries the pass.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "aws/dynamodb_client.h"
#include "aws/sqs_client.h"

namespace sre::aws {

// A message received this many times without being deleted moves to the dead-letter queue.
inline constexpr int kMaxReceiveCount = 5;

// "student-events" -> "student-events-dlq".
std::string dead_letter_queue_name(std::string_view queue);

// The attribute of an audit record that DynamoDB's TTL reads: when it may delete the record,
// in seconds since the epoch (events::audit_expires_at). A record without it is kept.
inline constexpr std::string_view kAuditExpiresAt = "expires_at";

// The audit table: hash key "id", range key "timestamp" (as the seed's Terraform), the index
// "student_id-index" (hash "student_id", range "timestamp") for a student's history, and TTL
// on kAuditExpiresAt.
dynamodb::TableSchema audit_table_schema(std::string table);

// Creates the dead-letter queue and the queue, and sets the queue's redrive policy to the
// dead-letter queue after `max_receive_count` receives. Returns the queue's URL (as
// GetQueueUrl says it). `name` must outlive the call.
boost::asio::awaitable<Result<std::string>> provision_queue(SqsClient& sqs, const std::string& name,
                                                            int max_receive_count);

// Creates the table unless it exists, then waits until it and its index are ACTIVE, asking
// DescribeTable every `poll` for at most `wait` (then a retryable "TableNotActive" error);
// then turns TTL on for the schema's ttl_attribute unless TTL is on already (a table whose TTL
// is on another attribute is kept as it is, with a warning). `schema` must outlive the call.
boost::asio::awaitable<Result<Done>> provision_table(DynamoDbClient& dynamodb,
                                                     const dynamodb::TableSchema& schema,
                                                     std::chrono::milliseconds wait,
                                                     std::chrono::milliseconds poll);

}  // namespace sre::aws
