#include "loadtest/student_ids.h"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "loadtest/request_texts.h"

namespace sre::loadtest {

namespace {

// Students created when the store has none, so that reads spread over a few rows.
constexpr int kCreatedWhenEmpty = 10;
constexpr std::string_view kFirstPage = "/api/v1/students?limit=100";

using Ids = std::variant<std::vector<std::string>, std::string>;

asio::awaitable<Ids> find_or_create(const LoadtestOptions& options,
                                    const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  LoadConnection connection(co_await asio::this_coro::executor);
  if (!co_await connection.connect(endpoints)) {
    co_return fmt::format("cannot connect to http://{}:{}", options.target.host,
                          options.target.port);
  }
  std::string body;
  auto ask = [&](const std::string& request) -> asio::awaitable<std::optional<std::string>> {
    if (!connection.is_open() && !co_await connection.connect(endpoints)) {
      co_return "the connection was lost";
    }
    auto answer =
        co_await connection.exchange(request, Clock::now() + options.response_timeout, &body);
    if (answer.failure) {
      co_return fmt::format("no answer ({})", name_of(*answer.failure));
    }
    if (answer.status / 100 != 2) {
      co_return fmt::format("status {}: {}", answer.status, body.substr(0, 200));
    }
    co_return std::nullopt;
  };

  if (auto error = co_await ask(request_text(options.target, kFirstPage, options.bearer_token))) {
    co_return fmt::format("GET {}: {}", kFirstPage, *error);
  }
  auto ids = ids_in(body);
  if (!ids.empty()) {
    co_return ids;
  }
  const auto create = request_text(options.target, kStudents, options.bearer_token,
                                   R"({"first_name":"Load","last_name":"Test","grade":7})");
  for (int i = 0; i < kCreatedWhenEmpty; ++i) {
    if (auto error = co_await ask(create)) {
      co_return fmt::format("POST {}: {}", kStudents, *error);
    }
    auto created = ids_in(body);
    ids.insert(ids.end(), created.begin(), created.end());
  }
  if (ids.empty()) {
    co_return std::string("the created students came back without a student_id");
  }
  co_return ids;
}

}  // namespace

std::vector<std::string> ids_in(std::string_view json_text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(json_text, ec);
  std::vector<std::string> ids;
  auto take = [&](const boost::json::value& item) {
    if (const auto* object = item.if_object()) {
      if (const auto* id = object->if_contains("student_id"); id != nullptr && id->is_string()) {
        ids.emplace_back(id->get_string());
      }
    }
  };
  if (ec) {
    return ids;
  }
  if (const auto* array = value.if_array()) {
    for (const auto& item : *array) {
      take(item);
    }
  } else {
    take(value);
  }
  return ids;
}

Ids student_ids(const LoadtestOptions& options,
                const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  asio::io_context io;
  auto result = asio::co_spawn(io, find_or_create(options, endpoints), asio::use_future);
  // No watchdog here: the whole set-up gets the time its requests could take.
  io.run_for(options.response_timeout * (kCreatedWhenEmpty + 2));
  if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    return std::string("the server did not answer within RESPONSE_TIMEOUT_MS");
  }
  return result.get();
}

}  // namespace sre::loadtest
