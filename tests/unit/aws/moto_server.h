// A real moto_server (the AWS emulator) for the tests of the AWS clients: started on a free
// loopback port, stopped (SIGTERM, then SIGKILL) when the object goes. No mock: the clients
// are checked against a server that parses and answers like AWS.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

extern char** environ;

namespace sre::aws::testing {

inline unsigned short free_loopback_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

inline bool port_is_open(unsigned short port) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  boost::system::error_code ec;
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  return !ec;
}

class MotoServer {
 public:
  MotoServer() : port_(free_loopback_port()) {
    std::string port = std::to_string(port_);
    const char* argv[] = {"moto_server", "-H", "127.0.0.1", "-p", port.c_str(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    int failed = posix_spawnp(&pid_, "moto_server", &actions, nullptr,
                              const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (failed != 0) {
      throw std::runtime_error("cannot start moto_server (is python3-moto installed?)");
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!port_is_open(port_)) {
      if (std::chrono::steady_clock::now() > give_up) {
        stop();
        throw std::runtime_error("moto_server did not listen within 30 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~MotoServer() { stop(); }
  MotoServer(const MotoServer&) = delete;
  MotoServer& operator=(const MotoServer&) = delete;

  std::string port() const { return std::to_string(port_); }

 private:
  void stop() {
    if (pid_ <= 0) {
      return;
    }
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = 0;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = 0;
  }

  unsigned short port_;
  pid_t pid_ = 0;
};

}  // namespace sre::aws::testing
