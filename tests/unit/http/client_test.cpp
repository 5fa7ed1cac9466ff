// http::Client against a small HTTP server on loopback, both on one Asio event loop run by a
// thread that plays I/O thread 0 (so the client pools its connections).
#include "http/client.h"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <functional>
#include <thread>

#include "core/io_thread.h"

namespace sre::http {
namespace {

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

// What the test server does with one request on a connection.
struct Answer {
  bhttp::response<bhttp::string_body> response;
  bool close_after = false;   // drop the connection after answering (without saying so)
  bool never_answer = false;  // keep the connection and say nothing
};
using Behaviour = std::function<Answer(const bhttp::request<bhttp::string_body>&)>;

class TestServer {
 public:
  TestServer(asio::io_context& ioc, Behaviour behaviour)
      : acceptor_(ioc, {asio::ip::make_address("127.0.0.1"), 0}), behaviour_(std::move(behaviour)) {
    asio::co_spawn(ioc, accept_loop(), asio::detached);
  }
  std::string port() const { return std::to_string(acceptor_.local_endpoint().port()); }
  int connections = 0;
  std::vector<bhttp::request<bhttp::string_body>> requests;

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
      if (ec) {
        co_return;
      }
      ++connections;
      asio::co_spawn(acceptor_.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      bhttp::request<bhttp::string_body> request;
      auto [ec, n] = co_await bhttp::async_read(socket, buffer, request, nothrow);
      if (ec) {
        co_return;
      }
      requests.push_back(request);
      Answer answer = behaviour_(request);
      if (answer.never_answer) {
        asio::steady_timer wait(socket.get_executor(), 10s);
        co_await wait.async_wait(nothrow);
        co_return;
      }
      answer.response.keep_alive(true);
      answer.response.prepare_payload();
      co_await bhttp::async_write(socket, answer.response, nothrow);
      if (answer.close_after) {
        co_return;
      }
    }
  }

  tcp::acceptor acceptor_;
  Behaviour behaviour_;
};

Answer ok(std::string body) {
  Answer answer;
  answer.response.result(bhttp::status::ok);
  answer.response.set("X-Answer", "yes");
  answer.response.body() = std::move(body);
  return answer;
}

// Runs the coroutine `calls()` on a thread that is I/O thread 0, until it has finished.
// (`calls` is a lambda kept alive here while its coroutine runs: it holds the captures.)
template <typename Calls>
void run_as_io_thread(asio::io_context& ioc, const Calls& calls) {
  std::exception_ptr failure;
  asio::co_spawn(ioc, calls(), [&ioc, &failure](const std::exception_ptr& error) {
    failure = error;
    ioc.stop();
  });
  std::thread thread([&ioc] {
    core::set_io_thread_index(0);
    ioc.run();
  });
  thread.join();
  if (failure) {
    std::rethrow_exception(failure);
  }
}

TEST(HttpClient, SendsMethodHeadersAndBodyAndReadsTheAnswer) {
  asio::io_context ioc;
  TestServer server(ioc, [](const auto& request) { return ok("echo:" + request.body()); });
  Client client(Origin{"127.0.0.1", server.port()});
  ClientResponse response;
  ClientRequest request;
  request.method = bhttp::verb::post;
  request.target = "/queue?Action=Send";
  request.headers = {{"X-Amz-Target", "AmazonSQS.SendMessage"}};
  request.body = R"({"QueueUrl":"q"})";
  run_as_io_thread(ioc,
                   [&]() -> asio::awaitable<void> { response = co_await client.send(request); });

  EXPECT_EQ(response.error, ClientError::none) << response.error_message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"(echo:{"QueueUrl":"q"})");
  EXPECT_EQ(response.headers["X-Answer"], "yes");
  ASSERT_EQ(server.requests.size(), 1U);
  EXPECT_EQ(server.requests[0].method(), bhttp::verb::post);
  EXPECT_EQ(server.requests[0].target(), "/queue?Action=Send");
  EXPECT_EQ(server.requests[0]["X-Amz-Target"], "AmazonSQS.SendMessage");
}

TEST(HttpClient, ReusesItsThreadsConnection) {
  asio::io_context ioc;
  TestServer server(ioc, [](const auto&) { return ok("fine"); });
  Client client(Origin{"127.0.0.1", server.port()});
  std::vector<int> statuses;
  ClientRequest request;
  request.target = "/a";
  run_as_io_thread(ioc, [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 3; ++i) {
      ClientResponse response = co_await client.send(request);
      statuses.push_back(response.status);
    }
  });
  EXPECT_EQ(statuses, (std::vector<int>{200, 200, 200}));
  EXPECT_EQ(server.connections, 1);
}

TEST(HttpClient, RetriesOnceOnAFreshConnectionWhenThePooledOneWasClosed) {
  asio::io_context ioc;
  TestServer server(ioc, [](const auto&) {
    Answer answer = ok("fine");
    answer.close_after = true;  // as a server does when its idle timeout passes
    return answer;
  });
  Client client(Origin{"127.0.0.1", server.port()});
  std::vector<ClientResponse> responses;
  ClientRequest request;
  request.target = "/a";
  run_as_io_thread(ioc, [&]() -> asio::awaitable<void> {
    responses.push_back(co_await client.send(request));
    asio::steady_timer pause(co_await asio::this_coro::executor, 20ms);  // let the close arrive
    co_await pause.async_wait(asio::use_awaitable);
    responses.push_back(co_await client.send(request));
  });
  ASSERT_EQ(responses.size(), 2U);
  EXPECT_EQ(responses[1].error, ClientError::none) << responses[1].error_message;
  EXPECT_EQ(responses[1].status, 200);
  EXPECT_EQ(server.connections, 2);
}

TEST(HttpClient, GivesUpAtTheTimeout) {
  asio::io_context ioc;
  TestServer server(ioc, [](const auto&) {
    Answer answer;
    answer.never_answer = true;
    return answer;
  });
  Client client(Origin{"127.0.0.1", server.port()});
  ClientResponse response;
  ClientRequest request;
  request.target = "/slow";
  request.timeout = 100ms;
  const auto started = std::chrono::steady_clock::now();
  run_as_io_thread(ioc,
                   [&]() -> asio::awaitable<void> { response = co_await client.send(request); });
  EXPECT_EQ(response.error, ClientError::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(HttpClient, ReportsARefusedConnection) {
  asio::io_context ioc;
  std::string port;
  {
    tcp::acceptor probe(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    port = std::to_string(probe.local_endpoint().port());
  }  // closed: nothing listens there now
  Client client(Origin{"127.0.0.1", port});
  ClientResponse response;
  ClientRequest request;
  run_as_io_thread(ioc,
                   [&]() -> asio::awaitable<void> { response = co_await client.send(request); });
  EXPECT_EQ(response.error, ClientError::connection);
  EXPECT_NE(response.error_message.find("connect"), std::string::npos) << response.error_message;
}

}  // namespace
}  // namespace sre::http
