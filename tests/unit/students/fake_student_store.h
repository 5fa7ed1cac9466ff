// A StudentStore in memory for tests of the layers above the store: counts every call, can
// report the next inserts' ids as taken, and can hold find() until the test releases it (to
// run something else while a read is in flight).
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "store/student_store.h"

namespace sre::testing {

class FakeStudentStore : public store::StudentStore {
 public:
  boost::asio::awaitable<std::optional<domain::Student>> insert(
      std::string student_id, domain::StudentFields fields) override {
    inserted_ids.push_back(student_id);
    if (taken_inserts > 0) {
      --taken_inserts;
      co_return std::nullopt;
    }
    domain::Student student{next_id++,     student_id,   *fields.first_name, *fields.last_name,
                            *fields.grade, "created-at", "created-at"};
    students[student_id] = student;
    co_return student;
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

  boost::asio::awaitable<std::vector<domain::Student>> list(domain::Page /*page*/) override {
    std::vector<domain::Student> all;
    for (const auto& [id, student] : students) {
      all.push_back(student);
    }
    co_return all;
  }

  boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields) override {
    auto it = students.find(student_id);
    if (it == students.end()) {
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
    co_return it->second;
  }

  boost::asio::awaitable<bool> remove(std::string student_id) override {
    co_return students.erase(student_id) > 0;
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
  std::vector<std::string> inserted_ids;  // every insert's id, taken or not
  int taken_inserts = 0;                  // how many of the next inserts find their id taken
  int finds = 0;
  bool hold_finds = false;

 private:
  std::int64_t next_id = 1;
  std::vector<std::unique_ptr<boost::asio::steady_timer>> gates;
};

inline domain::StudentFields full_fields(std::string first, std::string last, int grade) {
  return {std::move(first), std::move(last), grade};
}

}  // namespace sre::testing
