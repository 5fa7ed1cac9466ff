#include "slo/rules_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "slo/burn_rate_policy.h"

namespace sre::slo {

namespace {

// Numbers as a person writes them: 0.001, not 0.0010000000000000009.
std::string number(double value) {
  return fmt::format("{:.10g}", value);
}

// A YAML double-quoted scalar (the annotations hold ':' and '{{ }}').
std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

// "2d 2h", "5d", "50m": how long a budget lasts, for the alert's description.
std::string human_duration(long seconds) {
  const long days = seconds / 86400;
  const long hours = seconds % 86400 / 3600;
  const long minutes = seconds % 3600 / 60;
  std::string out;
  if (days > 0) {
    out += fmt::format("{}d", days);
  }
  if (hours > 0) {
    out += fmt::format("{}{}h", out.empty() ? "" : " ", hours);
  }
  if (out.empty()) {
    out = fmt::format("{}m", minutes);
  }
  return out;
}

// The selector's rate summed per job; `or 0 * total` makes "no such series yet" (no 5xx ever
// answered) a ratio of 0 instead of no ratio at all.
std::string summed(const std::string& selector, std::string_view window, const std::string& total,
                   std::string_view indent) {
  return fmt::format(
      "{0}(\n"
      "{0}  sum by (job) (rate({1}[{2}]))\n"
      "{0}  or\n"
      "{0}  0 * sum by (job) (rate({3}[{2}]))\n"
      "{0})\n",
      indent, selector, window, total);
}

// `window`: the PromQL range read, already scaled.
std::string error_ratio_expr(const Objective& objective, std::string_view window) {
  constexpr std::string_view kIndent = "          ";
  if (!objective.errors.empty()) {
    return summed(objective.errors, window, objective.total, kIndent) +
           fmt::format("{0}/\n{0}sum by (job) (rate({1}[{2}]))\n", kIndent, objective.total,
                       window);
  }
  const std::string inner = std::string(kIndent) + "  ";
  return fmt::format("{}1 - (\n", kIndent) +
         summed(objective.good, window, objective.total, inner) +
         fmt::format("{0}/\n{0}sum by (job) (rate({1}[{2}]))\n{3})\n", inner, objective.total,
                     window, kIndent);
}

void append_recording(std::string& out, const Objective& objective, std::string_view window,
                      double time_scale) {
  out += fmt::format("      - record: {}\n        expr: |\n", error_ratio_record(window));
  out += error_ratio_expr(objective, scaled_range(window, time_scale));
  out += fmt::format("        labels:\n          slo: {}\n", objective.name);
}

void append_alert(std::string& out, const Objective& objective, const BurnRateAlert& alert) {
  const std::string threshold =
      fmt::format("({} * {})", number(alert.burn_rate), number(objective.error_budget()));
  const std::string selector = fmt::format("{{slo=\"{}\"}}", objective.name);
  const auto spent_in =
      static_cast<long>(static_cast<double>(objective.window.seconds) / alert.burn_rate);
  out += fmt::format("      - alert: {}\n", objective.alert);
  out += fmt::format("        expr: |\n          {}{} > {}\n          and\n          {}{} > {}\n",
                     error_ratio_record(alert.long_window), selector, threshold,
                     error_ratio_record(alert.short_window), selector, threshold);
  out += fmt::format(
      "        labels:\n          severity: {}\n          slo: {}\n          long_window: {}\n"
      "          short_window: {}\n",
      alert.severity, objective.name, alert.long_window, alert.short_window);
  out += "        annotations:\n";
  out += fmt::format(
      "          summary: {}\n",
      quoted(fmt::format("{}: error budget burning at {}x over {} and {}", objective.title,
                         number(alert.burn_rate), alert.long_window, alert.short_window)));
  out += fmt::format(
      "          description: {}\n",
      quoted(fmt::format(
          "{{{{ $value | humanizePercentage }}}} of events over the last {} were errors "
          "(objective: {}% good over {}; good: {}). At this rate the {} error budget "
          "({}% of events) is spent in {}.",
          alert.long_window, number(objective.target * 100), objective.window.text,
          objective.description, objective.window.text, number(objective.error_budget() * 100),
          human_duration(spent_in))));
  out += fmt::format("          runbook_url: docs/runbooks/{}.md\n", objective.alert);
}

}  // namespace

std::string error_ratio_record(std::string_view window) {
  return fmt::format("job_slo:sli_errors_per_events:ratio_rate{}", window);
}

std::string scaled_range(std::string_view window, double time_scale) {
  if (time_scale == 1.0) {
    return std::string(window);
  }
  const auto nominal = parse_window(window);
  const auto millis = std::max(
      1000L, std::lround(static_cast<double>(nominal ? nominal->seconds : 0) * time_scale * 1000));
  return millis % 1000 == 0 ? fmt::format("{}s", millis / 1000) : fmt::format("{}ms", millis);
}

std::string render_rules(const SloSpec& spec, double time_scale) {
  std::string out =
      "# GENERATED by `sre-playground slo generate` from monitoring/slo.yaml: do not edit.\n"
      "# Edit monitoring/slo.yaml and run `make slo`; a test fails when this file drifts.\n"
      "#\n"
      "# Per objective: its SLI's error ratio (bad events / all events) recorded over every\n"
      "# window the burn-rate alerts read and over the objective's own window (the error\n"
      "# budget's), then the alerts: page at 14.4x over 1h and 5m and at 6x over 6h and 30m,\n"
      "# ticket at 3x over 1d and 2h and at 1x over 3d and 6h (Google SRE Workbook).\n"
      "groups:\n";
  if (time_scale != 1.0) {
    out.insert(out.find("groups:"),
               fmt::format("#\n# TIME SCALE {}: every window reads {} of its nominal length "
                           "(ratio_rate1h: {}). For tests and demos, never for production.\n",
                           number(time_scale), number(time_scale), scaled_range("1h", time_scale)));
  }
  for (const auto& objective : spec.objectives) {
    std::vector<std::string_view> windows(kAlertWindows.begin(), kAlertWindows.end());
    if (std::find(windows.begin(), windows.end(), objective.window.text) == windows.end()) {
      windows.push_back(objective.window.text);
    }
    out += fmt::format("  - name: slo-{}-recording\n    rules:\n", objective.name);
    for (auto window : windows) {
      append_recording(out, objective, window, time_scale);
    }
    out += fmt::format("\n  - name: slo-{}-alerts\n    rules:\n", objective.name);
    for (const auto& alert : kBurnRateAlerts) {
      append_alert(out, objective, alert);
    }
    out += "\n";
  }
  out.pop_back();  // no blank line at the end of the file
  return out;
}

}  // namespace sre::slo
