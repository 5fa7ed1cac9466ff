// One thread with one SQLite connection, and the way coroutines hand it work: SQLite calls
// block on disk, so they run here, never on an I/O thread. Used by SqliteStudentStore (one
// writer, a few readers).
#pragma once

#include <fmt/format.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_database.h"
#include "store/student_store.h"

namespace sre::store {

// One thread with one connection, opened lazily on that thread (and reopened after a
// failure, so a database file that was briefly unreachable does not need a restart).
class SqliteWorker {
 public:
  explicit SqliteWorker(std::string path)
      : path_(std::move(path)), thread_([this] { ioc_.run(); }) {}
  ~SqliteWorker() {
    guard_.reset();
    ioc_.stop();
    thread_.join();
  }

  // Runs fn(db) on this worker's thread and delivers the result (or exception) back to the
  // awaiting coroutine's own executor, so the I/O thread never waits on SQLite.
  template <typename Fn>
  auto run(Fn fn) {
    using Result = std::invoke_result_t<Fn&, SqliteDatabase&>;
    static_assert(!std::is_void_v<Result>, "return a value from the work function");
    return boost::asio::async_initiate<const boost::asio::use_awaitable_t<>,
                                       void(std::exception_ptr, Result)>(
        [this](auto handler, Fn work) {
          auto home = boost::asio::get_associated_executor(handler);
          boost::asio::post(
              ioc_, [this, work = std::move(work), handler = std::move(handler), home]() mutable {
                std::exception_ptr error;
                Result result{};
                try {
                  result = call(work);
                } catch (...) {
                  error = std::current_exception();
                }
                boost::asio::post(home, [handler = std::move(handler), error,
                                         result = std::move(result)]() mutable {
                  std::move(handler)(error, std::move(result));
                });
              });
        },
        boost::asio::use_awaitable, std::move(fn));
  }

  // The same, for startup code that is not a coroutine: blocks the caller.
  template <typename Fn>
  auto run_blocking(Fn fn) -> std::invoke_result_t<Fn&, SqliteDatabase&> {
    std::packaged_task<std::invoke_result_t<Fn&, SqliteDatabase&>()> task(
        [this, &fn] { return call(fn); });
    auto result = task.get_future();
    boost::asio::post(ioc_, [&task] { task(); });
    return result.get();
  }

 private:
  template <typename Fn>
  auto call(Fn& fn) -> std::invoke_result_t<Fn&, SqliteDatabase&> {
    try {
      if (!db_) {
        // The file's folder too (DATA_DIR on a first run). If that fails, opening the file
        // fails next and reports why.
        std::error_code ignored;
        std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ignored);
        db_ = std::make_unique<SqliteDatabase>(path_);
      }
      return fn(*db_);
    } catch (const SqliteError& e) {
      if (e.is_missing_table()) {
        throw SchemaMissing(fmt::format("sqlite: {}", e.what()));
      }
      if (!e.is_transient()) {
        throw;
      }
      db_.reset();  // reopen on next use
      throw StoreUnavailable(fmt::format("sqlite: {}", e.what()));
    }
  }

  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
  boost::asio::io_context ioc_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{
      ioc_.get_executor()};
  std::thread thread_;
};

}  // namespace sre::store
