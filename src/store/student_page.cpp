#include "store/student_page.h"

namespace sre::store {

std::int64_t rows_to_fetch(const domain::Page& page) {
  return static_cast<std::int64_t>(page.limit) + 1 + (page.after ? 1 : 0);
}

ListOutcome page_of_rows(std::vector<domain::StudentView> rows, std::shared_ptr<const void> kept,
                         const domain::Page& page) {
  if (page.after) {
    // The rows start at the smallest id >= the cursor's: the cursor's own row when it exists.
    if (rows.empty() || rows.front().student_id != *page.after) {
      return UnknownCursor{};
    }
    rows.erase(rows.begin());
  }
  StudentPage result;
  result.more = rows.size() > static_cast<std::size_t>(page.limit);
  if (result.more) {
    rows.resize(static_cast<std::size_t>(page.limit));
  }
  result.students = std::move(rows);
  result.rows = std::move(kept);
  return result;
}

ListOutcome page_of_students(std::vector<domain::Student> rows, const domain::Page& page) {
  auto kept = std::make_shared<const std::vector<domain::Student>>(std::move(rows));
  std::vector<domain::StudentView> views;
  views.reserve(kept->size());
  for (const auto& student : *kept) {
    views.push_back(domain::view_of(student));
  }
  return page_of_rows(std::move(views), std::move(kept), page);
}

}  // namespace sre::store
