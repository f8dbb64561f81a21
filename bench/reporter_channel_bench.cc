// reporter_channel_bench: the performance figures of the reporter's channel
// (issue 3, item 8), measured in-process against a fresh SQLite database.
//
//   reporter_channel_bench [--rounds 5] [--attachment-rounds 3] [--keep]
//
// Targets: a receipt log-in takes at most 1 s at the chosen Argon2id settings;
// two log-ins at once on the 2-core machine take no longer than one (no global
// lock around hashing); submitting a report with a 5 MB attachment takes at
// most 2 s end to end.
//
// 1. Creates a temporary data directory with a database and a master key (as
//    `waarborg serve` does) and inserts one unit. Reports are filed
//    anonymously (no identity fields), so no identity vault key is needed.
// 2. Measures (a) ReporterChannel::Submit without attachment (the Argon2id
//    receipt hash included), (b) ReporterChannel::LogIn one at a time, (c) two
//    LogIn calls at once on two threads, (d) files::SanitiseAttachment (mat2)
//    plus Submit with the cleaned 5 MB attachment, as the HTTP handler does
//    after parsing, and (e) http::ParseMultipart of a 5 MB form body.
// 3. Prints a Markdown table: figure, target, median, max, pass/fail.
//
// Two log-ins at once pass when the pair's median wall time is at most
// --max-parallel-ratio (1.5) times one log-in's median: fully parallel is 1×,
// a global lock around hashing makes it 2×. Argon2id with 64 MiB is bound by
// memory bandwidth, so even two bare hashes that share nothing take longer
// together than one; control rows show that, and the CPU time per hash.
//
// The 5 MB attachment is a 4000x3000 photo-like JPEG (smooth shapes, texture
// and sensor-like noise, quality 92) made at run time from deterministic
// pixels: with Pillow when Python has it, else with GdkPixbuf through
// /usr/bin/python3 (what mat2 itself uses), else with ImageMagick's convert.
// Camera EXIF with GPS is added when exiftool is installed, so mat2 has real
// metadata to remove. When no JPEG encoder is available, a 5 MB UTF-8 text
// file is used instead and the output says so (text is not run through mat2).
//
// Exits 0 once the table is printed, whether or not every target is met.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>

#include "adapters/crypto/crypto.h"
#include "adapters/crypto/file_key_provider.h"
#include "adapters/crypto/sealing.h"
#include "adapters/files/attachment_sanitiser.h"
#include "adapters/http/multipart.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/workflow_files/shipped_tracks.h"
#include "app/lmm_service.h"
#include "app/reporter_channel.h"
#include "core/common/status.h"
#include "server/system_clock.h"

namespace fs = std::filesystem;
using namespace waarborg;

namespace {

using Clock_ = std::chrono::steady_clock;

double Seconds(Clock_::time_point since) { return std::chrono::duration<double>(Clock_::now() - since).count(); }

[[noreturn]] void Die(std::string_view what, const absl::Status& st) {
  std::cerr << "reporter_channel_bench: " << what << ": " << st << "\n";
  std::exit(1);
}

template <typename T>
T Must(std::string_view what, absl::StatusOr<T> v) {
  if (!v.ok()) Die(what, v.status());
  return *std::move(v);
}

// CPU time of the calling thread, in seconds.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct Stats {
  double median = 0, max = 0;
};

Stats Summarise(std::vector<double> v) {
  Stats s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  s.max = v.back();
  return s;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const fs::path& p, std::string_view data) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Runs a shell command (arguments are temp paths without special characters)
