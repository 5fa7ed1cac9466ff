#include "store/postgres/pg_settings.h"

#include <fmt/format.h>

#include <algorithm>

namespace sre::store {

std::vector<std::pair<std::string, std::string>> PgSettings::connection_keywords() const {
  // libpq's own connect_timeout is in whole seconds (minimum 2) and only applies to blocking
  // connects; the event-loop driver enforces connect_timeout itself, to the millisecond.
  auto seconds = std::max<long long>(2, (connect_timeout.count() + 999) / 1000);
  return {
      {"dbname", url},
      {"application_name", application_name},
      {"connect_timeout", std::to_string(seconds)},
      // The server cancels a statement running longer than this, so a slow query costs the
      // database nothing after the deadline either.
      {"options", fmt::format("-c statement_timeout={}", statement_timeout.count())},
      // Notice a dead peer on an idle connection within about 10 s even without traffic.
      {"keepalives", "1"},
      {"keepalives_idle", "5"},
      {"keepalives_interval", "2"},
      {"keepalives_count", "3"},
  };
}

PgConnectArguments::PgConnectArguments(const PgSettings& settings)
    : keywords_(settings.connection_keywords()) {
  for (const auto& [key, value] : keywords_) {
    keys_.push_back(key.c_str());
    values_.push_back(value.c_str());
  }
  keys_.push_back(nullptr);
  values_.push_back(nullptr);
}

}  // namespace sre::store
