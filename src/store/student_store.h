// Where students live: one interface, two engines (SQLite, the embedded default, and
// PostgreSQL). The student service is its only caller; it never sees which engine answers.
//
// Every method is a coroutine: an implementation must never block the calling I/O thread
// (SQLite hands the work to its own threads; PostgreSQL waits on its socket in the loop).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.h"
#include "domain/student.h"
#include "domain/validation.h"

namespace sre::store {

// The store cannot answer right now (database down, locked, disk full). Handlers turn this
// into 503 + Retry-After: the client may retry, nothing was half-done.
class StoreUnavailable : public core::DependencyUnavailable {
 public:
  explicit StoreUnavailable(const std::string& message)
      : core::DependencyUnavailable("database", message) {}
};

class StudentStore {
 public:
  virtual ~StudentStore() = default;

  // Inserts a student under the public id the caller chose; `fields` has all three fields
  // set. Assigns id and timestamps. nullopt when `student_id` is already taken (nothing was
  // written): the caller draws another id.
  virtual boost::asio::awaitable<std::optional<domain::Student>> insert(
      std::string student_id, domain::StudentFields fields) = 0;
  virtual boost::asio::awaitable<std::optional<domain::Student>> find(std::string student_id) = 0;
  // Ordered by id, so pages are stable while students are added.
  virtual boost::asio::awaitable<std::vector<domain::Student>> list(domain::Page page) = 0;
  // Changes the fields that are set and bumps updated_at; nullopt when there is no such student.
  virtual boost::asio::awaitable<std::optional<domain::Student>> update(
      std::string student_id, domain::StudentFields fields) = 0;
  // False when there was no such student.
  virtual boost::asio::awaitable<bool> remove(std::string student_id) = 0;
  // Throws StoreUnavailable unless the database answers a trivial query.
  virtual boost::asio::awaitable<void> ping() = 0;

  virtual std::string_view engine() const = 0;
};

}  // namespace sre::store
