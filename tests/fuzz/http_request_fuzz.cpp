// The whole request path of `serve`, in process: the bytes of one connection, sent to the
// real HTTP server (http/server.h: Beast's parser, the head checks, the target parse) serving
// the real API (api/app.h: router, middlewares, handlers, JSON bodies, validation, a SQLite
// store). The connection code reads from a socket, so this is the smallest entry that runs
// all of it: one loopback connection per input, the input written, the write side closed.
//
// The server must answer or close, never crash, and must still answer a probe afterwards.
// Everything it does on its I/O thread counts as coverage (libFuzzer's counters are global).
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "api/app.h"
#include "api/lifecycle.h"
#include "api/serve_config.h"
#include "auth/jwt.h"
#include "core/log.h"
#include "fuzz_check.h"
#include "http/server.h"
#include "store/open_database.h"
#include "store/startup_migration.h"

namespace {

using namespace sre;

// Every answer within this; the server's own timeouts are longer, but an input that makes it
// wait (a body promised and not sent) ends when we close our side.
constexpr int kReplyTimeoutMs = 10'000;

// The API as `serve` assembles it (api/serve.cpp), with what a fuzz run needs instead of the
// defaults: a private SQLite file, one I/O thread, quiet logs, a grade service that refuses
// at once, and limits high enough that the rate limiter does not answer every input after
// the first hundred (logins stay limited: each costs an argon2 check).
struct Service {
  Service() {
    char pattern[] = "/tmp/sre-playground-fuzz-XXXXXX";
    data_dir = mkdtemp(pattern);
    auto built = core::build(api::serve_settings(),
                             {{"DATA_DIR", data_dir},
                              {"HOST", "127.0.0.1"},
                              {"WORKER_THREADS", "1"},
                              {"LOG_LEVEL", "error"},
                              {"GRADE_SERVICE_URL", "http://127.0.0.1:1"},
                              {"RATE_LIMITS", "* 1000000/s; POST /auth/token 1/h burst 1"}});
    if (!built.options) {
      std::fprintf(stderr, "fuzz configuration refused: %s\n", built.error.c_str());
      std::abort();
    }
    config = *built.options;
    config.server.port = 0;  // any free port (PORT itself accepts 1..65535)
    log::init(config.api.app_name, config.log.level);
    database = store::open_database(config.store, config.api.app_name);
    migration = std::make_unique<store::StartupMigration>(*database, true);
    migration->start([this] { lifecycle.mark_ready(); },
                     [](const std::string& error) {
                       std::fprintf(stderr, "migration failed: %s\n", error.c_str());
                       std::abort();
                     });
    app = std::make_unique<api::App>(config, *database, *database, lifecycle, 1, codec,
                                     auth::Users{});
    server = std::make_unique<http::Server>(
        config.server, [this](http::RequestContext& ctx) { return app->handle(ctx); },
        [this](http::RequestContext& ctx, http::Response& response) {
          app->on_rejected(ctx, response);
        },
        [this](unsigned index, const http::asio::any_io_executor& executor) {
          app->on_io_thread_start(index, executor);
        });
    server->start();
  }

  std::string data_dir;
  api::ServeConfig config;
  auth::TokenCodec codec = auth::TokenCodec::hs256("the fuzzer's own secret", {});
  api::Lifecycle lifecycle;
  std::unique_ptr<store::Database> database;
  std::unique_ptr<store::StartupMigration> migration;
  std::unique_ptr<api::App> app;
  std::unique_ptr<http::Server> server;
};

// Sends `bytes` on a new connection, closes the sending side, and returns everything the
// server wrote until it closed. Aborts when it neither answers nor closes in time.
std::string exchange(std::uint16_t port, std::string_view bytes) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  FUZZ_CHECK(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  FUZZ_CHECK(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  // The server may close before reading everything (an early 400): that is not our failure.
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      break;
    }
    sent += static_cast<std::size_t>(n);
  }
  shutdown(fd, SHUT_WR);
  std::string received;
  for (;;) {
    pollfd ready{fd, POLLIN, 0};
    FUZZ_CHECK(poll(&ready, 1, kReplyTimeoutMs) == 1);  // a hang is a finding too
    char chunk[16384];
    const ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      break;
    }
    received.append(chunk, static_cast<std::size_t>(n));
  }
  close(fd);
  return received;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Made once, never destroyed: its threads run until the process exits.
  static Service* service = new Service();
  const std::uint16_t port = service->server->port();
  const std::string reply =
      exchange(port, std::string_view(reinterpret_cast<const char*>(data), size));
  // An HTTP/1.0 request is answered as HTTP/1.0 (its connection rules apply), any other as 1.1.
  FUZZ_CHECK(reply.empty() || reply.starts_with("HTTP/1.1 ") || reply.starts_with("HTTP/1.0 "));
  // Whatever the input did, the service still answers.
  const std::string probe =
      exchange(port, "GET /health/live HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n\r\n");
  FUZZ_CHECK(probe.starts_with("HTTP/1.1 200 "));
  return 0;
}
