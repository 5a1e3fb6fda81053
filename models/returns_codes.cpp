#include "models/returns_codes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <utility>

#include "models/random.hpp"

namespace frontdoor {

namespace {

bool contains(std::string_view text, std::string_view word) { return text.find(word) != std::string_view::npos; }

// A weighted choice on the child's hash: the first code whose cumulative weight passes the hash.
template <std::size_t N>
const char* choose(const std::array<std::pair<const char*, double>, N>& table, double u) {
  double total = 0.0;
  for (const auto& [code, weight] : table) total += weight;
  double cumulative = 0.0;
  for (const auto& [code, weight] : table) {
    cumulative += weight / total;
    if (u < cumulative) return code;
  }
  return table.back().first;
}

constexpr std::uint64_t salt_need = 0x6e656564;  // "need"
constexpr std::uint64_t salt_abuse = 0x61627573;
constexpr std::uint64_t salt_provider = 0x70726f76;

}  // namespace

std::chrono::year_month_day date_of_day(std::chrono::year_month_day start, double day) {
  return std::chrono::year_month_day{std::chrono::sys_days{start} +
                                     std::chrono::days{static_cast<long>(std::floor(day))}};
}

int day_of_date(std::chrono::year_month_day start, std::chrono::year_month_day date) {
  return static_cast<int>((std::chrono::sys_days{date} - std::chrono::sys_days{start}).count());
}

std::string dmy(std::chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  return text;
}

std::string iso(std::chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                static_cast<unsigned>(date.day()));
  return text;
}

int age_on(std::chrono::year_month_day born, std::chrono::year_month_day on) {
  int age = static_cast<int>(on.year()) - static_cast<int>(born.year());
  if (std::chrono::month_day{on.month(), on.day()} < std::chrono::month_day{born.month(), born.day()}) --age;
  return std::max(age, 0);
}

