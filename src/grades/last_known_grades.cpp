#include "grades/last_known_grades.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <cstring>
#include <functional>

namespace sre::grades {

struct InProcessLastKnownGrades::Slot {
  std::atomic<std::uint64_t> sequence{0};  // odd while a writer is inside
  // Word 0: key length (low 32 bits) and value length (high 32 bits); then key bytes followed
  // by value bytes, packed 8 to a word.
  std::array<std::atomic<std::uint64_t>, kSlotWords> words{};
};

InProcessLastKnownGrades::InProcessLastKnownGrades(std::size_t slots)
    : slot_count_(std::max<std::size_t>(1, slots)), slots_(new Slot[slot_count_]) {}

InProcessLastKnownGrades::~InProcessLastKnownGrades() = default;

InProcessLastKnownGrades::Slot& InProcessLastKnownGrades::slot_for(
    std::string_view student_id) const {
  return slots_[std::hash<std::string_view>{}(student_id) % slot_count_];
}

void InProcessLastKnownGrades::remember(std::string_view student_id, std::string_view grades_json) {
  const std::size_t total = student_id.size() + grades_json.size();
  if (total > kSlotBytes) {
    return;
  }
  Slot& slot = slot_for(student_id);
  std::uint64_t sequence = slot.sequence.load(std::memory_order_relaxed);
  // Another writer inside this slot right now: skip; a later answer will be remembered.
  if ((sequence & 1U) != 0 ||
      !slot.sequence.compare_exchange_strong(sequence, sequence + 1, std::memory_order_acquire)) {
    return;
  }
  std::atomic_thread_fence(std::memory_order_release);
  std::array<char, kSlotWords * 8> bytes{};
  std::memcpy(bytes.data() + 8, student_id.data(), student_id.size());
  std::memcpy(bytes.data() + 8 + student_id.size(), grades_json.data(), grades_json.size());
  const std::uint64_t lengths = student_id.size() | (std::uint64_t{grades_json.size()} << 32);
  std::memcpy(bytes.data(), &lengths, 8);
  const std::size_t used_words = (8 + total + 7) / 8;
  for (std::size_t i = 0; i < used_words; ++i) {
    std::uint64_t word = 0;
    std::memcpy(&word, bytes.data() + i * 8, 8);
    slot.words[i].store(word, std::memory_order_relaxed);
  }
  slot.sequence.store(sequence + 2, std::memory_order_release);
}

std::optional<std::string> InProcessLastKnownGrades::recall(std::string_view student_id) const {
  const Slot& slot = slot_for(student_id);
  std::array<char, kSlotWords * 8> bytes{};
  for (int attempt = 0; attempt < 4; ++attempt) {
    const std::uint64_t before = slot.sequence.load(std::memory_order_acquire);
    if ((before & 1U) != 0) {
      continue;  // a writer is inside; try again
    }
    const std::uint64_t lengths = slot.words[0].load(std::memory_order_relaxed);
    const std::size_t key_length = lengths & 0xFFFFFFFFU;
    const std::size_t value_length = lengths >> 32;
    if (before == 0) {
      return std::nullopt;  // never written
    }
    if (key_length + value_length > kSlotBytes) {
      continue;  // lengths torn by a concurrent writer
    }
    const std::size_t used_words = (8 + key_length + value_length + 7) / 8;
    for (std::size_t i = 0; i < used_words; ++i) {
      const std::uint64_t word = slot.words[i].load(std::memory_order_relaxed);
      std::memcpy(bytes.data() + i * 8, &word, 8);
    }
    std::atomic_thread_fence(std::memory_order_acquire);
    if (slot.sequence.load(std::memory_order_relaxed) != before) {
      continue;  // overwritten while we copied
    }
    if (std::string_view(bytes.data() + 8, key_length) != student_id) {
      return std::nullopt;  // the slot holds another student
    }
    return std::string(bytes.data() + 8 + key_length, value_length);
  }
  return std::nullopt;  // contended: treat as unknown rather than spin on the request path
}

namespace {

std::string shared_key(const std::string& student_id) {
  return "grades:last:" + student_id;
}

// Owns its copies: it outlives the request that started it. A failed SET is already counted
// and logged by the Redis client; the in-process table still has the grades.
boost::asio::awaitable<void> store_shared(cache::Cache& shared, std::string key, std::string value,
                                          std::chrono::seconds ttl) {
  co_await shared.set(key, value, ttl);
}

}  // namespace

LastKnownGrades::LastKnownGrades(std::size_t local_slots, cache::Cache* shared,
                                 std::chrono::seconds shared_ttl)
    : local_(local_slots), shared_(shared), shared_ttl_(shared_ttl) {}

void LastKnownGrades::remember(const boost::asio::any_io_executor& executor,
                               const std::string& student_id, const std::string& grades_json) {
  local_.remember(student_id, grades_json);
  if (shared_ != nullptr) {
    // Named objects, copied into the coroutine's frame: no temporaries (g++ 12, see README).
    const std::string key = shared_key(student_id);
    boost::asio::co_spawn(executor, store_shared(*shared_, key, grades_json, shared_ttl_),
                          boost::asio::detached);
  }
}

boost::asio::awaitable<std::optional<std::string>> LastKnownGrades::recall(
    const std::string& student_id) {
  if (shared_ != nullptr) {
    const std::string key = shared_key(student_id);
    auto lookup = co_await shared_->get(key);
    if (lookup.result == cache::CacheLookup::Result::hit) {
      co_return std::move(lookup.value);
    }
  }
  co_return local_.recall(student_id);
}

}  // namespace sre::grades
