#include "adapters/report/pdf.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "core/common/strings.h"

extern char** environ;

namespace waarborg::report {

namespace {

std::timed_mutex print_mu;  // one Chromium at a time: it takes a few hundred MB

std::string MissingMessage(const std::string& chromium) {
  return Cat("Een PDF maken kan nu niet: Chromium (", chromium,
             ") is niet beschikbaar op de server. Open het verslag en kies in de browser Afdrukken en dan Opslaan als "
             "PDF; de pagina is daarvoor opgemaakt.");
}

}  // namespace

absl::StatusOr<std::string> HtmlToPdf(std::string_view html, const PdfOptions& o) {
  if (access(o.chromium.c_str(), X_OK) != 0) return absl::UnavailableError(ToAbsl(MissingMessage(o.chromium)));
  std::unique_lock lock(print_mu, std::defer_lock);
  if (!lock.try_lock_for(o.queue))
    return absl::ResourceExhaustedError("Er wordt al een PDF gemaakt. Probeer het over een minuut opnieuw.");

  std::string tmpl = (std::filesystem::temp_directory_path() / "waarborg-pdf-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return absl::InternalError("tijdelijke map voor de PDF");
  const std::filesystem::path dir = tmpl;
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } cleanup{dir};
  const std::string page = (dir / "verslag.html").string();
  const std::string pdf = (dir / "verslag.pdf").string();
  {
    std::ofstream out(page, std::ios::binary);
    out.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!out) return absl::InternalError("HTML voor de PDF schrijven");
  }

  std::vector<std::string> args = {
      o.chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
      "--no-default-browser-check", "--disable-extensions", "--disable-sync", "--disable-background-networking",
      "--disable-component-update", "--disable-default-apps", "--mute-audio",
      // Nothing to fetch, and nowhere to fetch it from.
      "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
      Cat("--user-data-dir=", (dir / "profiel").string()), "--no-pdf-header-footer", Cat("--print-to-pdf=", pdf),
      Cat("file://", page)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // Chromium's own files (crash reports, caches) go to the temporary directory.
  std::vector<std::string> env = {Cat("HOME=", dir.string()), "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
                                  Cat("XDG_CONFIG_HOME=", (dir / "config").string()),
                                  Cat("XDG_CACHE_HOME=", (dir / "cache").string())};
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);  // its own process group, to stop all of it
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, o.chromium.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return absl::UnavailableError(ToAbsl(MissingMessage(o.chromium)));

  const auto deadline = std::chrono::steady_clock::now() + o.timeout;
  bool exited = false;
  while (std::chrono::steady_clock::now() < deadline) {
    // Not reaped yet (WNOWAIT): while it is a zombie its process group id
    // cannot be given to anyone else, so the kill below hits only Chromium.
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) break;
    if (info.si_pid == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  // Whatever is left of it (renderers, zygote) goes too.
  kill(-pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!exited) {
    return absl::DeadlineExceededError(ToAbsl(Cat("De PDF was niet binnen ", o.timeout.count(),
                                                  " seconden klaar. Probeer het opnieuw, of druk het "
                                                  "verslag af vanuit de browser.")));
  }
  std::ifstream in(pdf, std::ios::binary);
  std::ostringstream ss;
  if (in) ss << in.rdbuf();
  std::string bytes = ss.str();
  if (bytes.rfind("%PDF-", 0) != 0)
    return absl::UnavailableError(
        ToAbsl(Cat("Chromium maakte geen PDF (status ", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                   "). Druk het verslag af vanuit de browser: kies Afdrukken en dan Opslaan als PDF.")));
  return bytes;
}

}  // namespace waarborg::report
