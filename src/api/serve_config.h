// What `sre-playground serve` is configured with: one typed options struct per folder it
// uses, composed from their owners' rows. Each part is handed to its subsystem as is.
#pragma once

#include <vector>

#include "api/api_options.h"
#include "auth/auth_options.h"
#include "aws/aws_options.h"
#include "cache/cache_options.h"
#include "core/config.h"
#include "core/log_options.h"
#include "events/relay_options.h"
#include "grades/grades_options.h"
#include "http/cors_options.h"
#include "http/server.h"
#include "ratelimit/rate_limit_options.h"
#include "redis/redis_settings.h"
#include "resilience/load_shedder.h"
#include "service/service_options.h"
#include "store/store_options.h"
#include "students/student_options.h"

namespace sre::api {

struct ServeConfig {
  http::ServerOptions server;
  http::CorsOptions cors;
  core::LogOptions log;
  ApiOptions api;
  service::ServiceOptions service;
  store::StoreOptions store;
  students::StudentOptions students;
  redis::RedisSettings redis;
  cache::CacheOptions cache;
  ratelimit::RateLimitOptions rate_limit;
  grades::GradesOptions grades;
  resilience::LoadShedderOptions load_shedding;
  auth::AuthOptions auth;
  aws::AwsOptions aws;
  events::RelayOptions relay;
};

const std::vector<core::Setting<ServeConfig>>& serve_settings();

// What `sre-playground migrate` is configured with: the store, and the name it connects as.
struct MigrateConfig {
  ApiOptions api;
  store::StoreOptions store;
};

const std::vector<core::Setting<MigrateConfig>>& migrate_settings();

}  // namespace sre::api
