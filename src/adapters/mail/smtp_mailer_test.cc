// The message the SMTP adapter builds (tests/integration/mail_test.cc sends
// one to a real receiver).
#include "adapters/mail/smtp_mailer.h"

#include <gtest/gtest.h>

namespace waarborg::mail {
namespace {

TEST(SmtpMailer, BuildsAnRfc5322MessageInUtf8WithCrlf) {
  // Monday 23 November 2026, 09:46:40 UTC.
  const std::string m = FormatMessage("Waarborg <waarborg@politie.example>",
                                      {"melder@example.nl", "Nieuw bericht in Waarborg", "Regel één\nRegel twee\n"},
                                      1'795'427'200, "abc@politie.example");
  EXPECT_EQ(m,
            "Date: Mon, 23 Nov 2026 09:46:40 +0000\r\n"
            "From: \"Waarborg\" <waarborg@politie.example>\r\n"
            "To: melder@example.nl\r\n"
            "Subject: Nieuw bericht in Waarborg\r\n"
            "Message-ID: <abc@politie.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "Auto-Submitted: auto-generated\r\n"
            "\r\n"
            "Regel één\r\nRegel twee\r\n");
}

TEST(SmtpMailer, EncodesNonAsciiHeadersAsEncodedWordsOfAtMost75Characters) {
  EXPECT_EQ(EncodeHeaderText("Nieuw bericht"), "Nieuw bericht");
  EXPECT_EQ(EncodeHeaderText("één"), "=?UTF-8?B?w6nDqW4=?=");
  const std::string long_subject = "Coördinatie: " + std::string(60, 'x') + " één";
  const std::string encoded = EncodeHeaderText(long_subject);
  std::size_t start = 0;
  int words = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find("\r\n ", start);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(start, end - start);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.rfind("=?UTF-8?B?", 0), 0u) << word;
    ++words;
    start = end == encoded.size() ? end : end + 3;
  }
  EXPECT_GE(words, 2);
}

TEST(SmtpMailer, AcceptsOnlyPlainAddressesAndSmtpUrls) {
  EXPECT_EQ(MailAddressOf("Waarborg <waarborg@politie.example>"), "waarborg@politie.example");
  EXPECT_EQ(MailAddressOf("waarborg@politie.example"), "waarborg@politie.example");
  EXPECT_EQ(MailAddressOf("geen adres"), "");
  EXPECT_EQ(MailAddressOf("a@b\r\nBcc: c@d"), "");
  EXPECT_FALSE(SmtpMailer::Create({.url = "http://mail.example", .from = "w@example.nl"}).ok());
  EXPECT_FALSE(SmtpMailer::Create({.url = "smtp://mail.example", .from = "geen adres"}).ok());
  auto ok = SmtpMailer::Create({.url = "smtp://127.0.0.1:25", .from = "w@example.nl"});
  ASSERT_TRUE(ok.ok()) << ok.status();
  // A recipient or subject that would add a header is refused before sending.
  EXPECT_EQ((*ok)->Send({"a@example.nl\r\nBcc: b@example.nl", "x", "y"}).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*ok)->Send({"a@example.nl", "x\r\nBcc: b@example.nl", "y"}).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace waarborg::mail
