#include "worker/consumption.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include "core/io_thread.h"
#include "core/log.h"
#include "core/log_context.h"

namespace sre::worker {

namespace asio = boost::asio;

Consumption::Consumption(SourceFactory make_source, store::EventStore& events,
                         EventConsumer::DatabaseProbe probe_database, WorkerMetrics& metrics)
    : make_source_(std::move(make_source)),
      events_(events),
      probe_database_(std::move(probe_database)),
      metrics_(metrics) {}

void Consumption::attach(const asio::any_io_executor& executor) {
  std::lock_guard lock(mutex_);
  executor_ = executor;
  post_start_if_due();
}

void Consumption::start() {
  std::lock_guard lock(mutex_);
  start_requested_ = true;
  post_start_if_due();
}

void Consumption::post_start_if_due() {
  if (executor_ && start_requested_ && !stop_requested_ && !start_posted_) {
    start_posted_ = true;
    asio::post(*executor_, [this, executor = *executor_] { start_on_thread(executor); });
  }
}

void Consumption::stop() {
  std::lock_guard lock(mutex_);
  if (stop_requested_) {
    return;
  }
  stop_requested_ = true;
  if (start_posted_) {
    // Runs after start_on_thread: both are posted to the same thread, in this order.
    asio::post(*executor_, [this] { stop_on_thread(); });
  } else {
    mark_stopped();  // never started, and now never will
  }
}

void Consumption::start_on_thread(const asio::any_io_executor& executor) {
  std::shared_ptr<EventSource> source;
  try {
    source = make_source_(executor);
  } catch (const std::exception& e) {
    log::error("cannot consume events: the source could not be set up", {{"error", e.what()}});
    mark_stopped();
    return;
  }
  auto consumer =
      std::make_shared<EventConsumer>(*source, events_, probe_database_, metrics_, executor);
  consumer_ = consumer.get();
  // The event loop owns both: their timers must not outlive it.
  auto& context = asio::query(executor, asio::execution::context);
  core::keep_until_shutdown(context, source);
  core::keep_until_shutdown(context, consumer);
  consuming_.store(true, std::memory_order_release);
  asio::co_spawn(log::LogContextExecutor(executor, consumer->log_context()), consumer->run(),
                 [this](const std::exception_ptr& error) {
                   consuming_.store(false, std::memory_order_release);
                   if (error) {
                     try {
                       std::rethrow_exception(error);
                     } catch (const std::exception& e) {
                       log::error("the consumer failed", {{"error", e.what()}});
                     }
                   }
                   mark_stopped();
                 });
}

void Consumption::stop_on_thread() {
  consuming_.store(false, std::memory_order_release);
  if (consumer_ != nullptr) {
    consumer_->stop();
  }
}

void Consumption::mark_stopped() {
  std::call_once(stopped_once_, [this] { stopped_.set_value(); });
}

bool Consumption::wait_stopped(std::chrono::seconds timeout) {
  return stopped_future_.wait_for(timeout) == std::future_status::ready;
}

bool Consumption::source_reachable() const {
  // consumer_ is set before consuming_ turns true (release), and lives as long as the loop.
  return consuming() && consumer_->source_reachable();
}

}  // namespace sre::worker