// and returns its exit code and first line of output.
int Run(const std::string& cmd, std::string* first_line = nullptr) {
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[512];
  std::string line;
  if (std::fgets(buf, sizeof buf, p)) line = buf;
  while (std::fgets(buf, sizeof buf, p)) {
  }
  const int rc = pclose(p);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  if (first_line) *first_line = line;
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

bool Have(const std::string& program) { return Run("command -v " + program + " >/dev/null 2>&1") == 0; }

// Deterministic photo-like pixels: large smooth shapes, a gradient, mid-scale
// texture (value noise on a 16 px grid), a fine pattern and Gaussian noise of
// `noise` levels, the last of which mostly decides the JPEG size.
std::string PhotoPixels(int w, int h, double noise) {
  std::mt19937_64 rng(20261123);
  const int gw = w / 16 + 2, gh = h / 16 + 2;
  std::vector<float> grid(static_cast<std::size_t>(gw) * gh * 3);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& g : grid) g = u(rng);
  std::normal_distribution<float> n(0, 1);
  std::string out(static_cast<std::size_t>(w) * h * 3, '\0');
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float fx = x / 16.0f, fy = y / 16.0f;
      const int gx = static_cast<int>(fx), gy = static_cast<int>(fy);
      const float tx = fx - gx, ty = fy - gy;
      for (int c = 0; c < 3; ++c) {
        auto g = [&](int a, int b) { return grid[(static_cast<std::size_t>(b) * gw + a) * 3 + c]; };
        const float v = (g(gx, gy) * (1 - tx) + g(gx + 1, gy) * tx) * (1 - ty) +
                        (g(gx, gy + 1) * (1 - tx) + g(gx + 1, gy + 1) * tx) * ty;
        const float base = 90 + 60 * std::sin(x * 0.0015f + c) * std::cos(y * 0.002f) + 40.0f * y / h;
        const float val = base + 35 * v + 12 * std::sin(x * 0.05f + y * 0.03f) + static_cast<float>(noise) * n(rng);
        out[(static_cast<std::size_t>(y) * w + x) * 3 + c] = static_cast<char>(std::clamp(static_cast<int>(val), 0, 255));
      }
    }
  }
  return out;
}

constexpr const char* kEncodeJpegPy = R"PY(import sys
raw, out, w, h, q = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
data = open(raw, 'rb').read()
try:
    from PIL import Image
    Image.frombytes('RGB', (w, h), data).save(out, 'JPEG', quality=int(q))
    print('Pillow')
    sys.exit(0)
except ImportError:
    pass
import gi
gi.require_version('GdkPixbuf', '2.0')
from gi.repository import GdkPixbuf, GLib
p = GdkPixbuf.Pixbuf.new_from_bytes(GLib.Bytes.new(data), GdkPixbuf.Colorspace.RGB, False, 8, w, h, w * 3)
p.savev(out, 'jpeg', ['quality'], [q])
print('GdkPixbuf')
)PY";

struct TestFile {
  std::string filename;
  std::string content_type;
  std::string data;
  std::string how;  // how it was made, for the report
};

// Encodes the pixels as JPEG with the first encoder that works; "" when none.
std::string EncodeJpeg(const fs::path& dir, const std::string& pixels, int w, int h, std::string* how) {
  const fs::path raw = dir / "photo.rgb", out = dir / "photo.jpg", script = dir / "encode_jpeg.py";
  WriteFile(raw, pixels);
  WriteFile(script, kEncodeJpegPy);
  const std::string args = Cat(" ", raw.string(), " ", out.string(), " ", w, " ", h, " 92 2>/dev/null");
  std::string encoder;
  for (const char* py : {"python3", "/usr/bin/python3"}) {
    fs::remove(out);
    if (Run(Cat(py, " ", script.string(), args), &encoder) == 0 && fs::exists(out)) {
      *how = Cat(encoder, " (", py, "), quality 92");
      break;
    }
  }
  if (!fs::exists(out) && Have("convert")) {
    if (Run(Cat("convert -size ", w, "x", h, " -depth 8 rgb:", raw.string(), " -quality 92 ", out.string(),
                " >/dev/null 2>&1")) == 0 && fs::exists(out))
      *how = "ImageMagick convert, quality 92";
  }
  fs::remove(raw);
  if (!fs::exists(out)) return "";
  std::string jpeg = ReadFile(out);
  if (files::DetectMediaType(jpeg, "photo.jpg") != "image/jpeg") return "";
  if (Have("exiftool") &&
      Run(Cat("exiftool -q -overwrite_original -Make=Samsung -Model=SM-G991B -Artist='J. Jansen' "
              "-DateTimeOriginal='2026:11:20 14:03:11' -GPSLatitude=52.3702 -GPSLatitudeRef=N "
              "-GPSLongitude=4.8952 -GPSLongitudeRef=E ",
              out.string(), " >/dev/null 2>&1")) == 0) {
    jpeg = ReadFile(out);
    *how += ", camera EXIF with GPS added by exiftool";
  }
  return jpeg;
}

