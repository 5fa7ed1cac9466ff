#include "api/audit.h"

#include <boost/json/serialize.hpp>

#include "aws/provisioning.h"
#include "core/errors.h"
#include "core/ids.h"
#include "domain/validation.h"
#include "http/local_reply.h"
#include "http/responses.h"

namespace sre::api {

void AuditApi::register_routes(http::Router& router) {
  router.add(http::Verb::get, "/api/v1/students/{student_id}/audit", http::RouteTag::public_api,
             [this](http::RequestContext& ctx) { return audit(ctx); });
}

void AuditApi::read_from_dynamodb(aws::DynamoDbClient& dynamodb, const std::string& table) {
  dynamodb_ = &dynamodb;
  table_ = aws::audit_table_schema(table);
}

http::asio::awaitable<std::vector<std::string>> AuditApi::local_records(
    const std::string& student_id, int limit) {
  std::string id = student_id;
  auto records = co_await events_.audit_records(std::move(id), limit);
  co_return records;
}

http::asio::awaitable<std::vector<std::string>> AuditApi::dynamodb_records(
    const std::string& student_id, int limit) {
  const aws::DynamoDbClient::IndexQuery query{table_.name, table_.index_name, table_.index_hash_key,
                                              student_id, limit};
  auto items = co_await dynamodb_->query_index(query);
  if (!items.ok()) {
    throw core::DependencyUnavailable(
        "dynamodb", "Query " + table_.name + ": " + items.error.code + ": " + items.error.message);
  }
  std::vector<std::string> records;
  records.reserve(items.value->size());
  for (const auto& item : *items.value) {
    records.push_back(boost::json::serialize(item));
  }
  co_return records;
}

http::asio::awaitable<http::Response> AuditApi::audit(http::RequestContext& ctx) {
  std::string student_id(ctx.path_param("student_id"));
  // `limit` as on the students list (1..1000, default 100).
  auto page = domain::validate_page({}, ctx.query_params("limit"));
  if (auto* errors = std::get_if<domain::FieldErrors>(&page)) {
    co_return http::local_reply::validation_failed(ctx.request, *errors);
  }
  if (!core::is_path_safe_student_id(student_id)) {
    co_return http::local_reply::validation_failed(
        ctx.request, {{{"path", "student_id"},
                       "student_id must be 1..64 characters of A-Z, a-z, 0-9, '-' or '_'",
                       "value_error"}});
  }
  const int at_most = std::get<domain::Page>(page).limit;
  std::vector<std::string> records;
  if (dynamodb_ != nullptr) {
    records = co_await dynamodb_records(student_id, at_most);
  } else {
    records = co_await local_records(student_id, at_most);
  }
  // Each record is JSON text already: spliced in as it is.
  std::string body = R"({"student_id":)" + boost::json::serialize(boost::json::value(student_id)) +
                     R"(,"records":[)";
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (i > 0) {
      body += ',';
    }
    body += records[i];
  }
  body += "]}";
  co_return http::json_response(ctx.request, http::Status::ok, std::string_view(body));
}

}  // namespace sre::api
