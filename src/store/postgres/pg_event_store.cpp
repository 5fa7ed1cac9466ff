// PgStudentStore's EventStore half: the outbox, the worker's effects and the local audit log.
// Every operation is one statement, so one transaction (see pg_statements.cpp for the SQL).
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "store/postgres/pg_student_store.h"

namespace sre::store {

namespace asio = boost::asio;
using Command = PgConnection::Command;

namespace {

// A PostgreSQL array literal of integers: "{1,2,3}".
template <typename Number>
std::string array_literal(const std::vector<Number>& values) {
  return fmt::format("{{{}}}", fmt::join(values, ","));
}

PgStatementId statement(OutboxOperation operation, OutboxTopic topic) {
  return outbox_statement(operation, topic == OutboxTopic::audit);
}

}  // namespace

asio::awaitable<std::vector<OutboxMessage>> PgStudentStore::claim(OutboxTopic topic, int limit,
                                                                  std::chrono::seconds lease) {
  const auto commands =
      PgConnection::single(statement(OutboxOperation::claim, topic),
                           {std::to_string(limit), std::to_string(lease.count())});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  const PgResult& rows = results.front();
  std::vector<OutboxMessage> messages;
  messages.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    messages.push_back({rows.integer(row, 0), rows.text(row, 1), rows.text(row, 2),
                        rows.text(row, 3), std::stod(rows.text(row, 4)),
                        static_cast<int>(rows.integer(row, 5))});
  }
  // RETURNING gives no order; the relay sends oldest first.
  std::sort(messages.begin(), messages.end(),
            [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
  co_return messages;
}

asio::awaitable<std::int64_t> PgStudentStore::mark_delivered(OutboxTopic topic,
                                                             std::vector<std::int64_t> sequences) {
  const auto commands = PgConnection::single(statement(OutboxOperation::mark_delivered, topic),
                                             {array_literal(sequences)});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  co_return results.front().affected();
}

asio::awaitable<std::int64_t> PgStudentStore::release(OutboxTopic topic,
                                                      std::vector<std::int64_t> sequences) {
  const auto commands =
      PgConnection::single(statement(OutboxOperation::release, topic), {array_literal(sequences)});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  co_return results.front().affected();
}

asio::awaitable<std::int64_t> PgStudentStore::mark_undeliverable(
    OutboxTopic topic, std::vector<std::int64_t> sequences, std::string reason) {
  const auto commands = PgConnection::single(statement(OutboxOperation::mark_undeliverable, topic),
                                             {array_literal(sequences), reason});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  co_return results.front().affected();
}

asio::awaitable<OutboxBacklog> PgStudentStore::backlog(OutboxTopic topic) {
  const auto commands = PgConnection::single(statement(OutboxOperation::backlog, topic), {});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  const PgResult& row = results.front();
  co_return OutboxBacklog{row.integer(0, 0), std::stod(row.text(0, 1)), row.integer(0, 2)};
}

asio::awaitable<std::int64_t> PgStudentStore::prune_delivered(OutboxTopic topic,
                                                              std::chrono::seconds retention) {
  const auto commands = PgConnection::single(statement(OutboxOperation::prune_delivered, topic),
                                             {std::to_string(retention.count())});
  auto results = co_await run(commands, PgConnection::Sharing::alone, Lane::relay);
  co_return results.front().affected();
}

asio::awaitable<bool> PgStudentStore::apply_event(EventEffects effects) {
  std::vector<int> grades;
  std::vector<int> deltas;
  for (const auto& change : effects.enrollment) {
    grades.push_back(change.grade);
    deltas.push_back(change.delta);
  }
  std::optional<std::string> welcome_student;
  std::optional<std::string> welcome_message;
  if (effects.welcome) {
    welcome_student = effects.welcome->student_id;
    welcome_message = effects.welcome->message;
  }
  const auto commands = PgConnection::single(
      PgStatementId::apply_event, {effects.event_id, effects.event_type, array_literal(grades),
                                   array_literal(deltas), welcome_student, welcome_message});
  auto results = co_await run(commands);
  co_return results.front().integer(0, 0) > 0;
}

asio::awaitable<std::vector<GradeEnrollment>> PgStudentStore::grade_enrollment() {
  const auto commands = PgConnection::single(PgStatementId::grade_enrollment, {});
  auto results = co_await run(commands);
  const PgResult& rows = results.front();
  std::vector<GradeEnrollment> enrollment;
  enrollment.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    enrollment.push_back({static_cast<int>(rows.integer(row, 0)), rows.integer(row, 1)});
  }
  co_return enrollment;
}

asio::awaitable<std::int64_t> PgStudentStore::welcome_notifications() {
  const auto commands = PgConnection::single(PgStatementId::count_welcome_notifications, {});
  auto results = co_await run(commands);
  co_return results.front().integer(0, 0);
}

asio::awaitable<std::vector<std::string>> PgStudentStore::audit_records(std::string student_id,
                                                                        int limit) {
  const auto commands = PgConnection::single(PgStatementId::audit_records_of_student,
                                             {student_id, std::to_string(limit)});
  auto results = co_await run(commands);
  const PgResult& rows = results.front();
  std::vector<std::string> records;
  records.reserve(static_cast<std::size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    records.push_back(rows.text(row, 0));
  }
  co_return records;
}

}  // namespace sre::store
