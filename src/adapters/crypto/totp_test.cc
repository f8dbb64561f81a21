#include "adapters/crypto/totp.h"

#include <gtest/gtest.h>

#include <string>

namespace waarborg::crypto {
namespace {

// RFC 6238 appendix B, SHA1 seed.
constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(Totp, MatchesRfc6238Sha1VectorsTruncatedToSixDigits) {
  EXPECT_EQ(TotpCode(kRfcSecret, 59), "287082");           // 94287082
  EXPECT_EQ(TotpCode(kRfcSecret, 1111111109), "081804");   // 07081804
  EXPECT_EQ(TotpCode(kRfcSecret, 1111111111), "050471");   // 14050471
  EXPECT_EQ(TotpCode(kRfcSecret, 1234567890), "005924");   // 89005924
  EXPECT_EQ(TotpCode(kRfcSecret, 2000000000), "279037");   // 69279037
  EXPECT_EQ(TotpCode(kRfcSecret, 20000000000), "353130");  // 65353130
}

TEST(Totp, CodeIsConstantWithinAStep) {
  EXPECT_EQ(TotpCode(kRfcSecret, 30), TotpCode(kRfcSecret, 59));
  EXPECT_NE(TotpCode(kRfcSecret, 59), TotpCode(kRfcSecret, 60));
}

TEST(Totp, EmptySecretOrNegativeTimeGivesNoCode) {
  EXPECT_EQ(TotpCode("", 59), "");
  EXPECT_EQ(TotpCode(kRfcSecret, -1), "");
}

TEST(Totp, MatchReturnsCurrentTimeStep) {
  EXPECT_EQ(MatchTotp(kRfcSecret, "005924", 1234567890), 1234567890 / 30);
}

TEST(Totp, MatchAcceptsAdjacentStepsWithinWindow) {
  const std::int64_t t = 1234567890;
  const std::int64_t step = t / 30;
  std::string previous = TotpCode(kRfcSecret, t - 30);
  std::string next = TotpCode(kRfcSecret, t + 30);
  EXPECT_EQ(MatchTotp(kRfcSecret, previous, t), step - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, next, t), step + 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, previous, t, 0), std::nullopt);
}

TEST(Totp, MatchRejectsCodesOutsideWindow) {
  const std::int64_t t = 1234567890;
  std::string old = TotpCode(kRfcSecret, t - 90);
  EXPECT_EQ(MatchTotp(kRfcSecret, old, t), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, old, t, 3), t / 30 - 3);
}

TEST(Totp, MatchRejectsMalformedCodes) {
  const std::int64_t t = 1234567890;
  EXPECT_EQ(MatchTotp(kRfcSecret, "", t), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "5924", t), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "0059240", t), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "00592a", t), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "89005924", t),
            std::nullopt);  // 8-digit form
  EXPECT_EQ(MatchTotp("", "005924", t), std::nullopt);
}

TEST(Totp, MatchIgnoresSpacesInCode) {
  EXPECT_EQ(MatchTotp(kRfcSecret, "005 924", 1234567890), 1234567890 / 30);
}

TEST(Totp, NewSecretIsTwentyRandomBytes) {
  std::string a = NewTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, NewTotpSecret());
}

TEST(Base32, EncodesRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32, DecodesRfc4648VectorsWithAndWithoutPadding) {
  EXPECT_EQ(Base32Decode(""), "");
  EXPECT_EQ(Base32Decode("MY"), "f");
  EXPECT_EQ(Base32Decode("MY======"), "f");
  EXPECT_EQ(Base32Decode("MZXQ===="), "fo");
  EXPECT_EQ(Base32Decode("MZXW6"), "foo");
  EXPECT_EQ(Base32Decode("MZXW6YQ="), "foob");
  EXPECT_EQ(Base32Decode("MZXW6YTB"), "fooba");
  EXPECT_EQ(Base32Decode("MZXW6YTBOI"), "foobar");
}

TEST(Base32, DecodingIsCaseInsensitiveAndIgnoresSpaces) {
  EXPECT_EQ(Base32Decode("mzxw 6ytb oi"), "foobar");
  EXPECT_EQ(Base32Decode(" GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ "),
            std::string(kRfcSecret));
}

TEST(Base32, RejectsInvalidCharactersAndLengths) {
  EXPECT_EQ(Base32Decode("MZ1W"), std::nullopt);  // '1' is not in the alphabet
  EXPECT_EQ(Base32Decode("MZ0W"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZ8W"), std::nullopt);
  EXPECT_EQ(Base32Decode("MY=A"), std::nullopt);  // padding in the middle
  EXPECT_EQ(Base32Decode("M"), std::nullopt);     // 1 char: not whole bytes
  EXPECT_EQ(Base32Decode("MZX"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZXW6Y"), std::nullopt);
  EXPECT_EQ(Base32Decode("MZ-XW"), std::nullopt);
}

TEST(Base32, RoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 17) {
    std::string part = all.substr(0, n);
    EXPECT_EQ(Base32Decode(Base32Encode(part)), part) << n;
  }
}

TEST(OtpauthUri, ContainsLabelSecretAndParameters) {
  EXPECT_EQ(OtpauthUri("Waarborg", "jan@example.nl", kRfcSecret),
            "otpauth://totp/Waarborg:jan%40example.nl"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Waarborg"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUri, PercentEncodesSpacesAndColons) {
  std::string uri = OtpauthUri("Rijks Integriteit", "a:b", "x");
  EXPECT_EQ(uri.rfind("otpauth://totp/Rijks%20Integriteit:a%3Ab?", 0), 0u)
      << uri;
  EXPECT_NE(uri.find("&issuer=Rijks%20Integriteit&"), std::string::npos) << uri;
}

}  // namespace
}  // namespace waarborg::crypto
