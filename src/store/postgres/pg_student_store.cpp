#include "store/postgres/pg_student_store.h"

#include <fmt/format.h>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <stdexcept>

#include "core/config.h"
#include "core/log_context.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_outbox_signal.h"
#include "store/postgres/pg_pool.h"
#include "store/student_page.h"

namespace sre::store {

namespace asio = boost::asio;
using domain::Student;
using Command = PgConnection::Command;
using Sharing = PgConnection::Sharing;

namespace {

// The relay's pool: one connection, named so that pg_stat_activity tells it apart.
PgSettings relay_settings(PgSettings settings) {
  settings.pool_size = 1;
  settings.application_name += " (relay)";
  return settings;
}

// A row of the students table (the statements' SRE_PG_STUDENT_COLUMNS), read in place.
domain::StudentView view_student(const PgResult& result, int row) {
  return {result.integer(row, 0),
          result.text_view(row, 1),
          result.text_view(row, 2),
          result.text_view(row, 3),
          static_cast<int>(result.integer(row, 4)),
          result.text_view(row, 5),
          result.text_view(row, 6)};
}

// The same row, copied: a student that outlives the result.
Student read_student(const PgResult& result, int row) {
  const domain::StudentView row_view = view_student(result, row);
  return Student{row_view.id,
                 std::string(row_view.student_id),
                 std::string(row_view.first_name),
                 std::string(row_view.last_name),
                 row_view.grade,
                 std::string(row_view.created_at),
                 std::string(row_view.updated_at)};
}

std::optional<std::string> text_or_null(const std::optional<int>& value) {
  return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
}

// The primary key of idempotency_keys: a unique violation naming it means "key stored".
constexpr std::string_view kIdempotencyKeyConstraint = "idempotency_keys_pkey";

// The five outbox parameters of a write statement (SRE_PG_OUTBOX_INSERTS), all NULL when the
// change writes no outbox rows. The records are moved in: the bodies are hundreds of bytes.
void append_outbox_parameters(std::vector<std::optional<std::string>>& parameters,
                              std::optional<OutboxRecords> records) {
  if (!records) {
    parameters.insert(parameters.end(), 5, std::nullopt);
    return;
  }
  parameters.emplace_back(std::move(records->event_id));
  parameters.emplace_back(std::move(records->event_type));
  parameters.emplace_back(std::move(records->event_body));
  parameters.emplace_back(std::move(records->audit_id));
  parameters.emplace_back(std::move(records->audit_record));
}

}  // namespace

PgStudentStore::PgStudentStore(PgSettings settings)
    : settings_(std::move(settings)),
      relay_settings_(relay_settings(settings_)),
      metrics_(std::make_shared<PgMetrics>()) {}

PgStudentStore::~PgStudentStore() = default;

int PgStudentStore::migrate() {
  try {
    return apply_pg_migrations(settings_);
  } catch (const PgError& e) {
    if (e.is_transient()) {
      throw StoreUnavailable(e.what());
    }
    throw;
  }
}

std::vector<AppliedMigration> PgStudentStore::applied_migrations() {
  return pg_applied_migrations(settings_);
}

std::string PgStudentStore::location() const {
  return core::redact_url(settings_.url);
}

std::optional<resilience::BackoffPolicy> PgStudentStore::reconnect_backoff() const {
  return kReconnectBackoff;
}

std::shared_ptr<OutboxSignal> PgStudentStore::outbox_signal(obs::Metrics& metrics) const {
  return std::make_shared<PgOutboxSignal>(settings_, metrics);
}

PgPool& PgStudentStore::pool(const asio::any_io_executor& executor, Lane lane) {
  std::atomic<PgPool*>* slot = lane == Lane::requests ? pools_.local() : relay_pools_.local();
  if (slot == nullptr) {
    throw std::logic_error("the PostgreSQL store is used from I/O threads only");
  }
  if (PgPool* existing = slot->load(std::memory_order_relaxed); existing != nullptr) {
    return *existing;  // only this thread writes its slot
  }
  // Plain executor: the pool's own coroutines outlive the request that created it.
  auto pool =
      std::make_shared<PgPool>(log::without_log_context(executor),
                               lane == Lane::requests ? settings_ : relay_settings_, metrics_);
  pool->start();
  PgPool& created = *pool;
  slot->store(&created, std::memory_order_release);
  // Its connections' sockets belong to this thread's event loop: it goes when that does.
  core::keep_until_shutdown(asio::query(executor, asio::execution::context), std::move(pool));
  return created;
}

std::optional<unsigned> PgStudentStore::thread_without_connection() const {
  for (unsigned thread = 0; thread < pools_.size(); ++thread) {
    const PgPool* pool = pools_.at(thread).load(std::memory_order_acquire);
    if (pool != nullptr && !pool->has_open_connection()) {
      return thread;
    }
  }
  return std::nullopt;
}

asio::awaitable<std::vector<PgResult>> PgStudentStore::run(const std::vector<Command>& commands,
                                                           PgConnection::Sharing sharing,
                                                           Lane lane) {
  auto executor = co_await asio::this_coro::executor;
  try {
    co_return co_await pool(executor, lane).execute(commands, sharing);
  } catch (const PgError& e) {
    if (e.is_transient()) {
      throw StoreUnavailable(fmt::format("postgresql: {}", e.what()));
    }
    if (e.sqlstate() == kUndefinedTable) {  // the schema is not there (yet)
      throw SchemaMissing(fmt::format("postgresql: {}", e.what()));
    }
    throw;
  }
}

asio::awaitable<InsertOutcome> PgStudentStore::insert(std::string student_id,
                                                      domain::StudentFields fields,
                                                      std::optional<OutboxRecords> records,
                                                      std::optional<IdempotencyKey> key) {
  // Without a key, a create inserts only rows whose unique values we drew ourselves: it may
  // share a transaction with others. A client's key could be another request's too.
  const auto sharing = key ? Sharing::alone : Sharing::create;
  std::vector<std::optional<std::string>> parameters;
  parameters.reserve(
      static_cast<std::size_t>(pg_statement(PgStatementId::insert_student).parameters));
  parameters.emplace_back(std::move(student_id));
  parameters.emplace_back(std::move(fields.first_name));
  parameters.emplace_back(std::move(fields.last_name));
  parameters.emplace_back(text_or_null(fields.grade));
  append_outbox_parameters(parameters, std::move(records));
  parameters.emplace_back(key ? std::optional(std::move(key->key)) : std::nullopt);
  parameters.emplace_back(key ? std::optional(std::move(key->request_fingerprint)) : std::nullopt);
  const auto commands = PgConnection::single(PgStatementId::insert_student, std::move(parameters));
  try {
    auto results = co_await run(commands, sharing);
    co_return read_student(results.front(), 0);
  } catch (const PgError& e) {
    if (!e.is_unique_violation()) {
      throw;
    }
    if (e.constraint() == kIdempotencyKeyConstraint) {
      co_return IdempotencyKeyTaken{};
    }
  }
  co_return StudentIdTaken{};
}

asio::awaitable<std::optional<IdempotentAnswer>> PgStudentStore::find_idempotent_answer(
    std::string key, std::chrono::seconds ttl) {
  const auto commands = PgConnection::single(PgStatementId::find_idempotent_answer,
                                             {std::move(key), std::to_string(ttl.count())});
  auto results = co_await run(commands, Sharing::read);
  const PgResult& row = results.front();
  if (row.rows() == 0) {
    co_return std::nullopt;
  }
  co_return IdempotentAnswer{
      row.text(0, 0), Student{row.integer(0, 1), row.text(0, 2), row.text(0, 3), row.text(0, 4),
                              static_cast<int>(row.integer(0, 5)), row.text(0, 6), row.text(0, 7)}};
}

asio::awaitable<bool> PgStudentStore::forget_expired_key(std::string key,
                                                         std::chrono::seconds ttl) {
  const auto commands = PgConnection::single(PgStatementId::forget_expired_key,
                                             {std::move(key), std::to_string(ttl.count())});
  auto results = co_await run(commands);
  co_return results.front().affected() > 0;
}

asio::awaitable<std::int64_t> PgStudentStore::prune_idempotency_keys(std::chrono::seconds ttl) {
  const auto commands =
      PgConnection::single(PgStatementId::prune_idempotency_keys, {std::to_string(ttl.count())});
  auto results = co_await run(commands, Sharing::alone, Lane::relay);
  co_return results.front().affected();
}

asio::awaitable<std::optional<Student>> PgStudentStore::find(std::string student_id) {
  const auto commands = PgConnection::single(PgStatementId::find_student, {std::move(student_id)});
  auto results = co_await run(commands, Sharing::read);
  if (results.front().rows() == 0) {
    co_return std::nullopt;
  }
  co_return read_student(results.front(), 0);
}

asio::awaitable<ListOutcome> PgStudentStore::list(domain::Page page) {
  const std::string fetch = std::to_string(rows_to_fetch(page));
  const auto commands =
      page.after
          ? PgConnection::single(PgStatementId::list_students_after, {*page.after, fetch})
          : PgConnection::single(PgStatementId::list_students, {fetch, std::to_string(page.skip)});
  auto results = co_await run(commands, Sharing::read);
  // The page points into libpq's result, which it keeps: no copy of a row.
  auto kept = std::make_shared<const PgResult>(std::move(results.front()));
  std::vector<domain::StudentView> students;
  students.reserve(static_cast<std::size_t>(kept->rows()));
  for (int row = 0; row < kept->rows(); ++row) {
    students.push_back(view_student(*kept, row));
  }
  co_return page_of_rows(std::move(students), std::move(kept), page);
}

asio::awaitable<std::optional<Student>> PgStudentStore::update(
    std::string student_id, domain::StudentFields fields,
    std::optional<std::string> expected_updated_at, std::optional<OutboxRecords> records) {
  std::vector<std::optional<std::string>> parameters{fields.first_name, fields.last_name,
                                                     text_or_null(fields.grade), student_id,
                                                     std::move(expected_updated_at)};
  append_outbox_parameters(parameters, std::move(records));
  const auto commands = PgConnection::single(PgStatementId::update_student, std::move(parameters));
  auto results = co_await run(commands);
  if (results.front().rows() == 0) {
    co_return std::nullopt;
  }
  co_return read_student(results.front(), 0);
}

asio::awaitable<bool> PgStudentStore::remove(std::string student_id,
                                             std::optional<std::string> expected_updated_at,
                                             std::optional<OutboxRecords> records) {
  std::vector<std::optional<std::string>> parameters{student_id, std::move(expected_updated_at)};
  append_outbox_parameters(parameters, std::move(records));
  const auto commands = PgConnection::single(PgStatementId::delete_student, std::move(parameters));
  auto results = co_await run(commands);
  co_return results.front().integer(0, 0) > 0;
}

asio::awaitable<void> PgStudentStore::ping() {
  const auto commands = PgConnection::single(PgStatementId::ping, {});
  co_await run(commands);
}

}  // namespace sre::store
