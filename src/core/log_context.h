// The log context of a request (its request id, trace id and span id), carried by the request's
// coroutine: every log line written while one of its steps runs carries the ids, so lower
// layers (cache, rate limiter, store) log with log::warn(...) and no id parameters.
//
// How it travels: the HTTP server runs each connection's coroutine on a LogContextExecutor,
// an executor that wraps the I/O thread's own and, around every function it runs (each
// resumption of the coroutine after an await), makes the connection's RequestLogContext the
// thread's current one. Many requests interleave on one I/O thread; each step still sees
// its own request's context. The cost per resumption is two thread-local stores.
//
// The context points at the ids of the request being served (the connection updates it per
// request and clears it between requests). Work that a request spawned and that outlives it
// runs under whatever request its connection serves next; long-lived objects created from a
// request's executor (a connection pool) should take without_log_context(executor).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/query.hpp>
#include <boost/asio/require.hpp>
#include <string>
#include <utility>

namespace sre::log {

struct RequestLogContext {
  const std::string* request_id = nullptr;  // null or "": the line has no request_id
  const std::string* trace_id = nullptr;
  const std::string* span_id = nullptr;  // the request's own span (core/trace_context.h)
};

// The context of the request this thread is running a step of, or nullptr.
const RequestLogContext* current_request_log_context();

// Makes `context` the thread's current one for its lifetime, then restores the previous.
class ScopedRequestLogContext {
 public:
  explicit ScopedRequestLogContext(const RequestLogContext* context);
  ~ScopedRequestLogContext();
  ScopedRequestLogContext(const ScopedRequestLogContext&) = delete;
  ScopedRequestLogContext& operator=(const ScopedRequestLogContext&) = delete;

 private:
  const RequestLogContext* previous_;
};

// Wraps executor `Inner`; see the header comment. Small enough (Inner plus a pointer) that
// asio::any_io_executor stores it without allocating.
template <typename Inner>
class LogContextExecutor {
 public:
  LogContextExecutor(Inner inner, const RequestLogContext* context) noexcept
      : inner_(std::move(inner)), context_(context) {}

  template <typename Function>
  void execute(Function function) const {
    inner_.execute([context = context_, function = std::move(function)]() mutable {
      ScopedRequestLogContext scope(context);
      std::move(function)();
    });
  }

  template <typename Property>
  requires boost::asio::can_query_v<const Inner&, Property>
  decltype(auto) query(const Property& property) const {
    return boost::asio::query(inner_, property);
  }

  template <typename Property>
  requires boost::asio::can_require_v<const Inner&, Property>
  auto require(const Property& property) const {
    return LogContextExecutor<std::decay_t<decltype(boost::asio::require(inner_, property))>>(
        boost::asio::require(inner_, property), context_);
  }

  template <typename Property>
  requires boost::asio::can_prefer_v<const Inner&, Property>
  auto prefer(const Property& property) const {
    return LogContextExecutor<std::decay_t<decltype(boost::asio::prefer(inner_, property))>>(
        boost::asio::prefer(inner_, property), context_);
  }

  const Inner& inner() const noexcept { return inner_; }
  bool operator==(const LogContextExecutor& other) const noexcept {
    return inner_ == other.inner_ && context_ == other.context_;
  }

 private:
  Inner inner_;
  const RequestLogContext* context_;
};

// `executor` without a request's log context, if it has one (for objects that outlive the
// request that created them, such as a connection pool).
boost::asio::any_io_executor without_log_context(const boost::asio::any_io_executor& executor);

}  // namespace sre::log
