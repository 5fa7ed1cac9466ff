// PgPool's acquire without a PostgreSQL server: on an Asio event loop, against a port where
// nothing listens (connections fail at once) and against a listener that never answers
// (connections hang until their timeout). What a request gets must never be a hang.
#include "store/postgres/pg_pool.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "store/postgres/pg_error.h"

namespace sre::store {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

PgSettings settings_for(std::uint16_t port, std::chrono::milliseconds connect_timeout) {
  PgSettings settings;
  settings.url = "postgresql://nobody@127.0.0.1:" + std::to_string(port) + "/none";
  settings.pool_size = 2;
  settings.connect_timeout = connect_timeout;
  return settings;
}

// Runs one batch on a fresh pool; the error it ended with (nullopt: it succeeded).
struct Outcome {
  std::optional<PgErrorKind> error;
  std::chrono::steady_clock::duration took{};
  std::int64_t waiters_while_waiting = -1;
};

Outcome execute_once(asio::io_context& ioc, const PgSettings& settings) {
  auto metrics = std::make_shared<PgMetrics>();
  auto pool = std::make_shared<PgPool>(ioc.get_executor(), settings, metrics);
  pool->start();
  Outcome outcome;
  const std::vector<PgConnection::Command> commands = {{PgStatementId::find_student, {"x"}}};
  const auto started = std::chrono::steady_clock::now();
  asio::co_spawn(
      ioc,
      [&]() -> asio::awaitable<void> {
        try {
          co_await pool->execute(commands);
        } catch (const PgError& e) {
          outcome.error = e.kind();
        }
        outcome.took = std::chrono::steady_clock::now() - started;
      },
      [&ioc](const std::exception_ptr&) { ioc.stop(); });
  // Looks at the waiters gauge while the request is (maybe) waiting.
  asio::steady_timer look(ioc, 100ms);
  look.async_wait([&](const boost::system::error_code&) {
    outcome.waiters_while_waiting = metrics->waiters();
  });
  ioc.run();
  return outcome;
}

TEST(PgPool, FailsFastWhenNoConnectionCanBeMade) {
  asio::io_context ioc;
  std::uint16_t port = 0;
  {
    tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed: connections are refused
  Outcome outcome = execute_once(ioc, settings_for(port, 3000ms));
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(*outcome.error, PgErrorKind::connect);
  EXPECT_LT(outcome.took, 1s);  // far below the 3 s connect timeout: nothing is coming
}

TEST(PgPool, WaitsForAConnectingSlotThenTimesOut) {
  asio::io_context ioc;
  // Accepts connections (the kernel does, from the backlog) and never says a word.
  tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  Outcome outcome = execute_once(ioc, settings_for(silent.local_endpoint().port(), 400ms));
  ASSERT_TRUE(outcome.error.has_value());
  EXPECT_EQ(outcome.waiters_while_waiting, 1);  // it waited for the connecting slots
  EXPECT_GE(outcome.took, 300ms);
  EXPECT_LT(outcome.took, 2s);
}

}  // namespace
}  // namespace sre::store
