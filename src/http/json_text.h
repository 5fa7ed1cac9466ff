// JSON bodies as text. Boost.JSON writes every double in exponent form (0.5 as 5E-1, 1.0 as
// 1E0): valid JSON, but not what an operator expects to read from an admin endpoint, and not
// what the Python original sent. Here doubles are plain decimals (0.5, 1.0, 0.0001); values
// without doubles, nearly every response, go straight to Boost.JSON's serializer.
#pragma once

#include <boost/json/value.hpp>
#include <string>

namespace sre::http {

std::string to_json_text(const boost::json::value& value);

}  // namespace sre::http
