#pragma once
// The code lists of the statutory returns and the rules that pick a code for a simulated child: dates as each
// return writes them, SSDA903 placement, provider, legal status, category of need and ceasing codes, the CIN
// census's referral sources, closure reasons and categories of abuse, and Ofsted's Annex A labels. The lists and
// their sources are in ../shared/formats/returns.md; README.md ("Statutory returns") gives the mappings in words.
// Where the model does not know something a return asks for (a child's ethnicity, why a placement ended), the
// code is a documented placeholder or a deterministic hash of the child's id, never a random draw.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "models/sources.hpp"

namespace frontdoor {

/// The date of simulated day `day` (the day it falls in: fractional days are floored; negative days are before
/// `start`, day 0). Works for any day, unlike SimCalendar::date_of.
std::chrono::year_month_day date_of_day(std::chrono::year_month_day start, double day);
/// Whole days from `start` to `date` (negative before it).
int day_of_date(std::chrono::year_month_day start, std::chrono::year_month_day date);
/// "dd/mm/yyyy": SSDA903's and Annex A's format.
std::string dmy(std::chrono::year_month_day date);
/// "yyyy-mm-dd": the CIN census's (xs:date).
std::string iso(std::chrono::year_month_day date);
/// Whole years of age on `on` of a child born on `born` (0 before its first birthday).
int age_on(std::chrono::year_month_day born, std::chrono::year_month_day on);

/// A number in [0, 1) that depends only on a child's id and a purpose (`salt`): the stand-in for what the model
/// does not decide (category of need, provider), the same in every run and every build.
double child_hash_unit(std::int64_t child, std::uint64_t salt);

/// SEX in the coding of the collection year ending 31 March `year`: "1"/"2" up to 2023/24 (year <= 2024), "M"/"F"
/// from 2024/25. `sex` is 'M' or 'F'.
std::string sex_code(char sex, int year);
/// The ethnicity every simulated child is given: NOBT ("information not yet obtained"), as the model has none.
inline constexpr const char* ethnicity_placeholder = "NOBT";
/// UPN placeholder: UN1 ("not of school age and not yet assigned a UPN") under 5 on the year's 31 March, else UN5
/// ("sources collating UPNs show discrepancies"), as simulated children have no pupil number.
const char* upn_placeholder(int age_at_31_march);

/// PLACE code of a scenario's placement type in the collection year ending 31 March `year`. Names are matched by
/// the words they contain, in this order: "adopt" A4; "secure" K1; "residential", "children_home" or "home" K2;
/// "supported" or "semi_independent" H5 up to 2024/25, K3 from 2025/26; "kinship", "relative", "friend" or
/// "family" U3; "foster" U6; "parent" P1; "independent" P2 up to 2024/25, K3 from 2025/26; anything else Z1 up to
/// 2024/25 and Z14 from 2025/26 (Z1's replacements; their meanings are a gap in the spec). An empty name (a child
/// whose placement is not yet known) counts as anything else.
std::string place_code(std::string_view type_name, int year);
/// PLACE_PROVIDER for a placement of type `place`: blank for temporary (T*) and other (Z*) placements; PR0 for
/// P1; PR1 (own provision) for kinship fostering (U1-U3), adoption (A*) and R1-R3; foster care with other carers
/// (U4-U6) split evenly between PR1 and PR4 (independent fostering agencies) on the child's hash; PR4 for
/// children's homes, secure homes, supported and independent living and everything else.
std::string place_provider(const std::string& place, std::int64_t child);
/// URN: blank where V903's rules 218/222 forbid one (P1, P3, R1, R2, R5, T*, Z*), else "XXXXXXX", the value V903
/// accepts for a placement with no Ofsted registration to quote (a simulated provider has none).
std::string place_urn(const std::string& place);
/// REC for a period of care ending with the looked-after service's decision `decision`: return_home E4A,
/// special_guardianship E45 from kinship (U1-U3) and E46 otherwise, adoption E11, turned_18 E5, moved_away E3,
/// anything else E8 ("ceased for any other reason"). `last_place` is the PLACE of the last episode.
std::string ceasing_code(std::string_view decision, const std::string& last_place);
/// Annex A's label of a REC code ("a) E11", ..., "v) E17"); the code itself if it has none.
std::string ceasing_label(const std::string& rec);
/// LS: C2 (full care order) for a child who came into care from a section 47 enquiry, a conference or a child
/// protection plan (or started the run in care with a plan behind it), else V2 (section 20 accommodation).
inline const char* legal_status(bool through_protection) { return through_protection ? "C2" : "V2"; }
/// Annex A's label of an LS code ("C2: FCO", "V2: Single period under S20").
const char* legal_status_label(const std::string& ls);

/// Category of need N1-N8 (SSDA903) or primary need code (CIN census): N1 (abuse or neglect) for a child who went
/// through child protection; else drawn on the child's hash with England's rough shares of children in need by
/// primary need (N1 0.55, N2 0.10, N3 0.04, N4 0.09, N5 0.16, N6 0.02, N7 0.01, N8 0.03).
const char* need_code(std::int64_t child, bool through_protection);
/// Annex A's label ("N1 - Abuse or neglect").
std::string need_label(const std::string& code);
/// Initial category of abuse of a child protection plan, on the child's hash with England's rough shares
/// (NEG 0.50, EMO 0.37, PHY 0.06, SAB 0.04, MUL 0.03).
const char* abuse_code(std::int64_t child, int plan_number);
/// Annex A's label ("a) Neglect", ...).
const char* abuse_label(const std::string& code);

/// CIN census ReferralSource of a contact from `kind`: police 6, schools 2A, health 3D, local authority 5A,
/// individuals 1A, other 8.
const char* referral_source_code(SourceKind kind);
/// ReferralSource of a CIN episode that began without a referral (a step up from early help): 5D.
inline constexpr const char* step_up_source_code = "5D";
/// Annex A's label of a source code ("q) 6: Police").
std::string referral_source_label(const std::string& code);
/// CIN ReasonForClosure of an episode whose last service `role` decided `decision`: see README.md.
const char* closure_code(std::string_view role, std::string_view decision, bool to_early_help);
/// Annex A's label of a closure code ("RC8 - Case closed after assessment, no further action").
std::string closure_label(const std::string& code);
/// Annex A's gender label of 'M'/'F': "a) Male", "b) Female".
const char* gender_label(char sex);
/// Annex A's Yes/No labels.
inline const char* yes_no_label(bool yes) { return yes ? "a) Yes" : "b) No"; }
/// Annex A's label of a PLACE_PROVIDER code ("b) PR1: Own provision"); blank for blank.
std::string provider_label(const std::string& provider);

}  // namespace frontdoor
