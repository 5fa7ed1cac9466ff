// The last grades seen for each student: the fallback when the grade service cannot answer
// (breaker open, timeout, outage). A stale answer marked "cached":true is more useful to a
// teacher than an error page.
//
// LastKnownGrades is the interface; the API only remembers and recalls. The in-process table
// below is the embedded default. A Redis-backed implementation (shared by replicas, surviving
// restarts) plugs in behind the same interface once the cache exists (src/cache/).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sre::grades {

class LastKnownGrades {
 public:
  virtual ~LastKnownGrades() = default;
  // `grades_json`: the serialized "grades" array of a fresh answer.
  virtual void remember(std::string_view student_id, std::string_view grades_json) = 0;
  virtual std::optional<std::string> recall(std::string_view student_id) const = 0;
};

// A bounded, lock-free table shared by every I/O thread: `slots` direct-mapped entries (a hash
// of the student id picks the slot; a newer student evicts an older one in the same slot).
// Each slot is a seqlock: a writer makes the sequence odd, stores the words, makes it even
// again; a reader copies the words and retries if the sequence moved meanwhile. Key and value
// are stored as relaxed atomic 64-bit words, so concurrent reads and writes are well defined.
// Entries larger than a slot are not kept (grade lists are ~200 bytes; a slot holds 480).
// Memory: slots * 512 bytes (4096 slots: 2 MiB).
class InProcessLastKnownGrades final : public LastKnownGrades {
 public:
  explicit InProcessLastKnownGrades(std::size_t slots);
  ~InProcessLastKnownGrades() override;

  void remember(std::string_view student_id, std::string_view grades_json) override;
  std::optional<std::string> recall(std::string_view student_id) const override;

  static constexpr std::size_t kSlotWords = 63;  // + the sequence word: 512 bytes a slot
  static constexpr std::size_t kSlotBytes = kSlotWords * 8 - 4;  // less the two length fields

 private:
  struct Slot;
  Slot& slot_for(std::string_view student_id) const;

  std::size_t slot_count_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace sre::grades
