#include "loadtest/scenario_mix.h"

#include <fmt/format.h>

namespace sre::loadtest {

namespace {

constexpr std::array<RequestKind, kRequestKinds> kKinds = {
    RequestKind::read, RequestKind::list, RequestKind::create, RequestKind::grades};

unsigned weight_of(const MixWeights& weights, RequestKind kind) {
  switch (kind) {
    case RequestKind::read:
      return weights.read;
    case RequestKind::list:
      return weights.list;
    case RequestKind::create:
      return weights.create;
    case RequestKind::grades:
      return weights.grades;
  }
  return 0;
}

}  // namespace

std::string_view name_of(RequestKind kind) {
  switch (kind) {
    case RequestKind::read:
      return "read";
    case RequestKind::list:
      return "list";
    case RequestKind::create:
      return "create";
    case RequestKind::grades:
      return "grades";
  }
  return "?";
}

std::optional<ScenarioMix> ScenarioMix::from(const MixWeights& weights) {
  if (weights.read + weights.list + weights.create + weights.grades == 0) {
    return std::nullopt;
  }
  return ScenarioMix(weights);
}

ScenarioMix::ScenarioMix(const MixWeights& weights) : weights_(weights) {
  const std::uint64_t total =
      std::uint64_t{weights.read} + weights.list + weights.create + weights.grades;
  constexpr std::uint64_t kDraws = std::uint64_t{1} << 32;
  std::uint64_t cumulative = 0;
  for (std::size_t k = 0; k < kRequestKinds; ++k) {
    cumulative += weight_of(weights, kKinds[k]);
    bounds_[k] = cumulative * kDraws / total;
  }
}

RequestKind ScenarioMix::pick(std::uint32_t draw) const {
  for (std::size_t k = 0; k < kRequestKinds; ++k) {
    if (draw < bounds_[k]) {
      return kKinds[k];
    }
  }
  return kKinds.back();  // unreachable: the last bound is 2^32
}

bool ScenarioMix::uses(RequestKind kind) const {
  return weight_of(weights_, kind) != 0;
}

std::string ScenarioMix::describe() const {
  const double total = weights_.read + weights_.list + weights_.create + weights_.grades;
  std::string out;
  for (auto kind : kKinds) {
    if (const auto weight = weight_of(weights_, kind); weight != 0) {
      out += fmt::format("{}{} {:.0f}%", out.empty() ? "" : ", ", name_of(kind),
                         100.0 * weight / total);
    }
  }
  return out;
}

}  // namespace sre::loadtest
