#include "store/sqlite/sqlite_student_store.h"

#include <fmt/format.h>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "core/clock.h"
#include "core/log.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace sre::store {

namespace asio = boost::asio;
using domain::Student;

namespace {

constexpr std::string_view kSelectColumns =
    "id, student_id, first_name, last_name, grade, created_at, updated_at";

Student read_student(const Statement& row) {
  return Student{row.column_int64(0),
                 row.column_text(1),
                 row.column_text(2),
                 row.column_text(3),
                 static_cast<int>(row.column_int64(4)),
                 row.column_text(5),
                 row.column_text(6)};
}

std::string now_text() {
  return core::rfc3339_micros(std::chrono::system_clock::now());
}

void create_migrations_table(SqliteDatabase& db) {
  db.execute(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL,"
      " applied_at TEXT NOT NULL)");
}

std::vector<AppliedMigration> read_applied(SqliteDatabase& db) {
  auto rows = db.prepare(
      "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  std::vector<AppliedMigration> applied;
  while (rows.step()) {
    applied.push_back({static_cast<int>(rows.column_int64(0)), rows.column_text(1),
                       rows.column_text(2), rows.column_text(3)});
  }
  return applied;
}

// Returns how many were applied.
int apply_migrations(SqliteDatabase& db) {
  create_migrations_table(db);
  // IMMEDIATE takes the write lock now, so two processes starting together migrate in turn.
  db.execute("BEGIN IMMEDIATE");
  try {
    auto pending = pending_migrations(sqlite_migrations(), read_applied(db));
    for (const Migration* migration : pending) {
      db.execute(migration->sql);
      db.prepare(
            "INSERT INTO schema_migrations (version, name, checksum, applied_at) "
            "VALUES (?, ?, ?, ?)")
          .bind(1, static_cast<std::int64_t>(migration->version))
          .bind(2, migration->name)
          .bind(3, checksum(migration->sql))
          .bind(4, now_text())
          .step();
      log::info("migration applied", {{"version", migration->version}, {"name", migration->name}});
    }
    db.execute("COMMIT");
    return static_cast<int>(pending.size());
  } catch (...) {
    db.execute("ROLLBACK");
    throw;
  }
}

}  // namespace

// One thread with one connection, opened lazily on that thread (and reopened after a
// failure, so a database file that was briefly unreachable does not need a restart).
class SqliteStudentStore::Worker {
 public:
  explicit Worker(std::string path) : path_(std::move(path)), thread_([this] { ioc_.run(); }) {}
  ~Worker() {
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
    return asio::async_initiate<const asio::use_awaitable_t<>, void(std::exception_ptr, Result)>(
        [this](auto handler, Fn work) {
          auto home = asio::get_associated_executor(handler);
          asio::post(ioc_,
                     [this, work = std::move(work), handler = std::move(handler), home]() mutable {
                       std::exception_ptr error;
                       Result result{};
                       try {
                         result = call(work);
                       } catch (...) {
                         error = std::current_exception();
                       }
                       asio::post(home, [handler = std::move(handler), error,
                                         result = std::move(result)]() mutable {
                         std::move(handler)(error, std::move(result));
                       });
                     });
        },
        asio::use_awaitable, std::move(fn));
  }

  // The same, for startup code that is not a coroutine: blocks the caller.
  template <typename Fn>
  auto run_blocking(Fn fn) -> std::invoke_result_t<Fn&, SqliteDatabase&> {
    std::packaged_task<std::invoke_result_t<Fn&, SqliteDatabase&>()> task(
        [this, &fn] { return call(fn); });
    auto result = task.get_future();
    asio::post(ioc_, [&task] { task(); });
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
      if (!e.is_transient()) {
        throw;
      }
      db_.reset();  // reopen on next use
      throw StoreUnavailable(fmt::format("sqlite: {}", e.what()));
    }
  }

