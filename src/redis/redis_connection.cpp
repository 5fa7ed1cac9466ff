#include "redis/redis_connection.h"

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "core/log.h"
#include "resilience/backoff.h"

namespace sre::redis {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = std::size_t{16} * 1024;

}  // namespace

RedisConnection::RedisConnection(asio::any_io_executor executor, const RedisOptions& options,
                                 RedisMetrics& metrics, unsigned thread_index)
    : executor_(std::move(executor)),
      options_(options),
      metrics_(metrics),
      thread_index_(thread_index),
      socket_(executor_) {}

void RedisConnection::start() {
  metrics_.connections().Increment();
  auto self = shared_from_this();
  asio::co_spawn(
      executor_, [self]() { return self->run(); }, asio::detached);
  asio::co_spawn(
      executor_, [self]() { return self->sweep_timeouts(); }, asio::detached);
}

asio::awaitable<RedisResult> RedisConnection::execute(const std::string& command) {
  if (state_ != State::connected) {
    co_return RedisResult{RedisOutcome::unavailable, {}};
  }
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(RedisResult)>(
      [this, &command](auto handler) {
        // Queue the reply slot and the bytes together: replies come back in this order.
        pending_.push_back({Clock::now() + options_.timeout, std::move(handler)});
        outgoing_ += command;
        if (!writing_) {
          writing_ = true;
          asio::co_spawn(
              executor_, [self = shared_from_this()]() { return self->write_pending(); },
              asio::detached);
        }
      },
      asio::use_awaitable);
}

void RedisConnection::complete(Pending& pending, RedisResult result) {
  // Resume the caller from the event loop, not from inside our reader loop.
  asio::post(executor_,
             [handler = std::move(pending.handler), result = std::move(result)]() mutable {
               std::move(handler)(std::move(result));
             });
}

void RedisConnection::fail_all(RedisOutcome outcome) {
  while (!pending_.empty()) {
    complete(pending_.front(), RedisResult{outcome, {}});
    pending_.pop_front();
  }
  outgoing_.clear();
}

std::chrono::milliseconds RedisConnection::next_backoff() {
  const resilience::BackoffPolicy policy{options_.backoff_initial, options_.backoff_max};
  return resilience::equal_jitter_backoff(policy, failures_in_a_row_,
                                          resilience::thread_random01());
}

asio::awaitable<void> RedisConnection::run() {
  auto self = shared_from_this();  // keeps us alive while the loop runs
  asio::steady_timer pause(executor_);
  for (;;) {
    if (co_await connect_and_handshake()) {
      if (failures_in_a_row_ > 0) {
        log::info("redis connected again",
                  {{"redis", options_.endpoint.describe()}, {"thread", thread_index_}});
      } else {
        log::info("redis connected",
                  {{"redis", options_.endpoint.describe()}, {"thread", thread_index_}});
      }
      failures_in_a_row_ = 0;
      state_ = State::connected;
      metrics_.connected().Increment();
      co_await read_replies();
      metrics_.connected().Decrement();
    }
    state_ = State::disconnected;
    boost::system::error_code ignored;
    socket_.close(ignored);
    fail_all(timed_out_ ? RedisOutcome::timeout : RedisOutcome::unavailable);
    timed_out_ = false;
    reader_.reset();
    metrics_.reconnects().Increment();
    ++failures_in_a_row_;
    pause.expires_after(next_backoff());
    if (auto [ec] = co_await pause.async_wait(nothrow); ec) {
      co_return;
    }
  }
}

