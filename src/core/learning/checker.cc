#include "core/learning/checker.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/common/strings.h"

namespace waarborg::learning {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiAlnum(char c) { return IsDigit(c) || IsAsciiAlpha(c); }
char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = Lower(c);
  return out;
}

// A word: letters, digits, any other UTF-8 letter, and an apostrophe or a
// hyphen inside ("Oost-Nederland", "'t Hart"). UTF-8 punctuation (typographic
// quotes, dashes: E2 80 xx) and the no-break space (C2 A0) separate words.
struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past the last byte
  std::string text;     // as written, without a possessive 's
  std::string lower;
};

std::size_t SeparatorLength(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) return 3;
  if (b == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) return 2;
  if (b >= 0x80) return 0;
  if (IsAsciiAlnum(s[i]) || s[i] == '-' || s[i] == '\'') return 0;
  return 1;
}

std::vector<Word> Words(std::string_view s) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (std::size_t sep = SeparatorLength(s, i)) {
      i += sep;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && SeparatorLength(s, j) == 0) ++j;
    // Hyphens and apostrophes at the edges belong to the punctuation.
    std::size_t b = i, e = j;
    while (b < e && (s[b] == '-' || s[b] == '\'')) ++b;
    while (e > b && (s[e - 1] == '-' || s[e - 1] == '\'')) --e;
    if (b < e) {
      Word w;
      w.begin = b;
      w.end = e;
      w.text = std::string(s.substr(b, e - b));
      // "Jansen's" is Jansen.
      if (w.text.size() > 3 && w.text.compare(w.text.size() - 2, 2, "'s") == 0) w.text.resize(w.text.size() - 2);
      w.lower = LowerAscii(w.text);
      out.push_back(std::move(w));
    }
    i = j;
  }
  return out;
}

const std::array<const char*, 12> kMonths = {"januari", "februari", "maart",     "april",   "mei",      "juni",
                                             "juli",    "augustus", "september", "oktober", "november", "december"};
const std::array<const char*, 13> kMonthAbbreviations = {"jan", "feb",  "mrt", "apr", "jun", "jul", "aug",
                                                         "sep", "sept", "okt", "nov", "dec", "mei"};

bool IsMonth(const std::string& lower) {
  for (const char* m : kMonths)
    if (lower == m) return true;
  for (const char* m : kMonthAbbreviations)
    if (lower == m) return true;
  return false;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c); });
}

