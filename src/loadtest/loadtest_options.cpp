#include "loadtest/loadtest_options.h"

#include <boost/url/parse.hpp>
#include <utility>

namespace sre::loadtest {

core::Parsed<Target> parse_target_url(std::string_view text) {
  auto url = boost::urls::parse_absolute_uri(text);
  if (!url || url->scheme() != "http" || url->host().empty() ||
      !(url->path().empty() || url->path() == "/") || url->has_query() || url->has_userinfo()) {
    return std::string("expected http://host[:port] with no path");
  }
  return Target{std::string(url->host()), url->has_port() ? std::string(url->port()) : "80"};
}

const std::vector<core::Setting<LoadtestOptions>>& settings() {
  using core::setting;
  using O = LoadtestOptions;
  auto weight = [](std::string env, unsigned MixWeights::*field, const char* what) {
    return core::Setting<O>{
        std::move(env),
        std::string("Relative weight of ") + what + " in the mix",
        "integer 0..1000",
        core::Visibility::plain,
        [field, parse = core::integer_in<unsigned>(0, 1000).parse](
            O& options, std::string_view text) -> std::optional<std::string> {
          auto parsed = parse(text);
          if (auto* refusal = std::get_if<core::Refusal>(&parsed)) {
            return refusal->reason;
          }
          options.weights.*field = std::get<unsigned>(parsed);
          return std::nullopt;
        },
        [field](const O& options) { return std::to_string(options.weights.*field); }};
  };
  static const std::vector<core::Setting<O>> rows{
      setting(
          "TARGET_URL", &O::target,
          core::parsed_by<Target>(
              parse_target_url, [](const Target& t) { return "http://" + t.host + ":" + t.port; },
              "http://host[:port]"),
          "The server under load (the API, nginx in front of it, the grade service)"),
      setting("TARGET_PATH", &O::path, core::any_text(),
              "GET only this path (e.g. /health/live) instead of the mix"),
      setting("MODE", &O::mode, core::one_of({"closed", "open"}),
              "closed: each connection sends when its last answer arrives; open: RATE "
              "requests per second whatever the answers do"),
      setting("CONNECTIONS", &O::connections, core::integer_in<unsigned>(1, 10000),
              "Keep-alive connections (closed loop: concurrent clients)"),
      setting("RATE", &O::rate, core::number_in(0, 10'000'000),
              "Open loop: requests per second, spread evenly over the connections"),
      setting("DURATION_SECONDS", &O::duration, core::duration_in<std::chrono::seconds>(0, 86'400),
              "How long to send (0: until REQUESTS are done)"),
      setting("REQUESTS", &O::requests, core::integer_in<std::uint64_t>(0, 1'000'000'000'000),
              "Stop after this many requests (0: no limit; the first of the two ends the run)"),
      setting("THREADS", &O::threads, core::integer_in<unsigned>(0, 256),
              "Load-generating threads, each with its share of the connections (0: one per core)"),
      weight("READ_WEIGHT", &MixWeights::read, "GET /api/v1/students/{id}"),
      weight("LIST_WEIGHT", &MixWeights::list, "GET /api/v1/students"),
      weight("CREATE_WEIGHT", &MixWeights::create, "POST /api/v1/students"),
      weight("GRADES_WEIGHT", &MixWeights::grades, "GET /api/v1/students/{id}/grades"),
      setting("RESPONSE_TIMEOUT_MS", &O::response_timeout,
              core::duration_in<std::chrono::milliseconds>(1, 600'000),
              "A request not answered within this counts as a timeout error"),
      setting("SLO_FILE", &O::slo_file, core::any_text(),
              "The objectives of the verdict (api-latency, api-availability); empty: no verdict"),
      setting("BEARER_TOKEN", &O::bearer_token, core::any_text(),
              "Sent as Authorization: Bearer on every request (when the API requires auth)",
              core::Visibility::secret),
  };
  return rows;
}

}  // namespace sre::loadtest
