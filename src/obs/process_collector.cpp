#include "obs/process_collector.h"

#include <prometheus/client_metric.h>
#include <prometheus/metric_family.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace sre::obs {
namespace {

prometheus::MetricFamily gauge(std::string name, std::string help, double value,
                               prometheus::MetricType type = prometheus::MetricType::Gauge) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return {std::move(name), std::move(help), type, {metric}};
}

struct StatFields {
  double cpu_seconds = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
};

// /proc/self/stat: fields after the command name (which may contain spaces) are positional.
StatFields read_stat() {
  std::ifstream file("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  StatFields fields;
  auto close_paren = content.rfind(')');
  if (close_paren == std::string::npos) {
    return fields;
  }
  std::istringstream rest(content.substr(close_paren + 2));
  std::string value;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  // Field numbers from proc(5), counting from 3 (state) after the command.
  for (int field = 3; rest >> value; ++field) {
    if (field == 14 || field == 15) {  // utime, stime
      fields.cpu_seconds += std::stod(value) / ticks;
    } else if (field == 23) {  // vsize (bytes)
      fields.virtual_bytes = std::stod(value);
    } else if (field == 24) {  // rss (pages)
      fields.resident_bytes = std::stod(value) * page;
      break;
    }
  }
  return fields;
}

double count_open_fds() {
  std::error_code ec;
  double count = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++count;
  }
  return count;
}

}  // namespace

ProcessCollector::ProcessCollector()
    : start_time_seconds_(
          std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
              .count()) {}

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  StatFields stat = read_stat();
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  return {
      gauge("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
            stat.cpu_seconds, prometheus::MetricType::Counter),
      gauge("process_resident_memory_bytes", "Resident memory size in bytes.", stat.resident_bytes),
      gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", stat.virtual_bytes),
      gauge("process_open_fds", "Number of open file descriptors.", count_open_fds()),
      gauge("process_max_fds", "Maximum number of open file descriptors.",
            static_cast<double>(limit.rlim_cur)),
      gauge("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
            start_time_seconds_),
  };
}

}  // namespace sre::obs
