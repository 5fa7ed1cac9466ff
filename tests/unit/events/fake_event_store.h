// An in-memory store::EventStore for the relay's unit tests: outbox rows with a delivered /
// leased / undeliverable state, claims that honour leases, and a switch that makes every call
// throw StoreUnavailable. The worker's side (apply_event and its reads) is not used here.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/event_store.h"
#include "store/student_store.h"

namespace sre::events::testing {

class FakeEventStore : public store::EventStore {
 public:
  struct Row {
    store::OutboxMessage message;
    bool delivered = false;
    bool leased = false;
    std::string undeliverable;  // the reason, when given up on
  };

  void add(store::OutboxTopic topic, std::int64_t sequence, std::string body) {
    rows_[topic].push_back(
        {{sequence, "id-" + std::to_string(sequence), "STU-00000000", std::move(body), 0.0, 0},
         false,
         false,
         ""});
  }
  std::vector<Row>& rows(store::OutboxTopic topic) { return rows_[topic]; }
  int claims = 0;
  int releases = 0;
  bool unavailable = false;

  boost::asio::awaitable<std::vector<store::OutboxMessage>> claim(
      store::OutboxTopic topic, int limit, std::chrono::seconds /*lease*/) override {
    check();
    ++claims;
    std::vector<store::OutboxMessage> out;
    for (auto& row : rows_[topic]) {
      if (static_cast<int>(out.size()) < limit && !row.delivered && !row.leased &&
          row.undeliverable.empty()) {
        row.leased = true;
        out.push_back(row.message);
      }
    }
    co_return out;
  }
  // The bookkeeping operations are plain functions that do their work at once and return a
  // finished coroutine: a failure throws at the call, like a store that cannot be reached.
  boost::asio::awaitable<std::int64_t> mark_delivered(
      store::OutboxTopic topic, std::vector<std::int64_t> sequences) override {
    check();
    for (auto sequence : sequences) {
      find(topic, sequence).delivered = true;
      find(topic, sequence).leased = false;
    }
    return changed(static_cast<std::int64_t>(sequences.size()));
  }
  boost::asio::awaitable<std::int64_t> release(store::OutboxTopic topic,
                                               std::vector<std::int64_t> sequences) override {
    check();
    ++releases;
    for (auto sequence : sequences) {
      find(topic, sequence).leased = false;
      ++find(topic, sequence).message.attempts;
    }
    return changed(static_cast<std::int64_t>(sequences.size()));
  }
  boost::asio::awaitable<std::int64_t> mark_undeliverable(store::OutboxTopic topic,
                                                          std::vector<std::int64_t> sequences,
                                                          std::string reason) override {
    check();
    for (auto sequence : sequences) {
      find(topic, sequence).undeliverable = reason;
      find(topic, sequence).leased = false;
    }
    return changed(static_cast<std::int64_t>(sequences.size()));
  }
  boost::asio::awaitable<store::OutboxBacklog> backlog(store::OutboxTopic topic) override {
    check();
    store::OutboxBacklog backlog;
    for (const auto& row : rows_[topic]) {
      if (!row.undeliverable.empty()) {
        ++backlog.given_up;
      } else if (!row.delivered) {
        ++backlog.pending;
      }
    }
    co_return backlog;
  }
  boost::asio::awaitable<std::int64_t> prune_delivered(
      store::OutboxTopic topic, std::chrono::seconds /*retention*/) override {
    check();
    auto& rows = rows_[topic];
    auto before = rows.size();
    std::erase_if(rows, [](const Row& row) { return row.delivered; });
    co_return static_cast<std::int64_t>(before - rows.size());
  }

  boost::asio::awaitable<bool> apply_event(store::EventEffects /*effects*/) override {
    throw std::logic_error("not used by the relay");
  }
  boost::asio::awaitable<std::vector<store::GradeEnrollment>> grade_enrollment() override {
    throw std::logic_error("not used by the relay");
  }
  boost::asio::awaitable<std::int64_t> welcome_notifications() override {
    throw std::logic_error("not used by the relay");
  }
  boost::asio::awaitable<std::vector<std::string>> audit_records(std::string /*student_id*/,
                                                                 int /*limit*/) override {
    throw std::logic_error("not used by the relay");
  }

 private:
  static boost::asio::awaitable<std::int64_t> changed(std::int64_t rows) { co_return rows; }
  void check() const {
    if (unavailable) {
      throw store::StoreUnavailable("fake store is down");
    }
  }
  Row& find(store::OutboxTopic topic, std::int64_t sequence) {
    for (auto& row : rows_[topic]) {
      if (row.message.sequence == sequence) {
        return row;
      }
    }
    throw std::out_of_range("no row " + std::to_string(sequence));
  }

  std::map<store::OutboxTopic, std::vector<Row>> rows_;
};

}  // namespace sre::events::testing
