#include "core/workflow/track_catalogue.h"

#include <cctype>

namespace waarborg::workflow {

namespace {

// Two-byte UTF-8 Latin letters with diacritics used in Dutch (and Frisian)
// place names, as their plain letter.
char PlainLetter(unsigned char lead, unsigned char next) {
  if (lead != 0xC3) return 0;
  if (next >= 0xA0 && next <= 0xA5) return 'a';  // à á â ã ä å
  if (next == 0xA7) return 'c';                  // ç
  if (next >= 0xA8 && next <= 0xAB) return 'e';  // è é ê ë
  if (next >= 0xAC && next <= 0xAF) return 'i';  // ì í î ï
  if (next == 0xB1) return 'n';                  // ñ
  if (next >= 0xB2 && next <= 0xB6) return 'o';  // ò ó ô õ ö
  if (next >= 0xB9 && next <= 0xBC) return 'u';  // ù ú û ü
  if (next >= 0x80 && next <= 0x85) return 'a';  // À-Å
  if (next >= 0x88 && next <= 0x8B) return 'e';  // È-Ë
  if (next >= 0x8C && next <= 0x8F) return 'i';  // Ì-Ï
  if (next >= 0x92 && next <= 0x96) return 'o';  // Ò-Ö
  if (next >= 0x99 && next <= 0x9C) return 'u';  // Ù-Ü
  return 0;
}

}  // namespace

std::string UnitFolderName(std::string_view unit_name) {
  std::string out;
  bool dash = false;
  for (std::size_t i = 0; i < unit_name.size(); ++i) {
    const auto c = static_cast<unsigned char>(unit_name[i]);
    char letter = 0;
    if (std::isalnum(c)) {
      letter = static_cast<char>(std::tolower(c));
    } else if (c >= 0x80 && i + 1 < unit_name.size()) {
      letter = PlainLetter(c, static_cast<unsigned char>(unit_name[i + 1]));
      if (letter) ++i;
    }
    if (letter) {
      if (dash && !out.empty()) out += '-';
      dash = false;
      out += letter;
    } else {
      dash = true;
    }
  }
  return out;
}

}  // namespace waarborg::workflow
