// An EventStore for tests that only register the API's routes and never call them.
#pragma once

#include "store/event_store.h"

namespace sre::api::testing {

class UnusedEventStore : public store::EventStore {
 public:
  http::asio::awaitable<std::vector<store::OutboxMessage>> claim(store::OutboxTopic, int,
                                                                 std::chrono::seconds) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> mark_delivered(store::OutboxTopic,
                                                     std::vector<std::int64_t>) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> release(store::OutboxTopic,
                                              std::vector<std::int64_t>) override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> mark_undeliverable(store::OutboxTopic,
                                                         std::vector<std::int64_t>,
                                                         std::string) override {
    throw 0;
  }
  http::asio::awaitable<store::OutboxBacklog> backlog(store::OutboxTopic) override { throw 0; }
  http::asio::awaitable<std::int64_t> prune_delivered(store::OutboxTopic,
                                                      std::chrono::seconds) override {
    throw 0;
  }
  http::asio::awaitable<bool> apply_event(store::EventEffects) override { throw 0; }
  http::asio::awaitable<std::vector<store::GradeEnrollment>> grade_enrollment() override {
    throw 0;
  }
  http::asio::awaitable<std::int64_t> welcome_notifications() override { throw 0; }
  http::asio::awaitable<std::vector<std::string>> audit_records(std::string, int) override {
    throw 0;
  }
};

}  // namespace sre::api::testing
