#include "store/postgres/pg_metrics.h"

#include <prometheus/metric_family.h>

#include <string>

namespace sre::store {

namespace {

constexpr std::array<const char*, kPgConnectionStates> kStateNames = {"connecting", "idle", "busy",
                                                                      "backoff"};

std::size_t index_of(PgConnectionState state) {
  return static_cast<std::size_t>(state);
}

}  // namespace

void PgMetrics::connection_moved(PgConnectionState from, PgConnectionState to) {
  if (from != to) {
    connection_removed(from);
    connection_added(to);
  }
}

void PgMetrics::connection_added(PgConnectionState state) {
  connections_[index_of(state)].fetch_add(1, std::memory_order_relaxed);
}

void PgMetrics::connection_removed(PgConnectionState state) {
  connections_[index_of(state)].fetch_sub(1, std::memory_order_relaxed);
}

void PgMetrics::observe_query(PgStatementId statement, double seconds) {
  queries_[static_cast<std::size_t>(statement)].observe(seconds);
}

void PgMetrics::count_error(PgErrorKind kind) {
  errors_[static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
}

std::vector<prometheus::MetricFamily> PgMetrics::Collect() const {
  prometheus::MetricFamily connections{"db_pool_connections",
                                       "PostgreSQL connections of all I/O threads' pools, by state",
                                       prometheus::MetricType::Gauge,
                                       {}};
  for (std::size_t s = 0; s < kPgConnectionStates; ++s) {
    prometheus::ClientMetric metric;
    metric.label = {{"state", kStateNames[s]}};
    metric.gauge.value = static_cast<double>(connections_[s].load(std::memory_order_relaxed));
    connections.metric.push_back(std::move(metric));
  }

  prometheus::ClientMetric waiters_metric;
  waiters_metric.gauge.value = static_cast<double>(waiters_.load(std::memory_order_relaxed));
  prometheus::MetricFamily waiters{"db_pool_waiters",
                                   "Requests waiting for a usable PostgreSQL connection",
                                   prometheus::MetricType::Gauge,
                                   {waiters_metric}};

  prometheus::MetricFamily durations{
      "db_query_duration_seconds",
      "PostgreSQL query time from send to result, by prepared statement name",
      prometheus::MetricType::Histogram,
      {}};
  for (const auto& statement : pg_statements()) {
    prometheus::ClientMetric metric;
    metric.label = {{"statement", statement.name}};
    metric.histogram = queries_[static_cast<std::size_t>(statement.id)].counts().to_prometheus();
    durations.metric.push_back(std::move(metric));
  }

  prometheus::MetricFamily errors{
      "db_errors_total",
      "PostgreSQL failures by kind: connect, timeout, constraint, other",
      prometheus::MetricType::Counter,
      {}};
  for (std::size_t k = 0; k < kPgErrorKinds; ++k) {
    prometheus::ClientMetric metric;
    metric.label = {{"kind", std::string(to_string(static_cast<PgErrorKind>(k)))}};
    metric.counter.value = static_cast<double>(errors_[k].load(std::memory_order_relaxed));
    errors.metric.push_back(std::move(metric));
  }

  prometheus::ClientMetric per_sync_metric;
  per_sync_metric.histogram = per_sync_.counts().to_prometheus();
  prometheus::MetricFamily per_sync{
      "db_requests_per_sync",
      "Requests whose statements shared one Sync: one transaction, one write, one flush back",
      prometheus::MetricType::Histogram,
      {std::move(per_sync_metric)}};

  prometheus::ClientMetric resent_metric;
  resent_metric.counter.value =
      static_cast<double>(resent_requests_.load(std::memory_order_relaxed));
  prometheus::MetricFamily resent{
      "db_requests_resent_total",
      "Requests whose statements were sent again alone: another's error undid their transaction",
      prometheus::MetricType::Counter,
      {std::move(resent_metric)}};
  return {std::move(connections), std::move(waiters),  std::move(durations),
          std::move(errors),      std::move(per_sync), std::move(resent)};
}

}  // namespace sre::store
