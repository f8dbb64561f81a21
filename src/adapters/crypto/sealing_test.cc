#include "adapters/crypto/sealing.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "absl/status/status.h"
#include "adapters/crypto/crypto.h"

namespace waarborg::crypto {
namespace {

std::string Flip(std::string s, std::size_t i) {
  s[i] = static_cast<char>(s[i] ^ 0x01);
  return s;
}

TEST(Sealing, DataKeysAreRandom32Bytes) {
  std::string a = NewDataKey();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, NewDataKey());
}

TEST(Sealing, EncryptRoundTrips) {
  std::string key = NewDataKey();
  std::string text("melding\0met nul", 15);
  std::string box = Encrypt(key, text, "case:1");
  EXPECT_EQ(box.size(), 1 + 24 + text.size() + 16);
  EXPECT_EQ(box[0], '\x01');
  EXPECT_EQ(box.find("melding"), std::string::npos);
  absl::StatusOr<std::string> back = Decrypt(key, box, "case:1");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, text);

  absl::StatusOr<std::string> empty = Decrypt(key, Encrypt(key, "", ""), "");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(*empty, "");
}

TEST(Sealing, SamePlaintextEncryptsDifferentlyEachTime) {
  std::string key = NewDataKey();
  EXPECT_NE(Encrypt(key, "zelfde", ""), Encrypt(key, "zelfde", ""));
}

