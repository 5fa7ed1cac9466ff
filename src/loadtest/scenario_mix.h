// The kinds of request a run sends and how often each is picked: weights set by flags
// (READ_WEIGHT, ...), turned into cumulative thresholds once so that picking is one
// comparison per kind against a uniform random number. Pure, no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sre::loadtest {

enum class RequestKind : std::uint8_t {
  read,    // GET /api/v1/students/{id}, an id that exists
  list,    // GET /api/v1/students
  create,  // POST /api/v1/students
  grades,  // GET /api/v1/students/{id}/grades (the API calls the grade service)
};
inline constexpr std::size_t kRequestKinds = 4;
std::string_view name_of(RequestKind kind);

struct MixWeights {
  unsigned read = 0;
  unsigned list = 0;
  unsigned create = 0;
  unsigned grades = 0;
};

class ScenarioMix {
 public:
  // nullopt when every weight is 0.
  static std::optional<ScenarioMix> from(const MixWeights& weights);

  // The kind for a uniform random `draw` in [0, 2^32).
  RequestKind pick(std::uint32_t draw) const;
  // Whether a kind is ever picked (reads and grades need student ids first).
  bool uses(RequestKind kind) const;
  // "read 70%, list 10%, ..." for the report.
  std::string describe() const;

 private:
  explicit ScenarioMix(const MixWeights& weights);

  MixWeights weights_;
  // Draws below bounds_[k] (and not below an earlier bound) pick kind k.
  std::array<std::uint64_t, kRequestKinds> bounds_{};
};

// A small fast random generator for picks (xorshift32): one per connection, seeded apart.
class PickRandom {
 public:
  explicit PickRandom(std::uint32_t seed) : state_(seed == 0 ? 0x9E3779B9u : seed) {}
  std::uint32_t next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 17;
    state_ ^= state_ << 5;
    return state_;
  }

 private:
  std::uint32_t state_;
};

}  // namespace sre::loadtest
