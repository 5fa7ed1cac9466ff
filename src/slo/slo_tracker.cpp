#include "slo/slo_tracker.h"

#include <algorithm>
#include <cmath>

namespace sre::slo {

namespace {

constexpr std::size_t kTotal = 0;
constexpr std::size_t kBad = 1;

// Growth of a cumulative count since the last read, as a whole number of events.
std::uint64_t growth(double now, double before) {
  const double delta = now >= before ? now - before : now;  // a reset counts from zero
  return static_cast<std::uint64_t>(std::llround(delta));
}

std::optional<double> burn_rate(std::uint64_t bad, std::uint64_t total, double budget) {
  if (total == 0) {
    return std::nullopt;
  }
  return static_cast<double>(bad) / static_cast<double>(total) / budget;
}

double budget_remaining(std::uint64_t bad, std::uint64_t total, double budget) {
  if (total == 0) {
    return 1.0;
  }
  return 1.0 - static_cast<double>(bad) / (budget * static_cast<double>(total));
}

// Sums of both counts over a window of `length` minutes that slides one minute at a time.
class SlidingWindow {
 public:
  SlidingWindow(const MinuteRing& ring, std::int64_t length, std::int64_t last)
      : ring_(ring), length_(length), last_(last) {
    total_ = static_cast<std::int64_t>(ring.sum(kTotal, last, length));
    bad_ = static_cast<std::int64_t>(ring.sum(kBad, last, length));
  }
  void step() {
    ++last_;
    total_ += count(last_, kTotal) - count(last_ - length_, kTotal);
    bad_ += count(last_, kBad) - count(last_ - length_, kBad);
  }
  // Never below zero, nor bad above total, even when a fold raced the reads.
  std::uint64_t total() const {
    return static_cast<std::uint64_t>(std::max<std::int64_t>(0, total_));
  }
  std::uint64_t bad() const {
    return std::min(total(), static_cast<std::uint64_t>(std::max<std::int64_t>(0, bad_)));
  }

 private:
  std::int64_t count(std::int64_t minute, std::size_t counter) const {
    return static_cast<std::int64_t>(ring_.at(minute, counter));
  }
  const MinuteRing& ring_;
  std::int64_t length_;
  std::int64_t last_;
  std::int64_t total_ = 0;
  std::int64_t bad_ = 0;
};

}  // namespace

std::int64_t minute_of(std::chrono::system_clock::time_point time) {
  return std::chrono::floor<std::chrono::minutes>(time.time_since_epoch()).count();
}

SloTracker::SloTracker(const SloSpec& spec, const TargetLabels& target,
                       std::chrono::system_clock::time_point started)
    : started_(started), first_minute_(minute_of(started)) {
  tracked_.reserve(spec.objectives.size());
  for (const auto& objective : spec.objectives) {
    ObjectiveCounter counter(objective, target);
    const std::int64_t window_minutes = std::max<std::int64_t>(1, objective.window.seconds / 60);
    std::unique_ptr<MinuteRing> ring;
    if (counter.not_visible().empty()) {
      ring = std::make_unique<MinuteRing>(window_minutes + kHistoryMinutes, 2, first_minute_);
    }
    tracked_.push_back({&objective, std::move(counter), window_minutes, std::move(ring), {}});
  }
}

void SloTracker::fold(const std::vector<prometheus::MetricFamily>& families,
                      std::chrono::system_clock::time_point now) {
  const std::int64_t minute = minute_of(now);
  for (auto& tracked : tracked_) {
    if (!tracked.minutes) {
      continue;
    }
    const SliCounts counts = tracked.counter.read(families);
    tracked.minutes->advance_to(minute);
    tracked.minutes->add(kTotal, growth(counts.total, tracked.last_read.total));
    tracked.minutes->add(kBad, growth(counts.bad, tracked.last_read.bad));
    tracked.last_read = counts;
  }
}

std::int64_t SloTracker::latest_minute() const {
  for (const auto& tracked : tracked_) {
    if (tracked.minutes) {
      return tracked.minutes->latest();
    }
  }
  return first_minute_;
}

std::vector<ObjectiveStatus> SloTracker::status() const {
  std::vector<ObjectiveStatus> statuses;
  statuses.reserve(tracked_.size());
  for (const auto& tracked : tracked_) {
    ObjectiveStatus status;
    status.objective = tracked.objective;
    status.not_visible = tracked.counter.not_visible();
    const double budget = tracked.objective->error_budget();
    status.budget_minutes = static_cast<double>(tracked.window_minutes) * budget;
    status.budget_remaining_minutes = status.budget_minutes;
    if (!tracked.minutes) {
      statuses.push_back(status);
      continue;
    }
    const MinuteRing& ring = *tracked.minutes;
    const std::int64_t latest = ring.latest();
    status.observed_minutes = std::min(latest - first_minute_ + 1, tracked.window_minutes);
    status.total = ring.sum(kTotal, latest, tracked.window_minutes);
    status.bad = std::min(ring.sum(kBad, latest, tracked.window_minutes), status.total);
    if (status.total > 0) {
      status.sli = 1.0 - static_cast<double>(status.bad) / static_cast<double>(status.total);
    }
    status.budget_remaining = budget_remaining(status.bad, status.total, budget);
    status.budget_remaining_minutes = status.budget_remaining * status.budget_minutes;
    for (std::size_t w = 0; w < kBurnRateWindowMinutes.size(); ++w) {
      status.burn_rates.at(w) =
          burn_rate(ring.sum(kBad, latest, kBurnRateWindowMinutes.at(w)),
                    ring.sum(kTotal, latest, kBurnRateWindowMinutes.at(w)), budget);
    }
    statuses.push_back(status);
  }
  return statuses;
}

std::vector<ObjectiveHistory> SloTracker::history(std::int64_t minutes) const {
  minutes = std::clamp<std::int64_t>(minutes, 1, kHistoryMinutes);
  std::vector<ObjectiveHistory> histories;
  for (const auto& tracked : tracked_) {
    if (!tracked.minutes) {
      continue;
    }
    const MinuteRing& ring = *tracked.minutes;
    const double budget = tracked.objective->error_budget();
    const std::int64_t first = ring.latest() - minutes + 1;
    ObjectiveHistory history;
    history.objective = tracked.objective;
    SlidingWindow whole(ring, tracked.window_minutes, first);
    std::vector<SlidingWindow> burns;
    burns.reserve(kBurnRateWindowMinutes.size());
    for (auto length : kBurnRateWindowMinutes) {
      burns.emplace_back(ring, length, first);
    }
    history.budget_remaining.reserve(static_cast<std::size_t>(minutes));
    for (std::int64_t m = 0; m < minutes; ++m) {
      if (m > 0) {
        whole.step();
        for (auto& window : burns) {
          window.step();
        }
      }
      history.budget_remaining.push_back(budget_remaining(whole.bad(), whole.total(), budget));
      for (std::size_t w = 0; w < burns.size(); ++w) {
        history.burn_rates.at(w).push_back(burn_rate(burns[w].bad(), burns[w].total(), budget));
      }
    }
    histories.push_back(std::move(history));
  }
  return histories;
}

}  // namespace sre::slo