double child_hash_unit(std::int64_t child, std::uint64_t salt) {
  const std::uint64_t h = splitmix64(splitmix64(static_cast<std::uint64_t>(child)) ^ splitmix64(salt));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

std::string sex_code(char sex, int year) {
  if (year <= 2024) return sex == 'F' ? "2" : "1";
  return sex == 'F' ? "F" : "M";
}

const char* upn_placeholder(int age_at_31_march) { return age_at_31_march < 5 ? "UN1" : "UN5"; }

std::string place_code(std::string_view name, int year) {
  const bool from_2025_26 = year >= 2026;
  if (contains(name, "adopt")) return "A4";
  if (contains(name, "secure")) return "K1";
  if (contains(name, "residential") || contains(name, "home")) return "K2";
  if (contains(name, "supported") || contains(name, "semi_independent")) return from_2025_26 ? "K3" : "H5";
  if (contains(name, "kinship") || contains(name, "relative") || contains(name, "friend") || contains(name, "family"))
    return "U3";
  if (contains(name, "foster")) return "U6";
  if (contains(name, "parent")) return "P1";
  if (contains(name, "independent")) return from_2025_26 ? "K3" : "P2";
  return from_2025_26 ? "Z14" : "Z1";
}

std::string place_provider(const std::string& place, std::int64_t child) {
  if (place.empty() || place[0] == 'T' || place[0] == 'Z') return "";
  if (place == "P1") return "PR0";
  if (place == "U1" || place == "U2" || place == "U3" || place[0] == 'A' || place == "R1" || place == "R2" ||
      place == "R3")
    return "PR1";
  if (place[0] == 'U') return child_hash_unit(child, salt_provider) < 0.5 ? "PR1" : "PR4";
  return "PR4";
}

std::string place_urn(const std::string& place) {
  if (place.empty() || place[0] == 'T' || place[0] == 'Z' || place == "P1" || place == "P3" || place == "R1" ||
      place == "R2" || place == "R5")
    return "";
  return "XXXXXXX";
}

std::string ceasing_code(std::string_view decision, const std::string& last_place) {
  if (decision == "return_home") return "E4A";
  if (decision == "special_guardianship") {
    const bool kinship = last_place == "U1" || last_place == "U2" || last_place == "U3";
    return kinship ? "E45" : "E46";
  }
  if (decision == "adoption") return "E11";
  if (decision == "turned_18") return "E5";
  if (decision == "moved_away") return "E3";
  return "E8";
}

std::string ceasing_label(const std::string& rec) {
  static const std::array<std::pair<const char*, const char*>, 22> labels{{
      {"E11", "a"}, {"E12", "b"}, {"E2", "c"},  {"E3", "d"},  {"E4A", "e"}, {"E4B", "f"}, {"E13", "g"}, {"E41", "h"},
      {"E45", "i"}, {"E46", "j"}, {"E47", "k"}, {"E48", "l"}, {"E5", "m"},  {"E6", "n"},  {"E7", "o"},  {"E9", "p"},
      {"E14", "q"}, {"E15", "r"}, {"E16", "s"}, {"E8", "t"},  {"X1", "u"},  {"E17", "v"},
  }};
  for (const auto& [code, letter] : labels) {
    if (rec == code) return std::string(letter) + ") " + code;
  }
  return rec;
}

const char* legal_status_label(const std::string& ls) {
  if (ls == "C2") return "C2: FCO";
  if (ls == "V2") return "V2: Single period under S20";
  return "";
}

const char* need_code(std::int64_t child, bool through_protection) {
  if (through_protection) return "N1";
  static constexpr std::array<std::pair<const char*, double>, 8> shares{
      {{"N1", 0.55}, {"N2", 0.10}, {"N3", 0.04}, {"N4", 0.09}, {"N5", 0.16}, {"N6", 0.02}, {"N7", 0.01}, {"N8", 0.03}}};
  return choose(shares, child_hash_unit(child, salt_need));
}

std::string need_label(const std::string& code) {
  static const std::array<std::pair<const char*, const char*>, 10> labels{{
      {"N1", "Abuse or neglect"},
      {"N2", "Child's disability"},
      {"N3", "Parental illness or disability"},
      {"N4", "Family in acute stress"},
      {"N5", "Family dysfunction"},
      {"N6", "Socially unacceptable behaviour"},
      {"N7", "Low income"},
      {"N8", "Absent parenting"},
      {"N9", "Cases other than children in need"},
      {"N0", "Not stated"},
  }};
  for (const auto& [c, label] : labels) {
    if (code == c) return code + " - " + label;
  }
  return code;
}

const char* abuse_code(std::int64_t child, int plan_number) {
  static constexpr std::array<std::pair<const char*, double>, 5> shares{
      {{"NEG", 0.50}, {"EMO", 0.37}, {"PHY", 0.06}, {"SAB", 0.04}, {"MUL", 0.03}}};
  return choose(shares, child_hash_unit(child, salt_abuse + static_cast<std::uint64_t>(plan_number)));
}

const char* abuse_label(const std::string& code) {
  if (code == "NEG") return "a) Neglect";
  if (code == "PHY") return "b) Physical abuse";
  if (code == "SAB") return "c) Sexual abuse";
  if (code == "EMO") return "d) Emotional abuse";
  if (code == "MUL") return "e) Multiple/not recommended";
  return "";
}

const char* referral_source_code(SourceKind kind) {
  switch (kind) {
    case SourceKind::police:
      return "6";
    case SourceKind::schools:
      return "2A";
    case SourceKind::health:
      return "3D";
    case SourceKind::local_authority:
      return "5A";
    case SourceKind::individuals:
      return "1A";
    case SourceKind::other:
      return "8";
  }
  return "10";
}

std::string referral_source_label(const std::string& code) {
  static const std::array<std::tuple<const char*, const char*, const char*>, 22> labels{{
      {"1A", "a", "Individual"},
      {"1B", "b", "Individual"},
      {"1C", "c", "Individual"},
      {"1D", "d", "Individual"},
      {"2A", "e", "Schools"},
      {"2B", "f", "Education services"},
      {"3A", "g", "Health services"},
      {"3B", "h", "Health services"},
      {"3C", "i", "Health services"},
      {"3D", "j", "Health services"},
      {"3E", "k", "Health services"},
      {"3F", "l", "Health services"},
      {"4", "m", "Housing"},
      {"5A", "n", "LA services"},
      {"5B", "o", "LA services"},
      {"5C", "p", "LA services"},
      {"5D", "p1", "LA services"},
      {"6", "q", "Police"},
      {"7", "r", "Other legal agency"},
      {"8", "s", "Other"},
      {"9", "t", "Anonymous"},
      {"10", "u", "Unknown"},
  }};
  for (const auto& [c, letter, group] : labels) {
    if (code == c) return std::string(letter) + ") " + code + ": " + group;
  }
  return code;
}

const char* closure_code(std::string_view role, std::string_view decision, bool to_early_help) {
  if (role == "looked_after") {
    if (decision == "adoption") return "RC1";
    if (decision == "special_guardianship") return "RC4";
    if (decision == "moved_away") return "RC5";
    return "RC7";
  }
  if (decision == "moved_away") return "RC5";
  if (role == "referral" || role == "assessment" || role == "strategy_discussion") return to_early_help ? "RC9" : "RC8";
  return "RC7";
}

std::string closure_label(const std::string& code) {
  static const std::array<std::pair<const char*, const char*>, 9> labels{{
      {"RC1", "Adopted"},
      {"RC2", "Died"},
      {"RC3", "Child arrangements order"},
      {"RC4", "Special guardianship order"},
      {"RC5", "Transferred to services of another local authority"},
      {"RC6", "Transferred to adult social care services"},
      {"RC7", "Services ceased for any other reason, including child no longer in need"},
      {"RC8", "Case closed after assessment, no further action"},
      {"RC9", "Case closed after assessment, referred to early help"},
  }};
  for (const auto& [c, label] : labels) {
    if (code == c) return code + " - " + label;
  }
  return code;
}

const char* gender_label(char sex) { return sex == 'F' ? "b) Female" : "a) Male"; }

std::string provider_label(const std::string& provider) {
  static const std::array<std::pair<const char*, const char*>, 6> labels{{
      {"PR0", "a) PR0: Parents/Parental responsibility"},
      {"PR1", "b) PR1: Own provision"},
      {"PR2", "c) PR2: Other LA provision"},
      {"PR3", "d) PR3: Other public provision"},
      {"PR4", "e) PR4: Private provision"},
      {"PR5", "f) PR5: Voluntary/third sector"},
  }};
  for (const auto& [c, label] : labels) {
    if (provider == c) return label;
  }
  return provider;
}

}  // namespace frontdoor
