#include "adapters/crypto/file_key_provider.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/status/status.h"
#include "adapters/crypto/sealing.h"

namespace waarborg::crypto {
namespace {

// A fresh directory under /tmp, removed with its contents afterwards.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/waarborg_keytest_XXXXXX";
    const char* made = mkdtemp(tmpl);
    if (made == nullptr) std::abort();
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const {
    return path_ + "/" + name;
  }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& bytes,
               mode_t mode) {
  std::ofstream(path, std::ios::binary) << bytes;
  ASSERT_EQ(::chmod(path.c_str(), mode), 0);
}

TEST(FileKeyProvider, CreatesKeyFileWithMode0600WhateverTheUmask) {
  TempDir dir;
  const std::string path = dir.File("master.key");
  const mode_t old_umask = ::umask(0);
  auto provider = FileKeyProvider::Open(path, /*create_if_missing=*/true);
  ::umask(old_umask);
  ASSERT_TRUE(provider.ok()) << provider.status();

  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(st.st_size, 32);
  const std::string id = (*provider)->KeyId();
  EXPECT_EQ(id.size(), 16u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(FileKeyProvider, MissingFileWithoutCreateIsNotFoundAndNotCreated) {
  TempDir dir;
  const std::string path = dir.File("master.key");
  auto provider = FileKeyProvider::Open(path, /*create_if_missing=*/false);
  EXPECT_EQ(provider.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(provider.status().message().find(path), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(FileKeyProvider, RefusesKeyFileReadableByOthers) {
  TempDir dir;
  const std::string path = dir.File("master.key");
  WriteFile(path, std::string(32, 'k'), 0644);
  auto provider = FileKeyProvider::Open(path, /*create_if_missing=*/true);
  EXPECT_EQ(provider.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(provider.status().message().find(path), std::string::npos)
      << provider.status();
  EXPECT_NE(provider.status().message().find("0600"), std::string::npos);

  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);  // group-readable is no better
  EXPECT_EQ(FileKeyProvider::Open(path, false).status().code(),
            absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  EXPECT_TRUE(FileKeyProvider::Open(path, false).ok());
}

TEST(FileKeyProvider, RefusesKeyFileOfWrongSize) {
  TempDir dir;
  for (std::size_t size : {0, 31, 33, 64}) {
    const std::string path = dir.File("key" + std::to_string(size));
    WriteFile(path, std::string(size, 'k'), 0600);
    auto provider = FileKeyProvider::Open(path, /*create_if_missing=*/true);
    EXPECT_EQ(provider.status().code(), absl::StatusCode::kFailedPrecondition)
        << size;
    EXPECT_NE(provider.status().message().find(path), std::string::npos)
        << provider.status();
    // Never replaced: that would make every wrapped key unreadable.
    EXPECT_EQ(std::filesystem::file_size(path), size);
  }
}

TEST(FileKeyProvider, WrappedKeyUnwrapsOnlyForItsOwnCase) {
  TempDir dir;
  auto provider = FileKeyProvider::Open(dir.File("master.key"), true);
  ASSERT_TRUE(provider.ok()) << provider.status();
  const std::string data_key = NewDataKey();

  absl::StatusOr<std::string> wrapped = (*provider)->WrapKey(data_key, "case:1");
  ASSERT_TRUE(wrapped.ok()) << wrapped.status();
  EXPECT_EQ(wrapped->find(data_key), std::string::npos);
  absl::StatusOr<std::string> back = (*provider)->UnwrapKey(*wrapped, "case:1");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, data_key);

  EXPECT_EQ((*provider)->UnwrapKey(*wrapped, "case:2").status().code(),
            absl::StatusCode::kDataLoss);
  std::string tampered = *wrapped;
  tampered[10] ^= 0x01;
  EXPECT_EQ((*provider)->UnwrapKey(tampered, "case:1").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ((*provider)->WrapKey("te kort", "case:1").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(FileKeyProvider, ProvidersOnTheSameFileShareTheKey) {
  TempDir dir;
  const std::string path = dir.File("master.key");
  auto first = FileKeyProvider::Open(path, true);
  ASSERT_TRUE(first.ok()) << first.status();
  // A second start (even with create_if_missing) reuses the existing file.
  auto second = FileKeyProvider::Open(path, true);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ((*first)->KeyId(), (*second)->KeyId());

  const std::string k1 = NewDataKey();
  const std::string k2 = NewDataKey();
  auto w1 = (*first)->WrapKey(k1, "case:7");
  auto w2 = (*second)->WrapKey(k2, "case:8");
  ASSERT_TRUE(w1.ok() && w2.ok());
  auto u1 = (*second)->UnwrapKey(*w1, "case:7");
  auto u2 = (*first)->UnwrapKey(*w2, "case:8");
  ASSERT_TRUE(u1.ok()) << u1.status();
  ASSERT_TRUE(u2.ok()) << u2.status();
  EXPECT_EQ(*u1, k1);
  EXPECT_EQ(*u2, k2);
}

TEST(FileKeyProvider, AnotherMasterKeyCannotUnwrap) {
  TempDir dir;
  auto a = FileKeyProvider::Open(dir.File("a.key"), true);
  auto b = FileKeyProvider::Open(dir.File("b.key"), true);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE((*a)->KeyId(), (*b)->KeyId());
  auto wrapped = (*a)->WrapKey(NewDataKey(), "case:1");
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ((*b)->UnwrapKey(*wrapped, "case:1").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace waarborg::crypto
