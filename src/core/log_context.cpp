#include "core/log_context.h"

namespace sre::log {
namespace {

thread_local const RequestLogContext* current = nullptr;

}  // namespace

const RequestLogContext* current_request_log_context() {
  return current;
}

ScopedRequestLogContext::ScopedRequestLogContext(const RequestLogContext* context)
    : previous_(current) {
  current = context;
}

ScopedRequestLogContext::~ScopedRequestLogContext() {
  current = previous_;
}

boost::asio::any_io_executor without_log_context(const boost::asio::any_io_executor& executor) {
  // The forms the server creates: the io_context's executor, as is or with work tracking.
  using Plain = boost::asio::io_context::executor_type;
  using Tracked = std::decay_t<decltype(boost::asio::require(
      std::declval<Plain>(), boost::asio::execution::outstanding_work.tracked))>;
  if (const auto* wrapped = executor.target<LogContextExecutor<Plain>>()) {
    return wrapped->inner();
  }
  if (const auto* wrapped = executor.target<LogContextExecutor<Tracked>>()) {
    return wrapped->inner();
  }
  return executor;
}

}  // namespace sre::log
