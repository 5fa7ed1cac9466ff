#include "grades/grade_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <optional>
#include <vector>

#include "grades/grades.h"

namespace sre::grades {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kMaxIdlePerThread = 64;
constexpr std::size_t kMaxResponseBody = std::size_t{64} * 1024;

// Idle keep-alive connections of this I/O thread (see the header).
thread_local std::vector<beast::tcp_stream> t_idle;

bool is_stale_connection_error(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == http::error::partial_message;
}

AttemptResult failure(AttemptOutcome outcome, std::string error, int status = 0) {
  AttemptResult result;
  result.outcome = outcome;
  result.status = status;
  result.error = std::move(error);
  return result;
}

AttemptResult classify(const http::response<http::string_body>& response) {
  const int status = static_cast<int>(response.result_int());
  if (status >= 500 || status == 429) {
    return failure(AttemptOutcome::server_error, "grade service answered " + std::to_string(status),
                   status);
  }
  if (status != 200) {
    return failure(AttemptOutcome::bad_response, "grade service answered " + std::to_string(status),
                   status);
  }
  boost::system::error_code ec;
  auto body = boost::json::parse(response.body(), ec);
  const auto* object = ec ? nullptr : body.if_object();
  const auto* grades = object != nullptr ? object->if_contains("grades") : nullptr;
  if (grades == nullptr || !grades_from_json(*grades)) {
    return failure(AttemptOutcome::bad_response, "grade service answer is not a grades document",
                   status);
  }
  AttemptResult result;
  result.outcome = AttemptOutcome::success;
  result.status = status;
  result.grades_json = boost::json::serialize(*grades);
  return result;
}

}  // namespace

GradeServiceAddress parse_grade_service_url(std::string_view url) {
  GradeServiceAddress out;
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) {
    return out;  // validated at configuration (core/config.cpp); not reached
  }
  out.host = parsed->host_address();
  out.port = parsed->has_port() ? std::string(parsed->port()) : "80";
  out.base_path = parsed->path();
  while (!out.base_path.empty() && out.base_path.back() == '/') {
    out.base_path.pop_back();
  }
  return out;
}

std::string_view to_string(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::success:
      return "success";
    case AttemptOutcome::timeout:
      return "timeout";
    case AttemptOutcome::connection_error:
      return "connection_error";
    case AttemptOutcome::server_error:
      return "server_error";
    case AttemptOutcome::bad_response:
      return "bad_response";
  }
  return "unknown";
}

bool is_retryable(AttemptOutcome outcome) {
  return outcome == AttemptOutcome::timeout || outcome == AttemptOutcome::connection_error ||
         outcome == AttemptOutcome::server_error;
}

GradeClient::GradeClient(GradeServiceAddress address) : address_(std::move(address)) {}

asio::awaitable<AttemptResult> GradeClient::fetch(const AttemptRequest& request) const {
  auto executor = co_await asio::this_coro::executor;
  const auto attempt_deadline = std::chrono::steady_clock::now() + request.timeout;

  http::request<http::empty_body> message{http::verb::get,
                                          address_.base_path + "/grades/" + request.student_id, 11};
  message.set(http::field::host, address_.host + ":" + address_.port);
  message.set("X-Request-ID", request.request_id);
  message.set("X-Request-Timeout-Ms",
              std::to_string(std::max<long long>(1, request.remaining_budget.count())));
  message.keep_alive(true);

  // At most two tries: a pooled connection that turns out to be closed, then a fresh one.
  for (int use = 0; use < 2; ++use) {
    std::optional<beast::tcp_stream> stream;
    bool reused = false;
    if (!t_idle.empty()) {
      stream.emplace(std::move(t_idle.back()));
      t_idle.pop_back();
      reused = true;
    } else {
      stream.emplace(executor);
    }
    stream->expires_at(attempt_deadline);

    if (!reused) {
      tcp::resolver resolver(executor);
      auto [resolve_ec, endpoints] =
          co_await resolver.async_resolve(address_.host, address_.port, nothrow);
      if (resolve_ec) {
        co_return failure(AttemptOutcome::connection_error, "resolve: " + resolve_ec.message());
      }
      auto [connect_ec, endpoint] = co_await stream->async_connect(endpoints, nothrow);
      if (connect_ec) {
        co_return failure(connect_ec == beast::error::timeout ? AttemptOutcome::timeout
                                                              : AttemptOutcome::connection_error,
                          "connect: " + connect_ec.message());
      }
      stream->socket().set_option(tcp::no_delay(true));
    }

    auto [write_ec, written] = co_await http::async_write(*stream, message, nothrow);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    boost::system::error_code read_ec = write_ec;
    if (!write_ec) {
      auto [ec, n] = co_await http::async_read(*stream, buffer, parser, nothrow);
      read_ec = ec;
    }
    if (read_ec) {
      if (reused && is_stale_connection_error(read_ec) && !parser.is_header_done()) {
        continue;  // the server closed this idle connection; try a fresh one
      }
      co_return failure(read_ec == beast::error::timeout ? AttemptOutcome::timeout
                                                         : AttemptOutcome::connection_error,
                        read_ec.message());
    }
    auto response = parser.release();
    if (response.keep_alive() && t_idle.size() < kMaxIdlePerThread) {
      stream->expires_never();
      t_idle.push_back(std::move(*stream));
    }
    co_return classify(response);
  }
  co_return failure(AttemptOutcome::connection_error, "connection closed by the grade service");
}

}  // namespace sre::grades