// The value of a short run of digits; -1 for one too long to be a day, a
// month or a year.
int ToInt(std::string_view s) {
  if (s.size() > 4) return -1;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// "12", "12e", "1ste", "2de": a day of the month.
bool IsDayWord(const std::string& lower) {
  std::size_t n = 0;
  while (n < lower.size() && IsDigit(lower[n])) ++n;
  if (n == 0 || n > 2) return false;
  const std::string rest = lower.substr(n);
  if (!rest.empty() && rest != "e" && rest != "ste" && rest != "de") return false;
  const int d = ToInt(lower.substr(0, n));
  return d >= 1 && d <= 31;
}

bool IsYearWord(const std::string& w) { return w.size() == 4 && AllDigits(w) && (w[0] == '1' || w[0] == '2'); }

// VIK-2026-0003, LMM-2025-0012: letters, a year, a number.
bool LooksLikeReference(const std::string& w) {
  std::size_t i = 0;
  while (i < w.size() && IsAsciiAlpha(w[i])) ++i;
  if (i < 2 || i > 6 || i >= w.size() || w[i] != '-') return false;
  std::size_t j = i + 1, k = j;
  while (k < w.size() && IsDigit(w[k])) ++k;
  if (k - j != 4 || k >= w.size() || w[k] != '-') return false;
  std::size_t m = k + 1, n = m;
  while (n < w.size() && IsDigit(w[n])) ++n;
  return n == w.size() && n - m >= 2 && n - m <= 8;
}

// Dutch plates (sidecodes): three groups of letters or digits, six signs in
// all, letters and digits both present: 12-ABC-3, AB-12-CD, 1-ABC-23, ...
bool LooksLikePlate(const std::string& w) {
  std::vector<std::string> groups;
  std::string cur;
  for (char c : w) {
    if (c == '-') {
      groups.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  groups.push_back(cur);
  if (groups.size() != 3) return false;
  std::size_t total = 0;
  bool letters = false, digits = false;
  for (const auto& g : groups) {
    if (g.empty() || g.size() > 3) return false;
    total += g.size();
    const bool all_letters = std::all_of(g.begin(), g.end(), [](char c) { return IsAsciiAlpha(c); });
    const bool all_digits = AllDigits(g);
    if (!all_letters && !all_digits) return false;
    letters = letters || all_letters;
    digits = digits || all_digits;
  }
  return total == 6 && letters && digits;
}

struct Span {
  std::size_t begin;
  std::size_t end;
};

class Collector {
 public:
  Collector(TextField field, std::string_view text) : field_(field), text_(text) {}
  // Records a finding unless it overlaps an earlier one.
  void Add(std::size_t begin, std::size_t end, FindingKind kind, const std::string& explanation) {
    for (const auto& s : spans_)
      if (begin < s.end && s.begin < end) return;
    spans_.push_back({begin, end});
    out_.push_back({field_, kind, std::string(text_.substr(begin, end - begin)), begin, explanation});
  }
  std::vector<Finding> Take() {
    std::sort(out_.begin(), out_.end(), [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
    return std::move(out_);
  }

 private:
  TextField field_;
  std::string_view text_;
  std::vector<Span> spans_;
  std::vector<Finding> out_;
};

bool IsLocalChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }
bool IsDomainChar(char c) { return IsAsciiAlnum(c) || c == '.' || c == '-'; }

}  // namespace

std::string_view FindingKindLabelNl(FindingKind k) {
  switch (k) {
    case FindingKind::kCaseName:
      return "naam uit de zaak";
    case FindingKind::kStaffName:
      return "naam van een medewerker";
    case FindingKind::kRecordedName:
      return "naam uit de zaak";
    case FindingKind::kReference:
      return "zaaknummer of kenmerk";
    case FindingKind::kDate:
      return "precieze datum";
    case FindingKind::kPhone:
      return "telefoonnummer";
    case FindingKind::kEmail:
      return "e-mailadres";
    case FindingKind::kNumber:
      return "persoonsnummer";
    case FindingKind::kBsn:
      return "burgerservicenummer";
    case FindingKind::kPlate:
      return "kenteken";
    case FindingKind::kUnit:
      return "kleine eenheid";
  }
  return "";
}

bool PassesElevenTest(std::string_view s) {
  if (s.size() != 9 || !AllDigits(s)) return false;
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (9 - i) * (s[i] - '0');
  sum -= s[8] - '0';
  return sum % 11 == 0 && s != "000000000";
}

void Checker::AddPhrase(std::string_view text, FindingKind kind) {
  const auto words = Words(text);
  if (words.empty()) return;
  std::string key;
  for (const auto& w : words) key += (key.empty() ? "" : " ") + w.lower;
  phrases_.emplace(key, Term{kind});  // the first kind added wins
  max_words_ = std::max(max_words_, words.size());
}

void Checker::AddWord(std::string_view word, FindingKind kind) {
  std::string w(word);
  words_.emplace(w, Term{kind});
  std::string upper = w;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  words_.emplace(upper, Term{kind});
}

// A full name; with `parts`, also the surname with its prefix ("van Dalen"),
// the last word ("Dalen") and the first name, as written.
void Checker::AddName(std::string_view full_name, FindingKind kind, bool parts) {
  const auto words = Words(full_name);
  if (words.empty()) return;
  if (words.size() == 1) {
    if (words[0].text.size() >= 3) AddWord(words[0].text, kind);
    return;
  }
  AddPhrase(full_name, kind);
  if (!parts) return;
  if (words.size() >= 3) {
    std::string surname;
    for (std::size_t i = 1; i < words.size(); ++i) surname += (surname.empty() ? "" : " ") + words[i].text;
    AddPhrase(surname, kind);
  }
  if (words.back().text.size() >= 3) AddWord(words.back().text, kind);
  if (words.front().text.size() >= 3) AddWord(words.front().text, kind);
}

Checker::Checker(const CaseMaterial& m) : place_(m.place) {
  // The case's own people first: their kind wins over "a member of staff".
  for (const auto& n : m.people) AddName(n, FindingKind::kCaseName, true);
  for (const auto& n : m.recorded) {
    // Only the capitalised words of what was typed (a name among a title
    // or a firm), and the whole.
    for (const auto& w : Words(n)) {
      if (w.text.size() < 3 || !std::isupper(static_cast<unsigned char>(w.text[0]))) continue;
      static const char* const kNotNames[] = {"Advocaat", "Advocate",          "Vakbond", "Mevrouw",
                                              "Meneer",   "Raadsman",          "Jurist",  "Belangenbehartiger",
                                              "Collega",  "Vertrouwenspersoon"};
      if (std::any_of(std::begin(kNotNames), std::end(kNotNames), [&](const char* x) { return w.text == x; })) continue;
      AddWord(w.text, FindingKind::kRecordedName);
    }
  }
  for (const auto& r : m.references) AddPhrase(r, FindingKind::kReference);
  for (const auto& u : m.units) {
    AddPhrase(u, FindingKind::kUnit);
    // "Eenheid Oost-Nederland" is also "Oost-Nederland".
    const std::string lower = LowerAscii(u);
    for (const char* prefix : {"eenheid ", "district ", "team ", "dienst "}) {
      const std::string p(prefix);
      if (lower.rfind(p, 0) == 0 && u.size() - p.size() >= 4)
        AddPhrase(std::string_view(u).substr(p.size()), FindingKind::kUnit);
    }
  }
  for (const auto& n : m.staff) {
    if (Words(n).size() >= 2) AddPhrase(n, FindingKind::kStaffName);
  }
  max_words_ = std::min<std::size_t>(max_words_, 8);
}

std::string Checker::Explain(FindingKind kind) const {
  switch (kind) {
    case FindingKind::kCaseName:
      return "Dit is (een deel van) de naam van iemand uit de zaak. Beschrijf de rol, zoals 'de betrokkene', "
             "'de klager' of 'een collega', in plaats van de naam.";
    case FindingKind::kStaffName:
      return "Dit is de naam van een medewerker. Noem geen namen; beschrijf de rol.";
    case FindingKind::kRecordedName:
      return "Deze naam staat in de zaak (bijvoorbeeld bij de belangenbehartiger). Laat hem weg of beschrijf de rol.";
    case FindingKind::kReference:
      return "Dit is een zaaknummer of kenmerk; daarmee is de zaak terug te vinden. Laat het weg.";
    case FindingKind::kDate:
      return "Dit is een precieze datum. Noem alleen het kwartaal of het jaar, of schrijf hoeveel weken of maanden "
             "er tussen twee gebeurtenissen zaten.";
    case FindingKind::kPhone:
      return "Dit lijkt een telefoonnummer. Laat het weg.";
    case FindingKind::kEmail:
      return "Dit is een e-mailadres. Laat het weg.";
    case FindingKind::kNumber:
      return "Dit nummer kan een persoon aanwijzen (zoals een personeelsnummer). Laat het weg.";
    case FindingKind::kBsn:
      return "Dit lijkt een burgerservicenummer (BSN). Laat het weg.";
    case FindingKind::kPlate:
      return "Dit lijkt een kenteken. Laat het weg.";
    case FindingKind::kUnit:
      return Cat("Dit noemt een team, district of eenheid die kleiner is dan wat deze leercasus mag noemen (", place_,
                 "). Houd het bij '", place_, "'.");
  }
  return "";
}

std::vector<Finding> Checker::Check(const LearningTexts& texts) const {
  std::vector<Finding> out;
  for (TextField f : AllTextFields()) {
    auto found = CheckField(f, TextOf(texts, f));
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

std::vector<Finding> Checker::CheckField(TextField field, std::string_view s) const {
  Collector found(field, s);
  auto add = [&](std::size_t b, std::size_t e, FindingKind k) { found.Add(b, e, k, Explain(k)); };

  // E-mail addresses.
  for (std::size_t at = s.find('@'); at != std::string_view::npos; at = s.find('@', at + 1)) {
    std::size_t b = at, e = at + 1;
    while (b > 0 && IsLocalChar(s[b - 1])) --b;
    while (e < s.size() && IsDomainChar(s[e])) ++e;
    while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
    const std::string_view domain = s.substr(at + 1, e - at - 1);
    if (b < at && domain.find('.') != std::string_view::npos) add(b, e, FindingKind::kEmail);
  }

  const auto words = Words(s);

  // Case references: the case's own, and anything shaped like one.
  for (const auto& w : words) {
    if (LooksLikeReference(w.text)) add(w.begin, w.end, FindingKind::kReference);
  }

  // Telephone numbers: +31 6 1234 5678, 06-12345678, 020 123 4567, 0900-8844.
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '+' && s[i] != '0') continue;
    if (i > 0 && (IsAsciiAlnum(s[i - 1]) || s[i - 1] == '+')) continue;
    std::size_t j = s[i] == '+' ? i + 1 : i;
    std::string digits;
    std::size_t last = j;
    while (j < s.size()) {
      if (IsDigit(s[j])) {
        digits += s[j];
        last = ++j;
      } else if ((s[j] == ' ' || s[j] == '-') && j + 1 < s.size() && IsDigit(s[j + 1]) && !digits.empty()) {
        ++j;
      } else {
        break;
      }
    }
    if (last < s.size() && IsAsciiAlpha(s[last])) continue;
    bool phone = false;
    if (s[i] == '+')
      phone = digits.rfind("31", 0) == 0 && digits.size() == 11;
    else if (digits.rfind("0031", 0) == 0)
      phone = digits.size() == 13;
    else if (digits.rfind("0800", 0) == 0 || digits.rfind("0900", 0) == 0 || digits.rfind("0906", 0) == 0 ||
             digits.rfind("0909", 0) == 0)
      phone = digits.size() >= 8 && digits.size() <= 11;
    else if (digits.rfind("00", 0) != 0)
      phone = digits.size() == 10;
    if (phone) {
      add(i, last, FindingKind::kPhone);
      i = last;
    }
  }

  // Numeric dates: 12-03-2025, 12/3/25, 12.03.2025, 2025-03-12, 12-03.
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsDigit(s[i]) || (i > 0 && (IsAsciiAlnum(s[i - 1]) || s[i - 1] == '-' || s[i - 1] == '/'))) continue;
    auto number = [&](std::size_t& p) {
      std::size_t b = p;
      while (p < s.size() && IsDigit(s[p])) ++p;
      return s.substr(b, p - b);
    };
    std::size_t p = i;
    const std::string_view a = number(p);
    if (p >= s.size() || (s[p] != '-' && s[p] != '/' && s[p] != '.')) continue;
    const char sep = s[p++];
    const std::string_view b = number(p);
    if (b.empty()) continue;
    std::string_view c;
    std::size_t end = p;
    if (p + 1 < s.size() && s[p] == sep && IsDigit(s[p + 1])) {
      std::size_t q = p + 1;
      c = number(q);
      end = q;
    }
    if (end < s.size() &&
        (IsAsciiAlnum(s[end]) || ((s[end] == '-' || s[end] == '/') && end + 1 < s.size() && IsDigit(s[end + 1]))))
      continue;
    bool date = false;
    if (a.size() == 4 && !c.empty() && sep == '-') {  // ISO
      const int m = ToInt(b), d = ToInt(c);
      date = b.size() <= 2 && c.size() <= 2 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
    } else if (a.size() <= 2 && b.size() <= 2) {
      const int d = ToInt(a), m = ToInt(b);
      const bool valid = d >= 1 && d <= 31 && m >= 1 && m <= 12;
      if (!c.empty())
        date = valid && (c.size() == 2 || c.size() == 4);
      else
        date = valid && a.size() == 2 && b.size() == 2 && sep != '.';  // "12-03" without a year
    }
    if (date) {
      add(i, end, FindingKind::kDate);
      i = end;
    }
  }

  // Dates in words: "12 maart 2025", "1e mei", "12 mrt.", "maart 2025" (a
  // month is finer than a quarter).
  for (std::size_t k = 0; k < words.size(); ++k) {
    if (IsDayWord(words[k].lower) && k + 1 < words.size() && IsMonth(words[k + 1].lower)) {
      std::size_t end = words[k + 1].end;
      if (k + 2 < words.size() && IsYearWord(words[k + 2].lower)) end = words[k + 2].end;
      add(words[k].begin, end, FindingKind::kDate);
    } else if (IsMonth(words[k].lower) && k + 1 < words.size() && IsYearWord(words[k + 1].lower)) {
      add(words[k].begin, words[k + 1].end, FindingKind::kDate);
    }
  }

  // A number after "personeelsnummer", "pnr", ...: whatever its length.
  for (std::size_t k = 0; k + 1 < words.size(); ++k) {
    const std::string& w = words[k].lower;
    if (w == "personeelsnummer" || w == "personeelsnr" || w == "pnr" || w == "p-nummer" || w == "stamnummer" ||
        w == "registratienummer" || w == "bsn" || w == "burgerservicenummer") {
      const std::string& n = words[k + 1].text;
      if (AllDigits(n))
        add(words[k + 1].begin, words[k + 1].end, PassesElevenTest(n) ? FindingKind::kBsn : FindingKind::kNumber);
    }
  }

  // Long numbers: 9 digits passing the 11-test is a BSN; 5 or more digits
  // otherwise can still point at a person.
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsDigit(s[i]) || (i > 0 && (IsAsciiAlnum(s[i - 1])))) continue;
    std::size_t j = i;
    while (j < s.size() && IsDigit(s[j])) ++j;
    if (j < s.size() && IsAsciiAlpha(s[j])) {
      i = j;
      continue;
    }
    const std::string_view run = s.substr(i, j - i);
    if (run.size() >= 5) add(i, j, run.size() == 9 && PassesElevenTest(run) ? FindingKind::kBsn : FindingKind::kNumber);
    i = j;
  }

  // Licence plates.
  for (const auto& w : words)
    if (LooksLikePlate(w.text)) add(w.begin, w.end, FindingKind::kPlate);

  // Names and units: the longest known phrase at each word, else a known
  // single word as written.
  for (std::size_t k = 0; k < words.size();) {
    std::string key;
    std::size_t best = 0;
    FindingKind kind = FindingKind::kCaseName;
    for (std::size_t n = 1; n <= max_words_ && k + n <= words.size(); ++n) {
      key += (n == 1 ? "" : " ") + words[k + n - 1].lower;
      if (auto it = phrases_.find(key); it != phrases_.end()) {
        best = n;
        kind = it->second.kind;
      }
    }
    if (best > 0) {
      add(words[k].begin, words[k + best - 1].end, kind);
      k += best;
      continue;
    }
    if (auto it = words_.find(words[k].text); it != words_.end()) add(words[k].begin, words[k].end, it->second.kind);
    ++k;
  }
  return found.Take();
}

}  // namespace waarborg::learning
