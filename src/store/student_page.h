// What both engines do around their list query: how many rows to ask for, and how those rows
// become a page. An engine fetches rows_to_fetch(page) rows in id order, starting at the
// cursor's own row for a keyset page (`id >=` the cursor's id) or after `skip` rows, and
// hands them to page_of_rows().
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "domain/student.h"
#include "domain/validation.h"
#include "store/student_store.h"

namespace sre::store {

// The page's limit, plus one row to learn whether more follow, plus, for a keyset page, the
// cursor's own row (fetched to tell "no such student" from "nothing after it").
std::int64_t rows_to_fetch(const domain::Page& page);

// The page in `rows` (fetched as above), which point into `kept`: UnknownCursor when a keyset
// page's cursor row is not among them (its student is gone), else at most `limit` students
// after the cursor or skip.
ListOutcome page_of_rows(std::vector<domain::StudentView> rows, std::shared_ptr<const void> kept,
                         const domain::Page& page);
// The same, for an engine that read its rows into Students: the page keeps them.
ListOutcome page_of_students(std::vector<domain::Student> rows, const domain::Page& page);

}  // namespace sre::store
