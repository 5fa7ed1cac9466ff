// The consumer's life inside the worker process. The consumer runs on the HTTP server's first
// I/O thread (where the database driver keeps that thread's connections), from the moment
// the schema is ready until SIGTERM:
//
//   attach(executor)  that I/O thread has started (the server's thread start hook)
//   start()           the schema is ready (from the migrator's thread, or the main thread)
//   stop()            SIGTERM: the batch in hand is finished and settled, then it stops
//   wait_stopped()    the main thread waits for that before the server's threads stop
//
// These calls may come from any thread and in any order (a SIGTERM during start-up
// included); the source and the consumer are only touched on their I/O thread, which owns
// them (they hold its timers and sockets).
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>

#include "store/event_store.h"
#include "worker/event_consumer.h"
#include "worker/event_source.h"
#include "worker/worker_metrics.h"

namespace sre::worker {

class Consumption {
 public:
  // Builds the configured source on the consumer's thread.
  using SourceFactory =
      std::function<std::shared_ptr<EventSource>(const boost::asio::any_io_executor& executor)>;

  Consumption(SourceFactory make_source, store::EventStore& events,
              EventConsumer::DatabaseProbe probe_database, WorkerMetrics& metrics);

  void attach(const boost::asio::any_io_executor& executor);
  void start();
  void stop();
  // True when the consumer has stopped (or never started) within `timeout`.
  bool wait_stopped(std::chrono::seconds timeout);

  // For readiness: started and not stopping; the last receive reached the source.
  bool consuming() const { return consuming_.load(std::memory_order_acquire); }
  bool source_reachable() const;

 private:
  void post_start_if_due();  // with mutex_ held
  void start_on_thread(const boost::asio::any_io_executor& executor);
  void stop_on_thread();
  void mark_stopped();

  SourceFactory make_source_;
  store::EventStore& events_;
  EventConsumer::DatabaseProbe probe_database_;
  WorkerMetrics& metrics_;

  std::mutex mutex_;  // start-up and shutdown only, never per event
  std::optional<boost::asio::any_io_executor> executor_;
  bool start_requested_ = false;
  bool stop_requested_ = false;
  bool start_posted_ = false;

  // Owned by the consumer's event loop; used on its thread only.
  EventConsumer* consumer_ = nullptr;

  std::atomic<bool> consuming_{false};
  std::promise<void> stopped_;
  std::shared_future<void> stopped_future_ = stopped_.get_future().share();
  std::once_flag stopped_once_;
};

}  // namespace sre::worker
