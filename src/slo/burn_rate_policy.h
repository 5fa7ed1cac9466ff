// The multiwindow, multi-burn-rate alerting policy of the Google SRE Workbook (chapter
// "Alerting on SLOs"), the same for every objective.
//
// A burn rate is how fast the error budget is spent: 1x spends exactly the budget over the
// objective's window, 14.4x spends 2% of a 30-day budget in one hour. An alert needs both its
// long window (enough budget spent to matter) and its short window (still burning now, so it
// resolves soon after the errors stop) above the same burn rate.
#pragma once

#include <array>
#include <string_view>

namespace sre::slo {

struct BurnRateAlert {
  std::string_view severity;  // "page" wakes someone up; "ticket" is for working hours
  double burn_rate;
  std::string_view long_window;
  std::string_view short_window;
};

inline constexpr std::array<BurnRateAlert, 4> kBurnRateAlerts{{
    {"page", 14.4, "1h", "5m"},
    {"page", 6, "6h", "30m"},
    {"ticket", 3, "1d", "2h"},
    {"ticket", 1, "3d", "6h"},
}};

// Every window the alerts read, shortest first: each gets one recording rule per objective.
inline constexpr std::array<std::string_view, 7> kAlertWindows{"5m", "30m", "1h", "2h",
                                                               "6h", "1d",  "3d"};

}  // namespace sre::slo
