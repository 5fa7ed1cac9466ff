#include "api/slo.h"

#include <boost/json.hpp>
#include <charconv>

#include "core/clock.h"
#include "core/log.h"
#include "http/local_reply.h"
#include "http/responses.h"

namespace sre::api::embedded {
extern const std::string_view slo_yaml;
}

namespace sre::api {

using http::Status;
namespace json = boost::json;

namespace {

// The job Prometheus scrapes the API as (monitoring/prometheus/prometheus.yml): an objective
// whose SLI selects another job is counted by another process.
constexpr std::string_view kScrapeJob = "sre-playground";

constexpr std::string_view kScope =
    "This instance only, from its own counters since it started (at most each objective's "
    "window). Every replica counts its own traffic; Prometheus, evaluating the same objectives "
    "over every replica (monitoring/prometheus/rules/slo.rules.yml), is the fleet-wide truth.";

// The page runs no inline code and loads nothing from elsewhere; a header can also forbid
// framing, which a <meta> policy cannot.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

constexpr std::int64_t kDefaultHistoryMinutes = 60;

json::value optional_number(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object burn_rates(const slo::BurnRates& rates) {
  json::object out;
  for (std::size_t w = 0; w < rates.size(); ++w) {
    out[slo::kBurnRateWindowNames.at(w)] = optional_number(rates.at(w));
  }
  return out;
}

json::object render(const slo::ObjectiveStatus& status) {
  const auto& objective = *status.objective;
  json::object out{{"name", objective.name},
                   {"title", objective.title},
                   {"description", objective.description},
                   {"target", objective.target},
                   {"window", objective.window.text},
                   {"window_minutes", objective.window.seconds / 60},
                   {"visible", status.not_visible.empty()}};
  if (!status.not_visible.empty()) {
    out["not_visible"] = status.not_visible;
    for (const char* key : {"observed_minutes", "events", "sli", "error_budget", "burn_rates"}) {
      out[key] = nullptr;
    }
    return out;
  }
  out["observed_minutes"] = status.observed_minutes;
  out["events"] = {{"total", status.total}, {"bad", status.bad}};
  out["sli"] = optional_number(status.sli);
  out["error_budget"] = {{"total_minutes", status.budget_minutes},
                         {"remaining_fraction", status.budget_remaining},
                         {"remaining_minutes", status.budget_remaining_minutes}};
  out["burn_rates"] = burn_rates(status.burn_rates);
  return out;
}

json::array numbers(const std::vector<double>& values) {
  return json::array(values.begin(), values.end());
}

json::array numbers(const std::vector<std::optional<double>>& values) {
  json::array out;
  out.reserve(values.size());
  for (const auto& value : values) {
    out.push_back(optional_number(value));
  }
  return out;
}

// ?minutes=N, 1 to kHistoryMinutes; nullopt when it is anything else.
std::optional<std::int64_t> history_minutes(const http::RequestContext& ctx) {
  auto text = ctx.query_param("minutes");
  if (!text) {
    return kDefaultHistoryMinutes;
  }
  std::int64_t minutes = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), minutes);
  if (error != std::errc{} || end != text->data() + text->size() || minutes < 1 ||
      minutes > slo::kHistoryMinutes) {
    return std::nullopt;
  }
  return minutes;
}

}  // namespace

SloApi::SloApi(const ApiOptions& options)
    : page_({.title = "SLO page",
             .route = "/slo",
             .policy = kPagePolicy,
             .html = "slo.html",
             .assets = {{"slo.js", "slo.js", "text/javascript"},
                        {"slo.css", "slo.css", "text/css"},
                        {"uPlot.iife.min.js", "node_modules/uplot/dist/uPlot.iife.min.js",
                         "text/javascript"},
                        {"uPlot.min.css", "node_modules/uplot/dist/uPlot.min.css", "text/css"}}},
            options.web_dir) {}

void SloApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/slo", http::RouteTag::operational,
             [this](auto& ctx) { return objectives(ctx); });
  router.add(http::Verb::get, "/api/v1/slo/history", http::RouteTag::operational,
             [this](auto& ctx) { return history(ctx); });
  page_.register_routes(router);
}

void SloApi::start(obs::Metrics& metrics, const http::Router& router) {
  auto spec = slo::parse_slo_spec(std::string(embedded::slo_yaml));
  if (!spec.spec) {
    // The build embeds the file `slo generate` checks; a broken one fails its tests first.
    throw std::runtime_error("monitoring/slo.yaml (embedded): " + spec.error);
  }
  // The route labels of the HTTP metrics (service::HttpApp gives them the same way).
  std::vector<std::string> routes{"unmatched"};
  for (const auto& route : router.routes()) {
    routes.push_back(route.path_template);
  }
  const auto& bounds = obs::HttpMetrics::kBuckets;
  // What the objectives read: the registry's families (grades_responses_total...) and the HTTP
  // metrics, which keep their own lock-free series.
  auto read_counters = [&metrics] {
    auto families = metrics.registry().Collect();
    auto http = metrics.http().Collect();
    families.insert(families.end(), std::make_move_iterator(http.begin()),
                    std::make_move_iterator(http.end()));
    return families;
  };
  slo_ = std::make_unique<slo::InstanceSlo>(
      std::move(*spec.spec), slo::TargetLabels{{"job", std::string(kScrapeJob)}}, std::move(routes),
      std::vector<double>(bounds.begin(), bounds.end()), std::move(read_counters));
  slo_->start();
}

http::asio::awaitable<http::Response> SloApi::objectives(http::RequestContext& ctx) {
  json::array objectives;
  for (const auto& status : slo_->tracker().status()) {
    objectives.push_back(render(status));
  }
  co_return http::json_response(ctx.request, Status::ok,
                                {{"scope", kScope},
                                 {"started_at", core::rfc3339_millis(slo_->tracker().started())},
                                 {"as_of", core::rfc3339_millis(slo_->folded_at())},
                                 {"objectives", std::move(objectives)}});
}

http::asio::awaitable<http::Response> SloApi::history(http::RequestContext& ctx) {
  auto minutes = history_minutes(ctx);
  if (!minutes) {
    co_return http::local_reply::validation_failed(
        ctx.request,
        {{{"query", "minutes"},
          "minutes must be a whole number from 1 to " + std::to_string(slo::kHistoryMinutes),
          "value_error"}});
  }
  const std::int64_t first = slo_->tracker().latest_minute() - *minutes + 1;
  json::array times;
  for (std::int64_t m = 0; m < *minutes; ++m) {
    times.push_back((first + m) * 60);
  }
  json::array objectives;
  for (const auto& history : slo_->tracker().history(*minutes)) {
    json::object rates;
    for (std::size_t w = 0; w < history.burn_rates.size(); ++w) {
      rates[slo::kBurnRateWindowNames.at(w)] = numbers(history.burn_rates.at(w));
    }
    objectives.push_back({{"name", history.objective->name},
                          {"title", history.objective->title},
                          {"budget_remaining", numbers(history.budget_remaining)},
                          {"burn_rates", std::move(rates)}});
  }
  json::array routes;
  for (const auto& route : slo_->routes().history(*minutes)) {
    routes.push_back({{"route", route.route},
                      {"requests_per_second", numbers(route.requests_per_second)},
                      {"errors_per_second", numbers(route.errors_per_second)},
                      {"p99_seconds", numbers(route.p99_seconds)}});
  }
  co_return http::json_response(ctx.request, Status::ok,
                                {{"scope", kScope},
                                 {"as_of", core::rfc3339_millis(slo_->folded_at())},
                                 {"step_seconds", 60},
                                 {"times", std::move(times)},
                                 {"objectives", std::move(objectives)},
                                 {"routes", std::move(routes)}});
}

}  // namespace sre::api
