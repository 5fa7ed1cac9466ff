// StudentStore on an embedded SQLite file: the zero-dependency default of `make run`.
//
// SQLite calls block on disk, so they never run on I/O threads. One writer thread owns the
// only connection that writes (SQLite allows one writer at a time anyway, so a queue in front
// of it beats lock contention); a few reader threads, each with its own connection, serve
// reads in parallel thanks to WAL mode. Callers co_await; the result is delivered back on
// their own I/O thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "store/database.h"

namespace sre::store {

class SqliteStudentStore : public Database {
 public:
  SqliteStudentStore(std::string path, unsigned reader_threads);
  ~SqliteStudentStore() override;

  // Creates the schema or brings it up to date. Blocks; call at startup. Throws on a changed
  // checksum of an applied migration or when the file cannot be opened.
  int migrate() override;
  // What schema_migrations records (creating the empty table if needed). Blocks.
  std::vector<AppliedMigration> applied_migrations() override;
  const std::vector<Migration>& migrations() const override { return sqlite_migrations(); }
  std::string location() const override { return path_; }
  std::shared_ptr<prometheus::Collectable> metrics() const override { return nullptr; }
  std::optional<resilience::BackoffPolicy> reconnect_backoff() const override {
    return std::nullopt;
  }

  boost::asio::awaitable<std::optional<domain::Student>> insert(
      std::string student_id, domain::StudentFields fields) override;
  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) override;
  boost::asio::awaitable<std::vector<domain::Student>> list(domain::Page page) override;
  boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields) override;
  boost::asio::awaitable<bool> remove(std::string student_id) override;
  boost::asio::awaitable<void> ping() override;
  std::string_view engine() const override { return "sqlite"; }

 private:
  class Worker;
  Worker& next_reader();

  std::string path_;
  std::unique_ptr<Worker> writer_;
  std::vector<std::unique_ptr<Worker>> readers_;
  std::atomic<std::size_t> next_reader_{0};
};

}  // namespace sre::store