TEST(Sealing, DecryptRejectsWrongKeyWrongAdAndTampering) {
  std::string key = NewDataKey();
  std::string box = Encrypt(key, "geheim", "case:1");
  EXPECT_EQ(Decrypt(NewDataKey(), box, "case:1").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decrypt(key, box, "case:2").status().code(),
            absl::StatusCode::kDataLoss);
  // Version byte, nonce, ciphertext and tag are all covered.
  for (std::size_t i : {std::size_t{0}, std::size_t{5}, std::size_t{26},
                        box.size() - 1}) {
    EXPECT_EQ(Decrypt(key, Flip(box, i), "case:1").status().code(),
              absl::StatusCode::kDataLoss)
        << "byte " << i;
  }
  EXPECT_EQ(Decrypt(key, box.substr(0, box.size() - 1), "case:1")
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decrypt(key, "", "case:1").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(Decrypt("kort", box, "case:1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Sealing, SealedBoxOpensOnlyWithTheRightSecretKey) {
  KeyPair alice = NewKeyPair();
  KeyPair bob = NewKeyPair();
  EXPECT_EQ(alice.public_key.size(), 32u);
  EXPECT_EQ(alice.secret_key.size(), 32u);
  EXPECT_NE(alice.secret_key, bob.secret_key);

  std::string sealed = SealTo(alice.public_key, "Jan Jansen, 06-12345678");
  absl::StatusOr<std::string> opened =
      OpenSealed(alice.public_key, alice.secret_key, sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, "Jan Jansen, 06-12345678");

  EXPECT_EQ(OpenSealed(bob.public_key, bob.secret_key, sealed).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenSealed(alice.public_key, alice.secret_key, Flip(sealed, 40))
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenSealed(alice.public_key, alice.secret_key, "kort")
                .status()
                .code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(OpenSealed("x", alice.secret_key, sealed).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Sealing, PassphraseLockOpensOnlyWithThePassphrase) {
  std::string secret = NewKeyPair().secret_key;
  absl::StatusOr<std::string> locked =
      LockWithPassphrase(secret, "correct paard batterij niet");
  ASSERT_TRUE(locked.ok()) << locked.status();
  EXPECT_EQ(locked->find(secret), std::string::npos);

  absl::StatusOr<std::string> back =
      UnlockWithPassphrase(*locked, "correct paard batterij niet");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, secret);

  EXPECT_EQ(UnlockWithPassphrase(*locked, "Correct paard batterij niet")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(Sealing, PassphraseLockRejectsMalformedInputWithoutHashing) {
  EXPECT_EQ(LockWithPassphrase("geheim", "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(UnlockWithPassphrase("", "x").status().code(),
            absl::StatusCode::kDataLoss);
  // A well-sized value naming a 4 GiB memlimit and an unknown version must
  // be refused before any hashing is attempted.
  std::string huge(1 + 4 + 4 + 16 + 24 + 32 + 16, '\0');
  huge[0] = '\x01';
  huge[4] = '\x03';
  for (int i = 5; i < 9; ++i) huge[i] = '\xff';
  EXPECT_EQ(UnlockWithPassphrase(huge, "x").status().code(),
            absl::StatusCode::kDataLoss);
  huge[0] = '\x02';
  EXPECT_EQ(UnlockWithPassphrase(huge, "x").status().code(),
            absl::StatusCode::kDataLoss);
}

TEST(Sealing, TokenLockOpensOnlyWithTheSameToken) {
  std::string secret = NewKeyPair().secret_key;
  std::string token = RandomToken();
  std::string locked = LockWithToken(secret, token);
  absl::StatusOr<std::string> back = UnlockWithToken(locked, token);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, secret);

  EXPECT_EQ(UnlockWithToken(locked, RandomToken()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(UnlockWithToken(Flip(locked, 30), token).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(UnlockWithToken("kort", token).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(locked.find(secret), std::string::npos);
}

TEST(Sealing, ReceiptHashIsDeterministicPerSaltAndReceipt) {
  const std::string salt = RandomBytes(16);
  const std::string receipt = "12345678901234567890";
  // Two hashes at once, also showing the function is safe to call
  // concurrently.
  absl::StatusOr<std::string> on_thread;
  std::thread t([&] { on_thread = ReceiptHash(receipt, salt); });
  absl::StatusOr<std::string> here = ReceiptHash(receipt, salt);
  t.join();
  ASSERT_TRUE(here.ok()) << here.status();
  ASSERT_TRUE(on_thread.ok()) << on_thread.status();
  EXPECT_EQ(*here, *on_thread);
  EXPECT_EQ(here->size(), 64u);
  EXPECT_EQ(here->find_first_not_of("0123456789abcdef"), std::string::npos);

  absl::StatusOr<std::string> other_salt =
      ReceiptHash(receipt, RandomBytes(16));
  ASSERT_TRUE(other_salt.ok());
  EXPECT_NE(*other_salt, *here);
  absl::StatusOr<std::string> other_receipt =
      ReceiptHash("12345678901234567891", salt);
  ASSERT_TRUE(other_receipt.ok());
  EXPECT_NE(*other_receipt, *here);
}

TEST(Sealing, ReceiptHashRejectsEmptyReceiptAndBadSalt) {
  EXPECT_EQ(ReceiptHash("", RandomBytes(16)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReceiptHash("1234", RandomBytes(15)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Sealing, FormatsReceiptInGroupsOfFour) {
  EXPECT_EQ(FormatReceipt("12345678901234567890"), "1234 5678 9012 3456 7890");
  EXPECT_EQ(FormatReceipt(""), "");
  EXPECT_EQ(FormatReceipt("123456"), "1234 56");
}

TEST(Sealing, NormalisesTypedReceipt) {
  EXPECT_EQ(NormaliseReceipt("1234-5678 9012"), "123456789012");
  EXPECT_EQ(NormaliseReceipt("12a4"), "");
  EXPECT_EQ(NormaliseReceipt("  1234 5678 9012 3456 7890\n"),
            "12345678901234567890");
  EXPECT_EQ(NormaliseReceipt(FormatReceipt("12345678901234567890")),
            "12345678901234567890");
  EXPECT_EQ(NormaliseReceipt(" - "), "");
  EXPECT_EQ(NormaliseReceipt(""), "");
}

}  // namespace
}  // namespace waarborg::crypto
