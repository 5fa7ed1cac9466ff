#include "loadtest/load_connection.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstring>

#include "loadtest/response_framing.h"

namespace sre::loadtest {

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
// Room for any response head; bodies longer than this are read through it in pieces.
constexpr std::size_t kBufferBytes = std::size_t{64} * 1024;

}  // namespace

LoadConnection::LoadConnection(const asio::any_io_executor& executor)
    : socket_(executor), buffer_(kBufferBytes) {}

asio::awaitable<bool> LoadConnection::connect(
    const std::vector<asio::ip::tcp::endpoint>& endpoints) {
  boost::system::error_code ignored;
  socket_.close(ignored);
  filled_ = 0;
  auto [ec, endpoint] = co_await asio::async_connect(socket_, endpoints, nothrow);
  if (ec) {
    socket_.close(ignored);
    co_return false;
  }
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  co_return true;
}

LoadConnection::Answer LoadConnection::fail(Failure failure) {
  boost::system::error_code ignored;
  socket_.close(ignored);
  deadline_.reset();
  filled_ = 0;
  return {overdue_ ? Failure::timeout : failure, 0};
}

void LoadConnection::close_if_overdue(Clock::time_point now) {
  if (deadline_ && now >= *deadline_) {
    overdue_ = true;
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
}

// Reads at most `at_most` more bytes after the ones held; false when the connection failed.
asio::awaitable<bool> LoadConnection::read_more(std::size_t at_most) {
  auto [ec, n] = co_await socket_.async_read_some(
      asio::buffer(buffer_.data() + filled_, std::min(at_most, buffer_.size() - filled_)), nothrow);
  filled_ += n;
  co_return !ec && n != 0;
}

asio::awaitable<LoadConnection::Answer> LoadConnection::exchange(std::string_view request,
                                                                 Clock::time_point deadline,
                                                                 std::string* body) {
  deadline_ = deadline;
  overdue_ = false;
  auto [write_error, written] = co_await asio::async_write(socket_, asio::buffer(request), nothrow);
  if (write_error) {
    co_return fail(Failure::broken);
  }

  ResponseHead head;
  while ((head = parse_response_head({buffer_.data(), filled_})).state ==
         ResponseHead::State::incomplete) {
    if (filled_ == buffer_.size()) {
      co_return fail(Failure::protocol);  // a head larger than the whole buffer
    }
    if (!co_await read_more(buffer_.size())) {
      co_return fail(Failure::broken);
    }
  }
  if (head.state == ResponseHead::State::malformed) {
    co_return fail(Failure::protocol);
  }

  // The body: what arrived with the head, then the rest read through the buffer.
  std::size_t held = filled_ - head.head_bytes;
  if (body != nullptr) {
    body->assign(buffer_.data() + head.head_bytes, std::min(held, head.body_bytes));
  }
  if (held >= head.body_bytes) {
    // Anything after this response (nothing, without pipelining) stays for the next one.
    filled_ = held - head.body_bytes;
    std::memmove(buffer_.data(), buffer_.data() + head.head_bytes + head.body_bytes, filled_);
  } else {
    std::size_t missing = head.body_bytes - held;
    while (missing > 0) {
      filled_ = 0;
      if (!co_await read_more(missing)) {
        co_return fail(Failure::broken);
      }
      if (body != nullptr) {
        body->append(buffer_.data(), filled_);
      }
      missing -= filled_;
    }
    filled_ = 0;
  }
  deadline_.reset();
  if (head.close) {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  co_return Answer{std::nullopt, head.status};
}

}  // namespace sre::loadtest
