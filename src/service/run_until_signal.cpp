#include "service/run_until_signal.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <cstdlib>

#include "core/log.h"

namespace sre::service {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr auto kDrainPollInterval = 50ms;

asio::awaitable<void> drain_on_signal(asio::signal_set& signals, const RunOptions& options,
                                      const RunHooks& hooks, http::Server& server) {
  auto [ec, signal] = co_await signals.async_wait(nothrow);
  if (ec) {
    co_return;  // cancelled: start-up failed
  }
  if (hooks.on_signal) {
    hooks.on_signal();
  }
  server.begin_draining();
  log::info("shutdown requested", {{"signal", signal},
                                   {"delay_seconds", options.drain_delay.count()},
                                   {"timeout_seconds", options.drain_timeout.count()}});
  signals.async_wait([](const boost::system::error_code& again, int second_signal) {
    if (!again) {
      log::warn("second signal: exiting immediately", {{"signal", second_signal}});
      // Not log::shutdown(): the I/O threads are still serving and logging, and would write
      // into the logger it destroys (ThreadSanitizer caught exactly that).
      log::flush_before_exit(std::chrono::milliseconds(500));
      std::_Exit(1);
    }
  });

  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(options.drain_delay);
  co_await timer.async_wait(nothrow);

  server.stop_accepting();
  log::info("stopped accepting connections", {{"open_connections", server.open_connections()}});
  const auto deadline = std::chrono::steady_clock::now() + options.drain_timeout;
  while (server.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    timer.expires_after(kDrainPollInterval);
    co_await timer.async_wait(nothrow);
  }
  if (server.open_connections() > 0) {
    log::warn("shutdown timeout: abandoning open connections",
              {{"open_connections", server.open_connections()}});
  }
  signals.cancel();
}

}  // namespace

int run_until_signal(http::Server& server, const RunOptions& options, const RunHooks& hooks) {
  // Catch signals from here on, so a SIGTERM during start-up still shuts down cleanly.
  asio::io_context main_context;
  asio::signal_set signals(main_context, SIGINT, SIGTERM);
  int exit_code = 0;
  try {
    server.start();
    log::info("listening", {{"host", options.host}, {"port", server.port()}});
    if (hooks.on_listening) {
      hooks.on_listening([&main_context, &signals, &exit_code](const std::string& error) {
        log::error("startup failed", {{"error", error}});
        asio::post(main_context, [&signals, &exit_code] {
          exit_code = 1;
          signals.cancel();
        });
      });
    }
    asio::co_spawn(main_context, drain_on_signal(signals, options, hooks, server), asio::detached);
    main_context.run();
  } catch (const std::exception& e) {
    log::error("startup failed", {{"error", e.what()}});
    exit_code = 1;
  }
  if (hooks.on_loop_end) {
    hooks.on_loop_end();
  }
  return exit_code;
}

}  // namespace sre::service