asio::awaitable<bool> RedisConnection::connect_and_handshake() {
  state_ = State::connecting;
  connect_deadline_ = Clock::now() + std::max(options_.timeout, std::chrono::milliseconds(1000));
  const auto& endpoint = options_.endpoint;
  // Log the first failure of an outage only: every thread retries every few seconds.
  auto report = [&](std::string_view what, std::string_view error) {
    if (failures_in_a_row_ == 0) {
      log::warn(what, {{"redis", endpoint.describe()},
                       {"thread", thread_index_},
                       {"error", error},
                       {"effect", "cache reads go to the store, rate limits are per instance"}});
    }
  };
  tcp::resolver resolver(executor_);
  auto [resolve_ec, results] =
      co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port), nothrow);
  if (resolve_ec) {
    report("redis unavailable", resolve_ec.message());
    co_return false;
  }
  auto [connect_ec, ignored_endpoint] = co_await asio::async_connect(socket_, results, nothrow);
  if (connect_ec) {
    report("redis unavailable", timed_out_ ? "connect timeout" : connect_ec.message());
    co_return false;
  }
  boost::system::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);

  // AUTH and SELECT from the URL, pipelined, before anyone else may use the connection.
  std::string handshake;
  int expected = 0;
  if (!endpoint.password.empty()) {
    if (endpoint.username.empty()) {
      append_command(handshake, {"AUTH", endpoint.password});
    } else {
      append_command(handshake, {"AUTH", endpoint.username, endpoint.password});
    }
    ++expected;
  }
  if (endpoint.database != 0) {
    std::string db = std::to_string(endpoint.database);
    append_command(handshake, {"SELECT", db});
    ++expected;
  }
  if (expected > 0) {
    auto [write_ec, written] =
        co_await asio::async_write(socket_, asio::buffer(handshake), nothrow);
    std::array<char, 512> buffer{};
    while (!write_ec && expected > 0) {
      auto [read_ec, n] = co_await socket_.async_read_some(asio::buffer(buffer), nothrow);
      if (read_ec) {
        report("redis unavailable", read_ec.message());
        co_return false;
      }
      reader_.feed(std::string_view(buffer.data(), n));
      while (auto reply = reader_.next()) {
        --expected;
        if (reply->is_error()) {
          metrics_.record(RedisCommandName::handshake, RedisOutcome::error, 0);
          // A wrong password is a configuration error: worth an error line each time.
          log::error(
              "redis refused the handshake",
              {{"redis", endpoint.describe()}, {"thread", thread_index_}, {"error", reply->text}});
          co_return false;
        }
      }
    }
    if (write_ec) {
      report("redis unavailable", write_ec.message());
      co_return false;
    }
  }
  connect_deadline_ = Clock::time_point::max();
  co_return true;
}

asio::awaitable<void> RedisConnection::read_replies() {
  std::array<char, kReadChunk> buffer{};
  for (;;) {
    auto [ec, n] = co_await socket_.async_read_some(asio::buffer(buffer), nothrow);
    if (ec) {
      if (failures_in_a_row_ == 0) {
        log::warn("redis connection lost",
                  {{"redis", options_.endpoint.describe()},
                   {"thread", thread_index_},
                   {"error", timed_out_ ? std::string("command timeout") : ec.message()}});
      }
      co_return;
    }
    try {
      reader_.feed(std::string_view(buffer.data(), n));
      while (auto reply = reader_.next()) {
        if (pending_.empty()) {
          throw RespProtocolError("reply without a command");
        }
        const auto outcome = reply->is_error() ? RedisOutcome::error : RedisOutcome::ok;
        complete(pending_.front(), RedisResult{outcome, std::move(*reply)});
        pending_.pop_front();
      }
    } catch (const RespProtocolError& e) {
      log::error("redis protocol error", {{"redis", options_.endpoint.describe()},
                                          {"thread", thread_index_},
                                          {"error", e.what()}});
      co_return;
    }
  }
}

asio::awaitable<void> RedisConnection::write_pending() {
  auto self = shared_from_this();
  while (!outgoing_.empty() && state_ == State::connected) {
    // Everything queued so far goes out in one write: that is the pipelining.
    in_flight_.swap(outgoing_);
    outgoing_.clear();
    auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(in_flight_), nothrow);
    in_flight_.clear();
    if (ec) {
      boost::system::error_code ignored;
      socket_.close(ignored);  // the reader sees it and the run loop cleans up
      break;
    }
  }
  writing_ = false;
}

asio::awaitable<void> RedisConnection::sweep_timeouts() {
  auto self = shared_from_this();
  asio::steady_timer tick(executor_);
  const auto interval = std::clamp<std::chrono::milliseconds>(
      options_.timeout / 4, std::chrono::milliseconds(5), std::chrono::milliseconds(100));
  for (;;) {
    tick.expires_after(interval);
    if (auto [ec] = co_await tick.async_wait(nothrow); ec) {
      co_return;
    }
    const auto now = Clock::now();
    const bool command_late = !pending_.empty() && pending_.front().deadline <= now;
    const bool connect_late = state_ == State::connecting && connect_deadline_ <= now;
    if ((command_late || connect_late) && !timed_out_) {
      timed_out_ = true;
      boost::system::error_code ignored;
      socket_.close(ignored);  // pending reads and writes end with an error
    }
  }
}

}  // namespace sre::redis