  std::string path_;
  std::unique_ptr<SqliteDatabase> db_;
  asio::io_context ioc_{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard_{ioc_.get_executor()};
  std::thread thread_;
};

SqliteStudentStore::SqliteStudentStore(std::string path, unsigned reader_threads)
    : path_(std::move(path)), writer_(std::make_unique<Worker>(path_)) {
  for (unsigned i = 0; i < std::max(1U, reader_threads); ++i) {
    readers_.push_back(std::make_unique<Worker>(path_));
  }
}

SqliteStudentStore::~SqliteStudentStore() = default;

SqliteStudentStore::Worker& SqliteStudentStore::next_reader() {
  // Round robin. One relaxed atomic add per read: far cheaper than the hop to the reader
  // thread it picks, and correct from any thread (I/O threads, migrations, tests).
  return *readers_[next_reader_.fetch_add(1, std::memory_order_relaxed) % readers_.size()];
}

int SqliteStudentStore::migrate() {
  return writer_->run_blocking([](SqliteDatabase& db) { return apply_migrations(db); });
}

std::vector<AppliedMigration> SqliteStudentStore::applied_migrations() {
  return writer_->run_blocking([](SqliteDatabase& db) {
    create_migrations_table(db);
    return read_applied(db);
  });
}

asio::awaitable<std::optional<Student>> SqliteStudentStore::insert(std::string student_id,
                                                                   domain::StudentFields fields) {
  return writer_->run([id = std::move(student_id),
                       fields = std::move(fields)](SqliteDatabase& db) -> std::optional<Student> {
    std::string now = now_text();
    Student student{0, id, *fields.first_name, *fields.last_name, *fields.grade, now, now};
    try {
      db.prepare(
            "INSERT INTO students (student_id, first_name, last_name, grade, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)")
          .bind(1, student.student_id)
          .bind(2, student.first_name)
          .bind(3, student.last_name)
          .bind(4, static_cast<std::int64_t>(student.grade))
          .bind(5, student.created_at)
          .bind(6, student.updated_at)
          .step();
    } catch (const SqliteError& e) {
      if (e.is_unique_violation()) {  // student_id is the only unique column
        return std::nullopt;
      }
      throw;
    }
    student.id = db.last_insert_rowid();
    return student;
  });
}

asio::awaitable<std::optional<Student>> SqliteStudentStore::find(std::string student_id) {
  return next_reader().run([id = std::move(student_id)](SqliteDatabase& db) {
    static const std::string sql =
        fmt::format("SELECT {} FROM students WHERE student_id = ?", kSelectColumns);
    auto row = db.prepare(sql);
    row.bind(1, id);
    return row.step() ? std::optional<Student>(read_student(row)) : std::nullopt;
  });
}

asio::awaitable<std::vector<Student>> SqliteStudentStore::list(domain::Page page) {
  return next_reader().run([page](SqliteDatabase& db) {
    static const std::string sql =
        fmt::format("SELECT {} FROM students ORDER BY id LIMIT ? OFFSET ?", kSelectColumns);
    auto rows = db.prepare(sql);
    rows.bind(1, static_cast<std::int64_t>(page.limit)).bind(2, page.skip);
    std::vector<Student> students;
    while (rows.step()) {
      students.push_back(read_student(rows));
    }
    return students;
  });
}

asio::awaitable<std::optional<Student>> SqliteStudentStore::update(std::string student_id,
                                                                   domain::StudentFields fields) {
  return writer_->run([id = std::move(student_id), fields = std::move(fields)](SqliteDatabase& db) {
    // One statement for PUT and PATCH: a NULL parameter keeps the current value.
    static const std::string sql = fmt::format(
        "UPDATE students SET first_name = COALESCE(?1, first_name), "
        "last_name = COALESCE(?2, last_name), grade = COALESCE(?3, grade), updated_at = ?4 "
        "WHERE student_id = ?5 RETURNING {}",
        kSelectColumns);
    auto row = db.prepare(sql);
    fields.first_name ? row.bind(1, *fields.first_name) : row.bind_null(1);
    fields.last_name ? row.bind(2, *fields.last_name) : row.bind_null(2);
    fields.grade ? row.bind(3, static_cast<std::int64_t>(*fields.grade)) : row.bind_null(3);
    row.bind(4, now_text()).bind(5, id);
    std::optional<Student> updated;
    if (row.step()) {
      updated = read_student(row);
      while (row.step()) {
      }  // finish the statement so the change commits
    }
    return updated;
  });
}

asio::awaitable<bool> SqliteStudentStore::remove(std::string student_id) {
  return writer_->run([id = std::move(student_id)](SqliteDatabase& db) {
    db.prepare("DELETE FROM students WHERE student_id = ?").bind(1, id).step();
    return db.changes() > 0;
  });
}

asio::awaitable<void> SqliteStudentStore::ping() {
  // Reads the schema table: proves the file is there and readable, not just the library.
  co_await next_reader().run([](SqliteDatabase& db) {
    db.prepare("SELECT count(*) FROM schema_migrations").step();
    return true;
  });
}

}  // namespace sre::store
