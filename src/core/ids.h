// Identifiers: public student ids, request ids and trace ids.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sre::core {

// Whether every character of `text` is a hex digit with letters of one case only (true for
// ""): student ids use uppercase, request, trace and span ids lowercase.
enum class HexCase : std::uint8_t { lower, upper };
bool is_hex(std::string_view text, HexCase letters);

// "STU-" followed by 8 uppercase hex digits, e.g. STU-1A2B3C4D. Random, so two instances
// never coordinate; the student service draws again on the (rare) unique conflict.
std::string generate_student_id();
// Whether `text` has exactly the format generate_student_id() draws. The students API knows
// no other ids, so anything else is "not found" without asking the database.
bool is_generated_student_id(std::string_view text);

// Whether `id` is safe to put in a URL path and a log line: 1..64 characters of
// [A-Za-z0-9_-]. Looser than is_generated_student_id on purpose: grades are asked for by id
// alone (the student need not exist in our store), and the seed's demo id STU-123 must work.
// The API's grades endpoint and the grade service both check it.
bool is_path_safe_student_id(std::string_view id);

// A random UUID, version 4 (RFC 9562), lowercase: 8-4-4-4-12 hex digits. Event ids and audit
// record ids: unique across instances without coordination (122 random bits).
std::string generate_uuid_v4();

// A request id for X-Request-ID when the client sent none: 32 lowercase hex digits.
std::string generate_request_id();

// Accepts a client-supplied X-Request-ID only when it is 1..128 characters of
// [A-Za-z0-9._-]: anything else could smuggle newlines or markup into our logs.
bool is_acceptable_request_id(std::string_view text);

// W3C trace context ids (core/trace_context.h), lowercase hex: a trace id of 32 digits (128
// random bits) and a span id of 16 (64 bits). Never all zeros, which the standard reserves.
std::string generate_trace_id();
std::string generate_span_id();

}  // namespace sre::core