// A photo of at least `min_bytes` (the noise is raised until it is), or a
// UTF-8 text file of that size when no JPEG encoder is available.
TestFile MakeAttachment(const fs::path& dir, std::size_t min_bytes) {
  constexpr int kW = 4000, kH = 3000;  // 12 megapixels, a phone photo
  TestFile f;
  for (double noise = 12; noise <= 30; noise += 3) {
    std::string how;
    std::string jpeg = EncodeJpeg(dir, PhotoPixels(kW, kH, noise), kW, kH, &how);
    if (jpeg.empty()) break;
    f = {"IMG_20261120_140311.jpg", "image/jpeg", std::move(jpeg),
         Cat("JPEG ", kW, "x", kH, ", ", how)};
    if (f.data.size() >= min_bytes) return f;
  }
  if (!f.data.empty()) return f;  // the largest JPEG made; its size is reported
  std::cerr << "reporter_channel_bench: no JPEG encoder found (Pillow, GdkPixbuf or ImageMagick); "
               "using a UTF-8 text file instead (not cleaned by mat2)\n";
  f = {"verslag.txt", "text/plain", "", "UTF-8 text (no JPEG encoder available; text is not run through mat2)"};
  for (int i = 1; f.data.size() < min_bytes; ++i)
    f.data += Cat("Regel ", i, ": op dinsdag zag ik dat de kluis met inbeslaggenomen goederen open stond; "
                  "één collega nam een envelop mee naar zijn auto.\n");
  return f;
}

// The form body the intake page sends, with the file as the last part.
std::string MultipartBody(const std::string& boundary, const TestFile& f) {
  std::string b;
  auto field = [&](const char* name, const std::string& value) {
    b += Cat("--", boundary, "\r\nContent-Disposition: form-data; name=\"", name, "\"\r\n\r\n", value, "\r\n");
  };
  field("csrf", std::string(43, 'x'));
  field("reporter_category", "employee");
  field("unit_id", "1");
  field("summary", "Vermoeden van diefstal uit de goederenkluis");
  field("description", std::string(2000, 'a'));
  b += Cat("--", boundary, "\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"", f.filename,
           "\"\r\nContent-Type: ", f.content_type, "\r\n\r\n");
  b += f.data;
  b += Cat("\r\n--", boundary, "--\r\n");
  return b;
}

app::NewReport Report(Id unit) {
  app::NewReport r;
  r.reporter_category = "employee";
  r.summary = "Vermoeden van diefstal uit de goederenkluis";
  r.description =
      "Op het bureau staat de kluis met inbeslaggenomen goederen regelmatig open. Ik heb gezien dat een collega "
      "er contant geld uit meenam dat niet in het register is teruggekomen. Ik wil anoniem blijven.";
  r.unit_id = unit;
  return r;
}

std::string Fmt(double s) {
  char buf[32];
  if (s < 0.01)
    std::snprintf(buf, sizeof buf, "%.1f ms", s * 1000);
  else
    std::snprintf(buf, sizeof buf, "%.0f ms", s * 1000);
  return buf;
}

