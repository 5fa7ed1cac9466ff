#include "api/store_warm_up.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <memory>

#include "core/log.h"

namespace sre::api {

namespace asio = boost::asio;

namespace {

struct WarmUp {
  WarmUp(std::size_t threads, WarmUpDone done)
      : remaining(threads), on_done(std::move(done)), started(std::chrono::steady_clock::now()) {}

  std::atomic<std::size_t> remaining;
  WarmUpDone on_done;
  std::chrono::steady_clock::time_point started;
};

// A coroutine function, not a lambda: its parameters are copied into the coroutine's frame,
// where a lambda's captures would die with the lambda before the coroutine ends.
asio::awaitable<void> ping_on_this_thread(std::shared_ptr<WarmUp> warm_up,
                                          store::StudentStore& store, std::size_t thread) {
  try {
    co_await store.ping();
  } catch (const std::exception& e) {
    log::warn("store warm-up ping failed", {{"io_thread", thread}, {"error", e.what()}});
  }
  if (warm_up->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    warm_up->on_done(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - warm_up->started));
  }
}

}  // namespace

void warm_up_store(const std::vector<asio::any_io_executor>& io_threads, store::StudentStore& store,
                   WarmUpDone on_done) {
  if (io_threads.empty()) {
    on_done(std::chrono::milliseconds(0));
    return;
  }
  auto warm_up = std::make_shared<WarmUp>(io_threads.size(), std::move(on_done));
  for (std::size_t thread = 0; thread < io_threads.size(); ++thread) {
    asio::co_spawn(io_threads[thread], ping_on_this_thread(warm_up, store, thread), asio::detached);
  }
}

}  // namespace sre::api
