#include "grade_service/grade_book.h"

#include <array>
#include <boost/json/object.hpp>
#include <cstdint>

namespace sre::grade_service {
namespace {

constexpr std::array<std::string_view, 5> kSubjects = {"Mathematics", "English", "Science",
                                                       "History", "Art"};
constexpr int kLowestGrade = 50;
constexpr std::uint64_t kGradeSpan = 51;  // 50..100

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

}  // namespace

boost::json::array grades_for(std::string_view student_id) {
  std::uint64_t state = fnv1a(student_id);
  boost::json::array out;
  out.reserve(kSubjects.size());
  for (auto subject : kSubjects) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;  // LCG step (Knuth MMIX)
    out.push_back(boost::json::object{
        {"subject", subject},
        {"grade", kLowestGrade + static_cast<int>((state >> 33) % kGradeSpan)}});
  }
  return out;
}

}  // namespace sre::grade_service
