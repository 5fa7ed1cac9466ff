// The last grades seen for each student: the fallback when the grade service cannot answer
// (breaker open, timeout, outage). A stale answer marked "cached":true is more useful to a
// teacher than an error page.
//
// Kept in two places. In this process always (InProcessLastKnownGrades below), and, with
// REDIS_URL, in the shared cache too: there every replica finds grades that another one
// fetched, and they survive a restart. Recall asks the shared cache first and the in-process
// table when the cache misses or fails, so a Redis outage during a grade-service outage (one
// network problem can cause both) still has an answer for students this replica saw.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache.h"

namespace sre::grades {

// A bounded, lock-free table shared by every I/O thread: `slots` direct-mapped entries (a hash
// of the student id picks the slot; a newer student evicts an older one in the same slot).
// Each slot is a seqlock: a writer makes the sequence odd, stores the words, makes it even
// again; a reader copies the words and retries if the sequence moved meanwhile. Key and value
// are stored as relaxed atomic 64-bit words, so concurrent reads and writes are well defined.
// Entries larger than a slot are not kept (grade lists are ~200 bytes; a slot holds 496).
// Memory: slots * 512 bytes (4096 slots: 2 MiB).
class InProcessLastKnownGrades {
 public:
  explicit InProcessLastKnownGrades(std::size_t slots);
  ~InProcessLastKnownGrades();
  InProcessLastKnownGrades(const InProcessLastKnownGrades&) = delete;
  InProcessLastKnownGrades& operator=(const InProcessLastKnownGrades&) = delete;

  void remember(std::string_view student_id, std::string_view grades_json);
  std::optional<std::string> recall(std::string_view student_id) const;

  static constexpr std::size_t kSlotWords = 63;  // + the sequence word: 512 bytes a slot
  // Key and value bytes a slot holds: every word but the first, which holds the two lengths.
  static constexpr std::size_t kSlotBytes = (kSlotWords - 1) * 8;

 private:
  struct Slot;
  Slot& slot_for(std::string_view student_id) const;

  std::size_t slot_count_;
  std::unique_ptr<Slot[]> slots_;
};

class LastKnownGrades {
 public:
  // `shared`: the Redis cache, or null without REDIS_URL. Entries there live `shared_ttl`.
  LastKnownGrades(std::size_t local_slots, cache::Cache* shared, std::chrono::seconds shared_ttl);

  // `grades_json`: the serialized "grades" array of a fresh answer. Does not wait for the
  // shared cache: that write runs in the background on `executor`, off the response's latency.
  // (Not a coroutine: g++ 12 miscompiles member coroutines returning awaitable<void>.)
  void remember(const boost::asio::any_io_executor& executor, const std::string& student_id,
                const std::string& grades_json);
  boost::asio::awaitable<std::optional<std::string>> recall(const std::string& student_id);

 private:
  InProcessLastKnownGrades local_;
  cache::Cache* shared_;
  std::chrono::seconds shared_ttl_;
};

}  // namespace sre::grades
