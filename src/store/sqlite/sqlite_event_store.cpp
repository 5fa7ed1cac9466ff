// SqliteStudentStore's EventStore half: the outbox, the worker's effects and the local audit
// log. Writes go to the one writer thread (each in its own transaction), reads to the readers.
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <string>

#include "core/clock.h"
#include "store/sqlite/sqlite_student_store.h"
#include "store/sqlite/sqlite_worker.h"

namespace sre::store {

namespace asio = boost::asio;

namespace {

std::string text_at(std::chrono::system_clock::time_point time) {
  return core::rfc3339_micros(time);
}

// The SQL of each outbox operation for one table. The strings live as long as the program:
// they key the connections' prepared-statement caches.
struct OutboxSql {
  std::string claim;
  std::string mark_delivered;
  std::string release;
  std::string mark_undeliverable;
  std::string backlog;
  std::string prune_delivered;
};

OutboxSql outbox_sql(std::string_view table, std::string_view id_column) {
  // Sequences arrive as a JSON array ("[1,2,3]"): one statement for any batch size.
  constexpr std::string_view kIn = "sequence IN (SELECT value FROM json_each(?1))";
  constexpr std::string_view kPending = "delivered_at IS NULL AND undeliverable_reason IS NULL";
  return {
      // One writer at a time holds the database, so claiming needs no SKIP LOCKED: the lease
      // alone keeps a second process (a worker on the same file) off claimed rows.
      fmt::format("UPDATE {0} SET lease_until = ?1 WHERE sequence IN (SELECT sequence FROM {0} "
                  "WHERE {2} AND (lease_until IS NULL OR lease_until < ?2) ORDER BY sequence "
                  "LIMIT ?3) RETURNING sequence, {1}, student_id, body, "
                  "(julianday(?2) - julianday(created_at)) * 86400.0, attempts",
                  table, id_column, kPending),
      fmt::format("UPDATE {} SET delivered_at = ?2, lease_until = NULL WHERE {}", table, kIn),
      fmt::format("UPDATE {} SET lease_until = NULL, attempts = attempts + 1 "
                  "WHERE {} AND delivered_at IS NULL",
                  table, kIn),
      fmt::format("UPDATE {} SET undeliverable_reason = ?2, lease_until = NULL, "
                  "attempts = attempts + 1 WHERE {} AND delivered_at IS NULL",
                  table, kIn),
      fmt::format("SELECT count(*), COALESCE((julianday(?1) - julianday(min(created_at))) * "
                  "86400.0, 0), (SELECT count(*) FROM {0} WHERE undeliverable_reason IS NOT "
                  "NULL) FROM {0} WHERE {1}",
                  table, kPending),
      fmt::format("DELETE FROM {} WHERE delivered_at < ?1", table),
  };
}

const OutboxSql& sql_of(OutboxTopic topic) {
  static const OutboxSql events = outbox_sql("outbox_events", "event_id");
  static const OutboxSql audit = outbox_sql("audit_records", "audit_id");
  return topic == OutboxTopic::audit ? audit : events;
}

std::string json_array(const std::vector<std::int64_t>& sequences) {
  return fmt::format("[{}]", fmt::join(sequences, ","));
}

}  // namespace

asio::awaitable<std::vector<OutboxMessage>> SqliteStudentStore::claim(OutboxTopic topic, int limit,
                                                                      std::chrono::seconds lease) {
  return writer_->run([topic, limit, lease](SqliteDatabase& db) {
    const auto now = std::chrono::system_clock::now();
    auto rows = db.prepare(sql_of(topic).claim);
    rows.bind(1, text_at(now + lease)).bind(2, text_at(now)).bind(3, std::int64_t{limit});
    std::vector<OutboxMessage> messages;
    while (rows.step()) {
      messages.push_back({rows.column_int64(0), rows.column_text(1), rows.column_text(2),
                          rows.column_text(3), std::stod(rows.column_text(4)),
                          static_cast<int>(rows.column_int64(5))});
    }
    // RETURNING gives no order; the relay sends oldest first.
    std::sort(messages.begin(), messages.end(),
              [](const auto& a, const auto& b) { return a.sequence < b.sequence; });
    return messages;
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::mark_delivered(
    OutboxTopic topic, std::vector<std::int64_t> sequences) {
  return writer_->run([topic, list = json_array(sequences)](SqliteDatabase& db) {
    db.prepare(sql_of(topic).mark_delivered)
        .bind(1, list)
        .bind(2, text_at(std::chrono::system_clock::now()))
        .step();
    return static_cast<std::int64_t>(db.changes());
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::release(OutboxTopic topic,
                                                          std::vector<std::int64_t> sequences) {
  return writer_->run([topic, list = json_array(sequences)](SqliteDatabase& db) {
    db.prepare(sql_of(topic).release).bind(1, list).step();
    return static_cast<std::int64_t>(db.changes());
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::mark_undeliverable(
    OutboxTopic topic, std::vector<std::int64_t> sequences, std::string reason) {
  return writer_->run(
      [topic, list = json_array(sequences), reason = std::move(reason)](SqliteDatabase& db) {
        db.prepare(sql_of(topic).mark_undeliverable).bind(1, list).bind(2, reason).step();
        return static_cast<std::int64_t>(db.changes());
      });
}

asio::awaitable<OutboxBacklog> SqliteStudentStore::backlog(OutboxTopic topic) {
  return next_reader().run([topic](SqliteDatabase& db) {
    auto row = db.prepare(sql_of(topic).backlog);
    row.bind(1, text_at(std::chrono::system_clock::now()));
    row.step();
    return OutboxBacklog{row.column_int64(0), std::stod(row.column_text(1)), row.column_int64(2)};
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::prune_delivered(OutboxTopic topic,
                                                                  std::chrono::seconds retention) {
  return writer_->run([topic, retention](SqliteDatabase& db) {
    db.prepare(sql_of(topic).prune_delivered)
        .bind(1, text_at(std::chrono::system_clock::now() - retention))
        .step();
    return static_cast<std::int64_t>(db.changes());
  });
}

asio::awaitable<bool> SqliteStudentStore::apply_event(EventEffects effects) {
  return writer_->run([effects = std::move(effects)](SqliteDatabase& db) {
    const std::string now = text_at(std::chrono::system_clock::now());
    return db.transaction([&] {
      db.prepare(
            "INSERT INTO processed_events (event_id, event_type, processed_at) VALUES (?, ?, ?) "
            "ON CONFLICT (event_id) DO NOTHING")
          .bind(1, effects.event_id)
          .bind(2, effects.event_type)
          .bind(3, now)
          .step();
      if (db.changes() == 0) {
        return false;  // processed before: its effects are already here
      }
      for (const auto& change : effects.enrollment) {
        db.prepare(
              "INSERT INTO grade_enrollment (grade, students) VALUES (?, ?) "
              "ON CONFLICT (grade) DO UPDATE SET students = students + excluded.students")
            .bind(1, std::int64_t{change.grade})
            .bind(2, std::int64_t{change.delta})
            .step();
      }
      if (effects.welcome) {
        db.prepare(
              "INSERT INTO welcome_notifications (student_id, event_id, message, created_at) "
              "VALUES (?, ?, ?, ?) ON CONFLICT (student_id) DO NOTHING")
            .bind(1, effects.welcome->student_id)
            .bind(2, effects.event_id)
            .bind(3, effects.welcome->message)
            .bind(4, now)
            .step();
      }
      return true;
    });
  });
}

asio::awaitable<std::vector<GradeEnrollment>> SqliteStudentStore::grade_enrollment() {
  return next_reader().run([](SqliteDatabase& db) {
    auto rows = db.prepare("SELECT grade, students FROM grade_enrollment ORDER BY grade");
    std::vector<GradeEnrollment> enrollment;
    while (rows.step()) {
      enrollment.push_back({static_cast<int>(rows.column_int64(0)), rows.column_int64(1)});
    }
    return enrollment;
  });
}

asio::awaitable<std::int64_t> SqliteStudentStore::welcome_notifications() {
  return next_reader().run([](SqliteDatabase& db) {
    auto row = db.prepare("SELECT count(*) FROM welcome_notifications");
    row.step();
    return row.column_int64(0);
  });
}

asio::awaitable<std::vector<std::string>> SqliteStudentStore::audit_records(std::string student_id,
                                                                            int limit) {
  return next_reader().run([id = std::move(student_id), limit](SqliteDatabase& db) {
    auto rows = db.prepare(
        "SELECT body FROM audit_records WHERE student_id = ? ORDER BY sequence DESC LIMIT ?");
    rows.bind(1, id).bind(2, std::int64_t{limit});
    std::vector<std::string> records;
    while (rows.step()) {
      records.push_back(rows.column_text(0));
    }
    return records;
  });
}

}  // namespace sre::store
