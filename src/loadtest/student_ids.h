// The set-up of a mix with reads by id or grades: ids of students that exist, taken from the
// first page of GET /api/v1/students, or created (a few POSTs) when there are none.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "loadtest/load_connection.h"
#include "loadtest/loadtest_options.h"

namespace sre::loadtest {

// The ids, or why they could not be had.
std::variant<std::vector<std::string>, std::string> student_ids(
    const LoadtestOptions& options, const std::vector<asio::ip::tcp::endpoint>& endpoints);

// The student_id of each object of a JSON array (a list page) or of one object (a create's
// answer); empty when the text is neither.
std::vector<std::string> ids_in(std::string_view json_text);

}  // namespace sre::loadtest
