#include "adapters/crypto/crypto.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>

namespace waarborg::crypto {
namespace {

TEST(Sha256Hex, MatchesFips180Vectors) {
  EXPECT_EQ(Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256Hex, HashesEmbeddedNulBytes) {
  EXPECT_NE(Sha256Hex(std::string("a\0b", 3)), Sha256Hex("a"));
}

TEST(RandomBytes, HasRequestedLength) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(20).size(), 20u);
}

TEST(RandomToken, IsUrlSafeBase64WithoutPadding) {
  std::string t = RandomToken();
  EXPECT_EQ(t.size(), 43u);  // ceil(32 * 4 / 3)
  for (char c : t) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                c == '_')
        << t;
  }
  EXPECT_EQ(RandomToken(16).size(), 22u);
  EXPECT_EQ(RandomToken(0), "");
}

TEST(RandomToken, DoesNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(RandomToken()).second);
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(RandomDigits, IsOnlyDigitsOfRequestedLength) {
  EXPECT_EQ(RandomDigits(0), "");
  EXPECT_EQ(RandomDigits(-3), "");
  std::string d = RandomDigits(1000);
  ASSERT_EQ(d.size(), 1000u);
  int counts[10] = {};
  for (char c : d) {
    ASSERT_TRUE(c >= '0' && c <= '9');
    ++counts[c - '0'];
  }
  for (int n : counts)
    EXPECT_GT(n, 40);  // expected 100 each; a loose uniformity check
}

// One hash only: Argon2id with 64 MiB takes ~0.1 s (much more under
// sanitizers).
TEST(Password, Argon2idHashVerifiesRightAndRejectsWrongPassword) {
  absl::StatusOr<std::string> hash =
      HashPassword("correct horse battery staple");
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_NE(hash->find("m=65536,t=3"), std::string::npos) << *hash;
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(Password, MalformedStoredHashNeverVerifies) {
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  EXPECT_FALSE(VerifyPassword(std::string(1000, '$'), "x"));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash"));
}

TEST(Password, WeakerParametersNeedRehash) {
  // Argon2id, t=2, m=19 MiB: valid but not what HashPassword uses now.
  EXPECT_TRUE(PasswordNeedsRehash(
      "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
      "pAPwNsvfGDRUkWlUvKMSsnQGhFHWrcm6JpgGqyVsNE0"));
}

}  // namespace
}  // namespace waarborg::crypto
