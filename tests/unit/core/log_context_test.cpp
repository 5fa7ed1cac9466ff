#include "core/log_context.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <vector>

#include "core/log.h"

namespace sre::log {
namespace {

namespace asio = boost::asio;

std::string request_id_of(const std::string& line) {
  const boost::json::value parsed = boost::json::parse(line);
  const auto* id = parsed.as_object().if_contains("request_id");
  return id != nullptr ? std::string(id->as_string()) : std::string("<none>");
}

// One request's coroutine: logs, yields to the other request, logs again, several times.
// (`tag` by reference to a named string: g++ 12 mishandles temporaries passed by value.)
asio::awaitable<void> request(std::vector<std::string>& lines, const std::string& tag) {
  auto executor = co_await asio::this_coro::executor;
  for (int step = 0; step < 3; ++step) {
    lines.push_back(tag + " " + request_id_of(render(Level::info, "test", "step", {})));
    co_await asio::post(executor, asio::use_awaitable);  // the other request runs meanwhile
    asio::steady_timer timer(executor, std::chrono::milliseconds(1));
    co_await timer.async_wait(asio::use_awaitable);
  }
}

TEST(RequestLogContext, InterleavedRequestsOnOneThreadEachLogTheirOwnIds) {
  asio::io_context ioc;
  const std::string id_a = "aaaa", id_b = "bbbb", trace = "tttt";
  RequestLogContext a{&id_a, &trace};
  RequestLogContext b{&id_b, &trace};
  const std::string tag_a = "a", tag_b = "b";
  std::vector<std::string> lines;
  asio::co_spawn(LogContextExecutor(ioc.get_executor(), &a), request(lines, tag_a), asio::detached);
  asio::co_spawn(LogContextExecutor(ioc.get_executor(), &b), request(lines, tag_b), asio::detached);
  ioc.run();

  ASSERT_EQ(lines.size(), 6U);
  for (const auto& line : lines) {
    EXPECT_TRUE(line == "a aaaa" || line == "b bbbb") << line;
  }
  // They did interleave: the first two steps are one of each.
  EXPECT_NE(lines[0].substr(0, 1), lines[1].substr(0, 1));
  // Outside the requests' steps there is no request context.
  EXPECT_EQ(current_request_log_context(), nullptr);
  EXPECT_EQ(request_id_of(render(Level::info, "test", "outside", {})), "<none>");
}

TEST(RequestLogContext, AnEmptyIdIsLeftOut) {
  const std::string empty;
  RequestLogContext context{&empty, &empty};
  ScopedRequestLogContext scope(&context);
  EXPECT_EQ(request_id_of(render(Level::info, "test", "m", {})), "<none>");
}

TEST(RequestLogContext, WithoutLogContextGivesThePlainExecutor) {
  asio::io_context ioc;
  RequestLogContext context;
  asio::any_io_executor wrapped = LogContextExecutor(ioc.get_executor(), &context);
  EXPECT_EQ(
      without_log_context(wrapped).target<LogContextExecutor<asio::io_context::executor_type>>(),
      nullptr);
  EXPECT_TRUE(without_log_context(wrapped) == asio::any_io_executor(ioc.get_executor()));
}

}  // namespace
}  // namespace sre::log