struct Row {
  std::string figure, target, median, max, result;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"Meet de prestaties van het meldkanaal (issue 3): bonnummer-login en melding met bijlage"};
  int rounds = 5;
  int attachment_rounds = 3;
  double attachment_mb = 5;
  double max_parallel_ratio = 1.5;
  bool keep = false;
  cli.add_option("--rounds", rounds, "Herhalingen voor melden, inloggen en parallel inloggen")->check(CLI::PositiveNumber);
  cli.add_option("--attachment-rounds", attachment_rounds, "Herhalingen voor melden met bijlage")
      ->check(CLI::PositiveNumber);
  cli.add_option("--attachment-mb", attachment_mb, "Minimale grootte van de bijlage in MB (10^6 bytes)");
  cli.add_option("--max-parallel-ratio", max_parallel_ratio,
                 "Twee logins tegelijk slagen als de mediaan hoogstens deze factor x een enkele login is "
                 "(1 = volledig parallel, 2 = achter elkaar, zoals met een globale lock)");
  cli.add_flag("--keep", keep, "Bewaar de tijdelijke datamap");
  CLI11_PARSE(cli, argc, argv);

  // --- set-up: a fresh data directory, database, master key, one unit ---
  std::string tmpl = (fs::temp_directory_path() / "waarborg-rcbench-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) Die("mkdtemp", absl::UnavailableError(std::strerror(errno)));
  const fs::path dir = tmpl;
  auto keys = Must("master key", crypto::FileKeyProvider::Open((dir / "master.key").string(), true));
  auto store_ptr = Must("open database",
                        SqliteStore::Open((dir / "waarborg.db").string(), crypto::Sha256Hex,
                                          std::shared_ptr<KeyProvider>(std::move(keys))));
  SqliteStore& store = *store_ptr;
  SystemClock clock;
  app::LmmService lmm(store, clock, workflow_files::ShippedLmmTrack());
  app::ReporterChannel channel(store, clock, lmm);
  Id unit = 0;
  if (auto st = store.Transact([&](StoreTx& tx) -> absl::Status {
        ASSIGN_OR_RETURN(Id corps, tx.InsertUnit({0, "Politie Bench", UnitKind::kCorps, std::nullopt}));
        ASSIGN_OR_RETURN(unit, tx.InsertUnit({0, "Basisteam Centrum", UnitKind::kTeam, corps}));
        return absl::OkStatus();
      });
      !st.ok())
    Die("insert unit", st);

  std::printf("data directory: %s\n", dir.c_str());
  std::printf("hardware threads: %u\n", std::thread::hardware_concurrency());

  // Warm-up: the installation salt is created on first use and the first
  // transaction pays for page-cache misses; neither is part of a log-in.
  {
    auto r = Must("warm-up submit", channel.Submit(Report(unit)));
    (void)Must("warm-up log-in", channel.LogIn(r.receipt, "127.0.0.1"));
  }

  // --- 0. Argon2id alone (context for the rows below) ---
  std::vector<double> hash_s, hash_cpu_s;
  const std::string salt = crypto::RandomBytes(crypto::kReceiptSaltBytes);
  for (int i = 0; i < rounds; ++i) {
    const std::string digits = crypto::RandomDigits(20);
    const auto t = Clock_::now();
    const double cpu = ThreadCpuSeconds();
    (void)Must("receipt hash", crypto::ReceiptHash(digits, salt));
    hash_cpu_s.push_back(ThreadCpuSeconds() - cpu);
    hash_s.push_back(Seconds(t));
  }

  // --- a. Submit without attachment ---
  std::vector<double> submit_s;
  std::vector<std::string> receipts;
  for (int i = 0; i < rounds; ++i) {
    const auto t = Clock_::now();
    auto r = Must("submit", channel.Submit(Report(unit)));
    submit_s.push_back(Seconds(t));
    receipts.push_back(r.receipt);
  }

  // --- b. one log-in at a time ---
  std::vector<double> login_s;
  for (int i = 0; i < rounds; ++i) {
    const auto t = Clock_::now();
    auto l = Must("log-in", channel.LogIn(receipts[i % receipts.size()], "127.0.0.1"));
    login_s.push_back(Seconds(t));
    if (l.token.empty()) Die("log-in", absl::InternalError("no session token"));
  }

  // --- c. two log-ins at once, on two threads ---
  // Each round is followed by a control: two bare Argon2id hashes at once,
  // which share nothing. Interleaved, so that load from other processes on
  // the machine hits both alike. If the control also takes longer than one
  // hash, the cause is the cores (busy, or memory bandwidth: Argon2id fills
  // 64 MiB per call), not a lock in the log-in path. Thread CPU time tells
  // waiting from working: a thread blocked on a lock uses no CPU meanwhile.
  std::vector<double> pair_s, pair_each_s, pair_cpu_s, hash_pair_s, hash_pair_cpu_s;
  for (int i = 0; i < rounds; ++i) {
    double each[2] = {0, 0}, cpu[2] = {0, 0};
    absl::Status st[2];
    auto t = Clock_::now();
    std::thread th[2];
    for (int k = 0; k < 2; ++k) {
      th[k] = std::thread([&, k] {
        const auto t0 = Clock_::now();
        const double c0 = ThreadCpuSeconds();
        auto l = channel.LogIn(receipts[(2 * i + k) % receipts.size()], k == 0 ? "127.0.0.1" : "127.0.0.2");
        cpu[k] = ThreadCpuSeconds() - c0;
        each[k] = Seconds(t0);
        st[k] = l.status();
      });
    }
    for (auto& x : th) x.join();
    pair_s.push_back(Seconds(t));
    for (int k = 0; k < 2; ++k) {
      if (!st[k].ok()) Die("parallel log-in", st[k]);
      pair_each_s.push_back(each[k]);
      pair_cpu_s.push_back(cpu[k]);
    }

    t = Clock_::now();
    for (int k = 0; k < 2; ++k)
      th[k] = std::thread([&, k] {
        const double c0 = ThreadCpuSeconds();
        (void)Must("receipt hash", crypto::ReceiptHash(crypto::RandomDigits(20), salt));
        cpu[k] = ThreadCpuSeconds() - c0;
      });
    for (auto& x : th) x.join();
    hash_pair_s.push_back(Seconds(t));
    hash_pair_cpu_s.insert(hash_pair_cpu_s.end(), {cpu[0], cpu[1]});
  }

  // --- d. a report with a 5 MB attachment: clean with mat2, then submit ---
  const auto min_bytes = static_cast<std::size_t>(attachment_mb * 1e6);
  const TestFile file = MakeAttachment(dir, min_bytes);
  std::printf("attachment: %s, %s, %.2f MB (%zu bytes)\n", file.filename.c_str(), file.how.c_str(),
              file.data.size() / 1e6, file.data.size());
  std::vector<double> attach_s, sanitise_s, attach_submit_s;
  std::size_t cleaned_bytes = 0;
  for (int i = 0; i < attachment_rounds; ++i) {
    const auto t = Clock_::now();
    files::CleanFile clean = Must("sanitise attachment", files::SanitiseAttachment(file.filename, file.data));
    sanitise_s.push_back(Seconds(t));
    const auto t_submit = Clock_::now();
    app::NewReport r = Report(unit);
    Attachment a;
    a.visibility = "reporter";
    a.filename = clean.filename;
    a.media_type = clean.media_type;
    a.size = static_cast<std::int64_t>(clean.data.size());
    a.data = std::move(clean.data);
    cleaned_bytes = a.data.size();
    r.attachments.push_back(std::move(a));
    (void)Must("submit with attachment", channel.Submit(std::move(r)));
    attach_submit_s.push_back(Seconds(t_submit));
    attach_s.push_back(Seconds(t));
  }
  std::printf("cleaned attachment: %.2f MB (%zu bytes)\n", cleaned_bytes / 1e6, cleaned_bytes);

  // --- e. parsing the multipart body of such a submission ---
  const std::string boundary = "----WaarborgBench7MA4YWxkTrZu0gW";
  const std::string body = MultipartBody(boundary, file);
  const std::string content_type = Cat("multipart/form-data; boundary=", boundary);
  std::vector<double> parse_s;
  for (int i = 0; i < rounds; ++i) {
    const auto t = Clock_::now();
    const std::string b = Must("boundary", http::MultipartBoundary(content_type));
    auto parts = Must("parse multipart", http::ParseMultipart(body, b));
    parse_s.push_back(Seconds(t));
    if (parts.empty() || parts.back().data.size() != file.data.size())
      Die("parse multipart", absl::InternalError("file part not returned whole"));
  }

  // --- the table ---
  const Stats hash = Summarise(hash_s), submit = Summarise(submit_s), login = Summarise(login_s),
              pair = Summarise(pair_s), pair_each = Summarise(pair_each_s), hash_pair = Summarise(hash_pair_s), pair_cpu = Summarise(pair_cpu_s),
              hash_cpu = Summarise(hash_cpu_s), hash_pair_cpu = Summarise(hash_pair_cpu_s), attach = Summarise(attach_s),
              sanitise = Summarise(sanitise_s), attach_submit = Summarise(attach_submit_s),
              parse = Summarise(parse_s);
  const double ratio = login.median > 0 ? pair.median / login.median : 0;
  const double ratio_max = login.median > 0 ? pair.max / login.median : 0;
  const double lock_ratio = hash_pair.median > 0 ? pair.median / hash_pair.median : 0;
  auto pass = [](bool ok) { return std::string(ok ? "pass" : "**fail**"); };
  char ratio_buf[96];
  std::snprintf(ratio_buf, sizeof ratio_buf, " (%.2f× one)", ratio);
  char ratio_max_buf[96];
  std::snprintf(ratio_max_buf, sizeof ratio_max_buf, " (%.2f×)", ratio_max);
  const std::string mb = [&] {
    char b[32];
    std::snprintf(b, sizeof b, "%.1f MB", file.data.size() / 1e6);
    return std::string(b);
  }();
  std::vector<Row> rows = {
      {"Argon2id receipt hash alone (opslimit 3, 64 MiB)", "—", Fmt(hash.median), Fmt(hash.max), "(context)"},
      {Cat("(a) submit, no attachment (receipt hash included), n=", rounds), "—", Fmt(submit.median),
       Fmt(submit.max), "(context)"},
      {Cat("(b) receipt log-in, one at a time, n=", rounds), "≤ 1 s", Fmt(login.median), Fmt(login.max),
       pass(login.max <= 1.0)},
      {Cat("(c) two log-ins at once on two threads, wall time per pair, n=", rounds),
       [&] {
         char b[128];
         std::snprintf(b, sizeof b, "no longer than one; pass: ≤ %.2f× (b) median (a lock would give ≈ 2×)",
                       max_parallel_ratio);
         return std::string(b);
       }(),
       Fmt(pair.median) + ratio_buf, Fmt(pair.max) + ratio_max_buf, pass(ratio <= max_parallel_ratio)},
      {"(c) each log-in inside a pair", "≤ 1 s", Fmt(pair_each.median), Fmt(pair_each.max),
       pass(pair_each.max <= 1.0)},
      {"(c) CPU time of each log-in inside a pair (≈ its wall time: no waiting on a lock)", "—",
       Fmt(pair_cpu.median), Fmt(pair_cpu.max), "(context)"},
      {"(c) pair of log-ins vs. pair of bare Argon2id hashes (which share nothing)", "—",
       Fmt(pair.median) + " vs. " + Fmt(hash_pair.median) + [&] {
         char b[48];
         std::snprintf(b, sizeof b, " (%.2f×)", lock_ratio);
         return std::string(b);
       }(),
       Fmt(pair.max) + " vs. " + Fmt(hash_pair.max), "(context)"},
      {"(c) control: two bare Argon2id hashes at once, wall time per pair", "—",
       Fmt(hash_pair.median) + [&] {
         char b[48];
         std::snprintf(b, sizeof b, " (%.2f× one hash)", hash.median > 0 ? hash_pair.median / hash.median : 0);
         return std::string(b);
       }(),
       Fmt(hash_pair.max), "(context)"},
      {"(c) control: CPU time per bare hash, alone vs. in a pair", "—",
       Fmt(hash_cpu.median) + " vs. " + Fmt(hash_pair_cpu.median), Fmt(hash_cpu.max) + " vs. " + Fmt(hash_pair_cpu.max),
       "(context)"},
      {Cat("(d) submit with a ", mb, " ", file.content_type, ": mat2 clean + submit, n=", attachment_rounds),
       "≤ 2 s", Fmt(attach.median), Fmt(attach.max), pass(attach.max <= 2.0)},
      {"(d) of which SanitiseAttachment (mat2)", "—", Fmt(sanitise.median), Fmt(sanitise.max), "(context)"},
      {"(d) of which Submit with the cleaned file", "—", Fmt(attach_submit.median), Fmt(attach_submit.max),
       "(context)"},
      {Cat("(e) ParseMultipart of the ", [&] {
         char b[32];
         std::snprintf(b, sizeof b, "%.1f MB", body.size() / 1e6);
         return std::string(b);
       }(), " form body, n=", rounds),
       "negligible (≤ 50 ms)", Fmt(parse.median), Fmt(parse.max), pass(parse.max <= 0.05)},
      {"(d) + (e): parse + clean + submit (sums of (d) and (e))", "≤ 2 s", Fmt(attach.median + parse.median),
       Fmt(attach.max + parse.max), pass(attach.max + parse.max <= 2.0)},
  };
  std::printf("\n| figure | target | median | max | result |\n|---|---|---|---|---|\n");
  for (const Row& r : rows)
    std::printf("| %s | %s | %s | %s | %s |\n", r.figure.c_str(), r.target.c_str(), r.median.c_str(),
                r.max.c_str(), r.result.c_str());

  store_ptr.reset();
  if (keep) {
    std::printf("\nkept %s\n", dir.c_str());
  } else {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return 0;
}
