#include "adapters/crypto/file_key_provider.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "adapters/crypto/crypto.h"
#include "adapters/crypto/sealing.h"
#include "adapters/crypto/sodium_init.h"

namespace waarborg::crypto {
namespace {

constexpr std::size_t kMasterKeyBytes = 32;
static_assert(kMasterKeyBytes == kDataKeyBytes);

// Closes a file descriptor when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A sodium_malloc'd buffer (guard pages, mlock'ed where the system allows,
// zeroed on free) that is freed unless released.
class SecretBuffer {
 public:
  explicit SecretBuffer(std::size_t n)
      : p_(static_cast<unsigned char*>(sodium_malloc(n))) {}
  ~SecretBuffer() {
    if (p_ != nullptr) sodium_free(p_);
  }
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  unsigned char* get() const { return p_; }
  unsigned char* release() { return std::exchange(p_, nullptr); }

 private:
  unsigned char* p_;
};

std::string ErrnoText(int err) { return std::strerror(err); }

// Reads the key at `path` into `key`. NotFoundError when there is no file;
// FailedPreconditionError when the file must not be used as a key file.
absl::Status ReadKeyFile(const std::string& path, unsigned char* key) {
  // Symlinks are followed on purpose (secret mounts often are symlinks); the
  // checks below apply to the file actually opened, via fstat, so nothing can
  // be swapped in between check and read.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat("Sleutelbestand ", path, " bestaat niet."));
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "Sleutelbestand ", path, " kan niet worden geopend: ", ErrnoText(err),
        "."));
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Sleutelbestand ", path, " kan niet worden gelezen: ", ErrnoText(errno),
        "."));
  }
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat("Sleutelbestand ", path, " is geen gewoon bestand."));
  }
  // Anyone else who can read the master key can read every case; refuse to
  // start rather than keep using a key that may already have leaked.
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Sleutelbestand ", path, " heeft te ruime rechten (verwacht 0600)."));
  }
  if (st.st_size != static_cast<off_t>(kMasterKeyBytes)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Sleutelbestand ", path, " heeft een onjuiste lengte (",
        static_cast<long long>(st.st_size), " bytes, verwacht ",
        kMasterKeyBytes, ")."));
  }
  std::size_t got = 0;
  while (got < kMasterKeyBytes) {
    const ssize_t n = ::read(fd.get(), key + got, kMasterKeyBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "Sleutelbestand ", path, " kan niet worden gelezen",
          n < 0 ? absl::StrCat(": ", ErrnoText(errno)) : std::string(), "."));
    }
    got += static_cast<std::size_t>(n);
  }
  return absl::OkStatus();
}

// Makes the directory entry of a new file durable; best effort, since the
// key itself is already synced and some file systems refuse directory fsync.
void SyncParentDirectory(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0              ? "/"
                                                    : path.substr(0, slash);
  Fd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0) ::fsync(dfd.get());
}

// Creates `path` holding a new random key, which is also left in `key`.
// AlreadyExistsError when the file appeared meanwhile (another process won).
absl::Status CreateKeyFile(const std::string& path, unsigned char* key) {
  // O_EXCL: never overwrite an existing key, which would make every wrapped
  // data key unreadable.
  Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) {
    const int err = errno;
    if (err == EEXIST) return absl::AlreadyExistsError(path);
    return absl::FailedPreconditionError(absl::StrCat(
        "Sleutelbestand ", path, " kan niet worden aangemaakt: ",
        ErrnoText(err), "."));
  }
  const auto fail = [&](const char* what, int err) {
    // Remove the unfinished file so the next start does not find a bad key.
    ::unlink(path.c_str());
    return absl::FailedPreconditionError(
        absl::StrCat("Sleutelbestand ", path, " kan niet worden ", what, ": ",
                     ErrnoText(err), "."));
  };
  // The mode given to open() is reduced by the umask; fchmod is not.
  if (::fchmod(fd.get(), 0600) != 0) return fail("beveiligd", errno);
  randombytes_buf(key, kMasterKeyBytes);
  std::size_t put = 0;
  while (put < kMasterKeyBytes) {
    const ssize_t n = ::write(fd.get(), key + put, kMasterKeyBytes - put);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("geschreven", n < 0 ? errno : EIO);
    put += static_cast<std::size_t>(n);
  }
  if (::fsync(fd.get()) != 0) return fail("weggeschreven", errno);
  SyncParentDirectory(path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FileKeyProvider>> FileKeyProvider::Open(
    const std::string& path, bool create_if_missing) {
  internal::EnsureSodium();
  // sodium_malloc already mlocks the page (best effort: failure, e.g. a low
  // RLIMIT_MEMLOCK, is ignored) and surrounds it with guard pages.
  SecretBuffer key(kMasterKeyBytes);
  if (key.get() == nullptr) {
    return absl::ResourceExhaustedError(
        "geen geheugen voor de hoofdsleutel beschikbaar");
  }
  absl::Status status = ReadKeyFile(path, key.get());
  if (absl::IsNotFound(status) && create_if_missing) {
    status = CreateKeyFile(path, key.get());
    if (absl::IsAlreadyExists(status)) status = ReadKeyFile(path, key.get());
  }
  if (!status.ok()) return status;
  // Nothing writes the key after loading; read-only pages turn a stray write
  // into a crash instead of a silently different key.
  sodium_mprotect_readonly(key.get());
  std::string key_id = Sha256Hex(std::string_view(
                                     reinterpret_cast<const char*>(key.get()),
                                     kMasterKeyBytes))
                           .substr(0, 16);
  return std::unique_ptr<FileKeyProvider>(
      new FileKeyProvider(key.release(), std::move(key_id)));
}

FileKeyProvider::~FileKeyProvider() { sodium_free(key_); }

std::string_view FileKeyProvider::Key() const {
  return std::string_view(reinterpret_cast<const char*>(key_),
                          kMasterKeyBytes);
}

absl::StatusOr<std::string> FileKeyProvider::WrapKey(
    std::string_view data_key, std::string_view context) {
  if (data_key.size() != kDataKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("gegevenssleutel moet ", kDataKeyBytes, " bytes zijn"));
  }
  return Encrypt(Key(), data_key, context);
}

absl::StatusOr<std::string> FileKeyProvider::UnwrapKey(
    std::string_view wrapped, std::string_view context) {
  absl::StatusOr<std::string> data_key = Decrypt(Key(), wrapped, context);
  if (!data_key.ok() || data_key->size() != kDataKeyBytes) {
    return absl::DataLossError(absl::StrCat(
        "Sleutel voor ", std::string(context),
        " kan niet worden ontsleuteld (beschadigd, andere zaak of andere "
        "hoofdsleutel)."));
  }
  return data_key;
}

}  // namespace waarborg::crypto
