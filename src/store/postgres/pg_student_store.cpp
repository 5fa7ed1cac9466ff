#include "store/postgres/pg_student_store.h"

#include <fmt/format.h>

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/this_coro.hpp>
#include <stdexcept>

#include "core/config.h"
#include "core/log_context.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_pool.h"

namespace sre::store {

namespace asio = boost::asio;
using domain::Student;
using Command = PgConnection::Command;

namespace {

Student read_student(const PgResult& result, int row) {
  return Student{result.integer(row, 0),
                 result.text(row, 1),
                 result.text(row, 2),
                 result.text(row, 3),
                 static_cast<int>(result.integer(row, 4)),
                 result.text(row, 5),
                 result.text(row, 6)};
}

std::optional<std::string> text_or_null(const std::optional<int>& value) {
  return value ? std::optional<std::string>(std::to_string(*value)) : std::nullopt;
}

}  // namespace

PgStudentStore::PgStudentStore(PgSettings settings)
    : settings_(std::move(settings)), metrics_(std::make_shared<PgMetrics>()) {}

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

PgPool& PgStudentStore::pool(const asio::any_io_executor& executor) {
  PgPool** slot = pools_.local();
  if (slot == nullptr) {
    throw std::logic_error("the PostgreSQL store is used from I/O threads only");
  }
  if (*slot == nullptr) {
    // Plain executor: the pool's own coroutines outlive the request that created it.
    auto pool = std::make_shared<PgPool>(log::without_log_context(executor), settings_, metrics_);
    pool->start();
    *slot = pool.get();
    // Its connections' sockets belong to this thread's event loop: it goes when that does.
    core::keep_until_shutdown(asio::query(executor, asio::execution::context), std::move(pool));
  }
  return **slot;
}

asio::awaitable<std::vector<PgResult>> PgStudentStore::run(const std::vector<Command>& commands) {
  auto executor = co_await asio::this_coro::executor;
  try {
    co_return co_await pool(executor).execute(commands);
  } catch (const PgError& e) {
    if (e.is_transient()) {
      throw StoreUnavailable(fmt::format("postgresql: {}", e.what()));
    }
    if (e.sqlstate() == "42P01") {  // undefined_table: the schema is not there (yet)
      throw StoreUnavailable(
          fmt::format("postgresql: {} (run `sre-playground migrate`)", e.what()));
    }
    throw;
  }
}

asio::awaitable<std::optional<Student>> PgStudentStore::insert(std::string student_id,
                                                               domain::StudentFields fields) {
  const std::vector<Command> commands{
      {PgStatementId::insert_student,
       {student_id, fields.first_name, fields.last_name, text_or_null(fields.grade)}}};
  try {
    auto results = co_await run(commands);
    co_return read_student(results.front(), 0);
  } catch (const PgError& e) {
    if (!e.is_unique_violation()) {  // student_id is the only unique column
      throw;
    }
  }
  co_return std::nullopt;
}

asio::awaitable<std::optional<Student>> PgStudentStore::find(std::string student_id) {
  const std::vector<Command> commands{{PgStatementId::find_student, {student_id}}};
  auto results = co_await run(commands);
  if (results.front().rows() == 0) {
    co_return std::nullopt;
  }
  co_return read_student(results.front(), 0);
}

asio::awaitable<std::vector<Student>> PgStudentStore::list(domain::Page page) {
  const std::vector<Command> commands{
      {PgStatementId::list_students, {std::to_string(page.limit), std::to_string(page.skip)}}};
  auto results = co_await run(commands);
  std::vector<Student> students;
  students.reserve(static_cast<std::size_t>(results.front().rows()));
  for (int row = 0; row < results.front().rows(); ++row) {
    students.push_back(read_student(results.front(), row));
  }
  co_return students;
}

asio::awaitable<std::optional<Student>> PgStudentStore::update(std::string student_id,
                                                               domain::StudentFields fields) {
  const std::vector<Command> commands{
      {PgStatementId::update_student,
       {fields.first_name, fields.last_name, text_or_null(fields.grade), student_id}}};
  auto results = co_await run(commands);
  if (results.front().rows() == 0) {
    co_return std::nullopt;
  }
  co_return read_student(results.front(), 0);
}

asio::awaitable<bool> PgStudentStore::remove(std::string student_id) {
  const std::vector<Command> commands{{PgStatementId::delete_student, {student_id}}};
  auto results = co_await run(commands);
  co_return results.front().affected() > 0;
}

asio::awaitable<void> PgStudentStore::ping() {
  const std::vector<Command> commands{{PgStatementId::ping, {}}};
  co_await run(commands);
}

}  // namespace sre::store
