// A StudentStore in memory for tests of the layers above the store: counts every call, keeps
// the outbox records and idempotency keys written, can report the next inserts' ids as taken,
// can make the next compare-and-set writes lose to a concurrent change, and can hold find()
// until the test releases it (to run something else while a read is in flight).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "store/student_page.h"
#include "store/student_store.h"

namespace sre::testing {

class FakeStudentStore : public store::StudentStore {
 public:
  boost::asio::awaitable<store::InsertOutcome> insert(
      std::string student_id, domain::StudentFields fields,
      std::optional<store::OutboxRecords> records,
      std::optional<store::IdempotencyKey> key) override {
    inserted_ids.push_back(student_id);
    if (taken_inserts > 0) {
      --taken_inserts;
      co_return store::StudentIdTaken{};
    }
    if (key && keys.count(key->key) > 0) {
      co_return store::IdempotencyKeyTaken{};
    }
    domain::Student student{next_id++,     student_id,   *fields.first_name, *fields.last_name,
                            *fields.grade, "created-at", "created-at"};
    students[student_id] = student;
    if (records) {
      outbox.push_back(std::move(*records));
    }
    if (key) {
      keys[key->key] = store::IdempotentAnswer{key->request_fingerprint, student};
    }
    co_return student;
  }

  boost::asio::awaitable<std::optional<store::IdempotentAnswer>> find_idempotent_answer(
      std::string key, std::chrono::seconds /*ttl*/) override {
    auto it = keys.find(key);
    co_return it == keys.end() || expired_keys.count(key) > 0
        ? std::nullopt
        : std::optional<store::IdempotentAnswer>(it->second);
  }

  boost::asio::awaitable<bool> forget_expired_key(std::string key,
                                                  std::chrono::seconds /*ttl*/) override {
    if (expired_keys.erase(key) == 0) {
      co_return false;
    }
    keys.erase(key);
    co_return true;
  }

  boost::asio::awaitable<std::int64_t> prune_idempotency_keys(std::chrono::seconds) override {
    co_return 0;
  }

  boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) override {
    ++finds;
    // Read first, then wait: a held find answers what the store had when it was asked.
    std::optional<domain::Student> found;
    if (auto it = students.find(student_id); it != students.end()) {
      found = it->second;
    }
    if (hold_finds) {
      auto& gate = gates.emplace_back(std::make_unique<boost::asio::steady_timer>(
          co_await boost::asio::this_coro::executor, boost::asio::steady_timer::time_point::max()));
      co_await gate->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    co_return found;
  }

  boost::asio::awaitable<store::ListOutcome> list(domain::Page /*page*/) override {
    std::vector<domain::Student> all;
    for (const auto& [id, student] : students) {
      all.push_back(student);
    }
    co_return store::page_of_students(std::move(all), domain::Page{.skip = 0, .limit = 1000, .after = {}});
  }

  boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields,
      std::optional<std::string> expected_updated_at,
      std::optional<store::OutboxRecords> records) override {
    auto it = students.find(student_id);
    if (it == students.end() || loses_to_concurrent_change(it->second, expected_updated_at)) {
      co_return std::nullopt;
    }
    if (fields.first_name) {
      it->second.first_name = *fields.first_name;
    }
    if (fields.last_name) {
      it->second.last_name = *fields.last_name;
    }
    if (fields.grade) {
      it->second.grade = *fields.grade;
    }
    it->second.updated_at = "updated-" + std::to_string(++writes);
    if (records) {
      outbox.push_back(std::move(*records));
    }
    co_return it->second;
  }

  boost::asio::awaitable<bool> remove(std::string student_id,
                                      std::optional<std::string> expected_updated_at,
                                      std::optional<store::OutboxRecords> records) override {
    auto it = students.find(student_id);
    if (it == students.end() || loses_to_concurrent_change(it->second, expected_updated_at)) {
      co_return false;
    }
    students.erase(it);
    if (records) {
      outbox.push_back(std::move(*records));
    }
    co_return true;
  }

  boost::asio::awaitable<void> ping() override { co_return; }
  std::string_view engine() const override { return "fake"; }

  // Lets every held find() answer.
  void release_finds() {
    hold_finds = false;
    for (auto& gate : gates) {
      gate->cancel();
    }
  }

  std::map<std::string, domain::Student> students;
  std::vector<store::OutboxRecords> outbox;             // every change's records, in order
  std::map<std::string, store::IdempotentAnswer> keys;  // stored idempotency keys
  std::set<std::string> expired_keys;                   // stored, but older than the TTL
  std::vector<std::string> inserted_ids;                // every insert's id, taken or not
  int taken_inserts = 0;       // how many of the next inserts find their id taken
  int concurrent_changes = 0;  // how many of the next compare-and-set writes find the row changed
  int finds = 0;
  bool hold_finds = false;

 private:
  // A compare-and-set write whose row changed since it was read: the concurrent writer bumps
  // updated_at first, so the expected value no longer matches.
  bool loses_to_concurrent_change(domain::Student& row,
                                  const std::optional<std::string>& expected_updated_at) {
    if (expected_updated_at && concurrent_changes > 0) {
      --concurrent_changes;
      row.updated_at = "changed-" + std::to_string(++writes);
    }
    return expected_updated_at && *expected_updated_at != row.updated_at;
  }

  std::int64_t next_id = 1;
  int writes = 0;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> gates;
};

inline domain::StudentFields full_fields(std::string first, std::string last, int grade) {
  return {std::move(first), std::move(last), grade};
}

}  // namespace sre::testing
