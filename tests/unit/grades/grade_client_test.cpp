// What each answer of the grade service means to the retry loop and the breaker.
#include "grades/grade_client.h"

#include <gtest/gtest.h>

namespace sre::grades {
namespace {

http::ClientResponse answer(int status, std::string body = "") {
  http::ClientResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

http::ClientResponse no_answer(http::ClientError error) {
  http::ClientResponse response;
  response.error = error;
  response.error_message = "x";
  return response;
}

TEST(ClassifyAnswer, GradesDocumentIsASuccess) {
  auto result = classify_answer(answer(200, R"({"student_id":"STU-1","grades":[]})"));
  EXPECT_EQ(result.outcome, AttemptOutcome::success);
  EXPECT_EQ(result.grades_json, "[]");
}

// The grade service answers 504 when the X-Request-Timeout-Ms we sent runs out: the same
// event as our own timer firing, so both must read as a timeout whichever comes first.
TEST(ClassifyAnswer, GatewayTimeoutAtOurDeadlineIsATimeout) {
  EXPECT_EQ(classify_answer(answer(504)).outcome, AttemptOutcome::timeout);
  EXPECT_EQ(classify_answer(no_answer(http::ClientError::timeout)).outcome,
            AttemptOutcome::timeout);
}

TEST(ClassifyAnswer, ServerErrorsAndThrottlingAreRetryableServerErrors) {
  for (int status : {500, 502, 503, 429}) {
    auto result = classify_answer(answer(status));
    EXPECT_EQ(result.outcome, AttemptOutcome::server_error) << status;
    EXPECT_EQ(result.status, status);
    EXPECT_TRUE(is_retryable(result.outcome));
  }
}

TEST(ClassifyAnswer, OtherStatusesAndBadBodiesAreNotRetried) {
  for (const auto& response :
       {answer(404), answer(422), answer(200, "not json"), answer(200, R"({"grades":"none"})")}) {
    auto result = classify_answer(response);
    EXPECT_EQ(result.outcome, AttemptOutcome::bad_response) << response.status;
    EXPECT_FALSE(is_retryable(result.outcome));
  }
}

TEST(ClassifyAnswer, RefusedOrResetIsAConnectionError) {
  EXPECT_EQ(classify_answer(no_answer(http::ClientError::connection)).outcome,
            AttemptOutcome::connection_error);
}

}  // namespace
}  // namespace sre::grades
