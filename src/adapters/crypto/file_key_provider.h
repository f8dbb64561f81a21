// KeyProvider backed by a key file: 32 raw random bytes, readable by the
// service user only (mode 0600). The master key is held in guarded,
// non-swappable memory (sodium_malloc) for the provider's lifetime.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "core/ports/key_provider.h"

namespace waarborg::crypto {

class FileKeyProvider : public KeyProvider {
 public:
  // Loads the master key from `path`. When the file is missing and
  // `create_if_missing`, creates it (mode 0600 whatever the umask) with a new
  // random key and syncs it to disk; otherwise NotFoundError. An existing
  // file is refused (FailedPreconditionError naming the path) when it is not
  // a regular file, grants any group/other permission, or is not 32 bytes.
  static absl::StatusOr<std::unique_ptr<FileKeyProvider>> Open(
      const std::string& path, bool create_if_missing);

  ~FileKeyProvider() override;
  FileKeyProvider(const FileKeyProvider&) = delete;
  FileKeyProvider& operator=(const FileKeyProvider&) = delete;

  // XChaCha20-Poly1305 under the master key: 0x01 || nonce(24) ||
  // ciphertext+tag, with `context` as associated data. InvalidArgumentError
  // unless `data_key` is 32 bytes. Thread-safe.
  absl::StatusOr<std::string> WrapKey(std::string_view data_key,
                                      std::string_view context) override;

  // DataLossError for an altered value, another context or another master
  // key. Thread-safe.
  absl::StatusOr<std::string> UnwrapKey(std::string_view wrapped,
                                        std::string_view context) override;

  // First 16 hex chars of SHA-256(master key).
  std::string KeyId() const override { return key_id_; }

 private:
  FileKeyProvider(unsigned char* key, std::string key_id)
      : key_(key), key_id_(std::move(key_id)) {}

  std::string_view Key() const;

  unsigned char* key_;  // sodium_malloc'd, read-only, 32 bytes
  std::string key_id_;
};

}  // namespace waarborg::crypto
