// Where the logger's background thread puts lines: stdout, in batches. spdlog's stdout sink
// flushes after every line when asked to flush each one, which is one write(2) per request
// under load; this sink gathers the lines that are already queued and writes them with one
// call as soon as the queue is empty (or the batch is large), so a quiet service still shows
// each line at once and a busy one pays one system call per batch.
#pragma once

#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>

#include <functional>
#include <string>

namespace sre::log {

// Used by the single background thread of the async logger only (hence no mutex).
class BatchingStdoutSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
 public:
  // `queue_is_empty` says whether more lines are waiting for this thread.
  explicit BatchingStdoutSink(std::function<bool()> queue_is_empty);
  BatchingStdoutSink(const BatchingStdoutSink&) = delete;
  BatchingStdoutSink& operator=(const BatchingStdoutSink&) = delete;
  ~BatchingStdoutSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void write_out();

  std::function<bool()> queue_is_empty_;
  std::string batch_;
};

}  // namespace sre::log
