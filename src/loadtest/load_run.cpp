#include "loadtest/load_run.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <thread>

namespace sre::loadtest {

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// How often each thread looks for requests past their deadline: a timeout is known to within
// this, for one timer per thread instead of one per request.
constexpr auto kWatchdogTick = std::chrono::milliseconds(20);
// A closed-loop connection that cannot connect waits this long before trying again, instead
// of spinning on a refused port.
constexpr auto kReconnectPause = std::chrono::milliseconds(10);
// How often the progress thread checks whether the run has ended.
constexpr auto kEndPoll = std::chrono::milliseconds(20);

std::uint64_t micros_between(Clock::time_point from, Clock::time_point to) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(to - from).count());
}

}  // namespace

struct LoadRun::LoadThread {
  asio::io_context io{1};
  RunStats stats;
  std::deque<LoadConnection> connections;  // stable addresses for the coroutines
  unsigned driving = 0;                    // connections not finished yet; this thread's only
  std::atomic<bool> finished{false};
  Clock::time_point last_answer;
  std::thread thread;
};

LoadRun::LoadRun(RunSetup setup) : setup_(std::move(setup)) {}

LoadRun::~LoadRun() {
  for (auto& thread : threads_) {
    if (thread->thread.joinable()) {
      thread->thread.join();
    }
  }
}

Clock::time_point LoadRun::at(Clock::duration offset) const {
  if (offset >= Clock::time_point::max() - start_) {
    return Clock::time_point::max();
  }
  return start_ + offset;
}

const std::string& LoadRun::request_for(PickRandom& random, std::uint64_t k) const {
  if (!setup_.mix) {
    return setup_.texts.fixed_request();
  }
  return setup_.texts.of(setup_.mix->pick(random.next()), k);
}

asio::awaitable<void> LoadRun::drive(LoadThread& thread, LoadConnection& connection,
                                     unsigned index) {
  const RunPlan& plan = setup_.plan;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  PickRandom random(index * 2654435761u + 1);
  const auto end = at(std::chrono::duration_cast<Clock::duration>(plan.duration()));
  // An open loop sends late requests after the end too, until the latest of them could have
  // timed out; those still unsent then are counted, not dropped.
  const auto last_send = end == Clock::time_point::max() ? end : end + setup_.response_timeout;
  for (std::uint64_t k = 0; plan.includes(plan.number(index, k)); ++k) {
    auto now = Clock::now();
    Clock::time_point timed_from = now;
    if (plan.open_loop()) {
      timed_from = start_ + plan.due(plan.number(index, k));
      if (timed_from > now) {
        timer.expires_at(timed_from);
        co_await timer.async_wait(nothrow);
      } else if (now >= last_send) {
        std::uint64_t unsent = 0;
        for (; plan.includes(plan.number(index, k)); ++k) {
          ++unsent;
        }
        thread.stats.failed(Failure::unsent, unsent);
        break;
      }
    } else if (now >= end) {
      break;
    }
    if (!connection.is_open() && !co_await connection.connect(setup_.endpoints)) {
      thread.stats.failed(Failure::connect);
      if (!plan.open_loop()) {
        timer.expires_after(kReconnectPause);
        co_await timer.async_wait(nothrow);
      }
      continue;
    }
    const auto& request = request_for(random, k);
    const auto sent = Clock::now();
    if (!plan.open_loop()) {
      timed_from = sent;  // a closed loop times the exchange; its connect is not the server's
    }
    auto answer = co_await connection.exchange(request, sent + setup_.response_timeout);
    const auto answered = Clock::now();
    if (answer.failure) {
      thread.stats.failed(*answer.failure);
    } else {
      thread.stats.answered(answer.status, micros_between(timed_from, answered));
    }
    thread.last_answer = answered;
  }
  --thread.driving;
}

asio::awaitable<void> LoadRun::watch(LoadThread& thread) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  while (thread.driving > 0) {
    timer.expires_after(kWatchdogTick);
    co_await timer.async_wait(nothrow);
    const auto now = Clock::now();
    for (auto& connection : thread.connections) {
      connection.close_if_overdue(now);
    }
  }
}

void LoadRun::run(const Progress& on_progress, Clock::duration interval) {
  const unsigned connections = setup_.plan.connections();
  const unsigned count = std::max(1u, std::min(setup_.threads, connections));
  for (unsigned t = 0; t < count; ++t) {
    threads_.push_back(std::make_unique<LoadThread>());
  }
  // Connection i runs on thread i % count; its number i fixes its share of the plan.
  start_ = Clock::now();
  for (unsigned i = 0; i < connections; ++i) {
    auto& thread = *threads_[i % count];
    auto& connection = thread.connections.emplace_back(thread.io.get_executor());
    ++thread.driving;
    asio::co_spawn(thread.io, drive(thread, connection, i), asio::detached);
  }
  for (auto& thread : threads_) {
    thread->last_answer = start_;
    asio::co_spawn(thread->io, watch(*thread), asio::detached);
    thread->thread = std::thread([&thread = *thread] {
      thread.io.run();
      thread.finished.store(true, std::memory_order_release);
    });
  }

  auto next_progress = start_ + interval;
  auto all_finished = [&] {
    for (const auto& thread : threads_) {
      if (!thread->finished.load(std::memory_order_acquire)) {
        return false;
      }
    }
    return true;
  };
  while (!all_finished()) {
    std::this_thread::sleep_for(kEndPoll);
    if (const auto now = Clock::now(); now >= next_progress) {
      next_progress += interval;
      RunStats so_far;
      for (const auto& thread : threads_) {
        so_far.add(thread->stats);
      }
      on_progress(so_far, now - start_);
    }
  }
  Clock::time_point last = start_;
  for (auto& thread : threads_) {
    thread->thread.join();
    last = std::max(last, thread->last_answer);
  }
  elapsed_ = last - start_;
}

void LoadRun::total_into(RunStats& total) const {
  for (const auto& thread : threads_) {
    total.add(thread->stats);
  }
}

}  // namespace sre::loadtest
