#include "adapters/files/attachment_sanitiser.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace waarborg::files {
namespace {

constexpr char kTypeRefused[] =
    "Dit bestandstype wordt niet geaccepteerd. Toegestaan: PDF, JPEG, PNG, tekst, Word, "
    "Excel en OpenDocument.";
constexpr char kNotCleaned[] =
    "Het bestand kon niet worden ontdaan van metagegevens en is daarom niet opgeslagen.";

// A 1x1 baseline JPEG (JFIF, no metadata) made with GdkPixbuf.
constexpr char kJpeg1x1[] =
"\xff\xd8\xff\xe0\x00\x10\x4a\x46\x49\x46\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xdb\x00\x43"
"\x00\x50\x37\x3c\x46\x3c\x32\x50\x46\x41\x46\x5a\x55\x50\x5f\x78\xc8\x82\x78\x6e\x6e\x78\xf5\xaf"
"\xb9\x91\xc8\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xdb\x00\x43\x01\x55\x5a"
"\x5a\x78\x69\x78\xeb\x82\x82\xeb\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xc0\x00\x11\x08\x00\x01\x00\x01\x03"
"\x01\x22\x00\x02\x11\x01\x03\x11\x01\xff\xc4\x00\x1f\x00\x00\x01\x05\x01\x01\x01\x01\x01\x01\x00"
"\x00\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xff\xc4\x00\xb5\x10\x00"
"\x02\x01\x03\x03\x02\x04\x03\x05\x05\x04\x04\x00\x00\x01\x7d\x01\x02\x03\x00\x04\x11\x05\x12\x21"
"\x31\x41\x06\x13\x51\x61\x07\x22\x71\x14\x32\x81\x91\xa1\x08\x23\x42\xb1\xc1\x15\x52\xd1\xf0\x24"
"\x33\x62\x72\x82\x09\x0a\x16\x17\x18\x19\x1a\x25\x26\x27\x28\x29\x2a\x34\x35\x36\x37\x38\x39\x3a"
"\x43\x44\x45\x46\x47\x48\x49\x4a\x53\x54\x55\x56\x57\x58\x59\x5a\x63\x64\x65\x66\x67\x68\x69\x6a"
"\x73\x74\x75\x76\x77\x78\x79\x7a\x83\x84\x85\x86\x87\x88\x89\x8a\x92\x93\x94\x95\x96\x97\x98\x99"
"\x9a\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xc2\xc3\xc4\xc5\xc6"
"\xc7\xc8\xc9\xca\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xf1"
"\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xff\xc4\x00\x1f\x01\x00\x03\x01\x01\x01\x01\x01\x01\x01\x01"
"\x01\x00\x00\x00\x00\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\xff\xc4\x00\xb5\x11\x00"
"\x02\x01\x02\x04\x04\x03\x04\x07\x05\x04\x04\x00\x01\x02\x77\x00\x01\x02\x03\x11\x04\x05\x21\x31"
"\x06\x12\x41\x51\x07\x61\x71\x13\x22\x32\x81\x08\x14\x42\x91\xa1\xb1\xc1\x09\x23\x33\x52\xf0\x15"
"\x62\x72\xd1\x0a\x16\x24\x34\xe1\x25\xf1\x17\x18\x19\x1a\x26\x27\x28\x29\x2a\x35\x36\x37\x38\x39"
"\x3a\x43\x44\x45\x46\x47\x48\x49\x4a\x53\x54\x55\x56\x57\x58\x59\x5a\x63\x64\x65\x66\x67\x68\x69"
"\x6a\x73\x74\x75\x76\x77\x78\x79\x7a\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x92\x93\x94\x95\x96\x97"
"\x98\x99\x9a\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xc2\xc3\xc4"
"\xc5\xc6\xc7\xc8\xc9\xca\xd2\xd3\xd4\xd5\xd6\xd7\xd8\xd9\xda\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea"
"\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00\x65"
"\x14\x51\x5b\x10\x7f\xff\xd9"
    ;

std::string Jpeg1x1() { return std::string(kJpeg1x1, sizeof kJpeg1x1 - 1); }

void PutLe16(std::string& s, std::uint32_t v) {
  s.push_back(static_cast<char>(v & 0xff));
  s.push_back(static_cast<char>((v >> 8) & 0xff));
}
void PutLe32(std::string& s, std::uint32_t v) {
  PutLe16(s, v & 0xffff);
  PutLe16(s, v >> 16);
}

// The 1x1 JPEG with an APP1 Exif segment right after SOI whose IFD0 holds one
// Artist (0x013B) ASCII entry.
std::string JpegWithExifArtist(std::string_view artist) {
  std::string tiff = "II*";
  tiff.push_back('\0');
  PutLe32(tiff, 8);                 // IFD0 offset
  PutLe16(tiff, 1);                 // one entry
  PutLe16(tiff, 0x013B);            // Artist
  PutLe16(tiff, 2);                 // ASCII
  PutLe32(tiff, static_cast<std::uint32_t>(artist.size() + 1));
  PutLe32(tiff, 8 + 2 + 12 + 4);    // value offset, after the IFD
  PutLe32(tiff, 0);                 // no next IFD
  tiff += artist;
  tiff.push_back('\0');
  std::string payload("Exif\0\0", 6);
  payload += tiff;
  const std::size_t len = payload.size() + 2;
  std::string segment = "\xFF\xE1";
  segment.push_back(static_cast<char>(len >> 8));
  segment.push_back(static_cast<char>(len & 0xff));
  segment += payload;
  std::string jpeg = Jpeg1x1();
  return jpeg.substr(0, 2) + segment + jpeg.substr(2);
}

// A minimal valid one-page PDF with an Info dictionary naming an author.
std::string PdfWithAuthor(std::string_view author) {
  const std::string stream = "0 0 1 rg 20 20 100 100 re f";
  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Title (WaarborgTestTitle) /Author (" + std::string(author) + ") >>",
  };
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < std::size(objects); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 6\n0000000000 65535 f \n";
  for (std::size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 6 /Root 1 0 R /Info 5 0 R >>\nstartxref\n" + std::to_string(xref) +
         "\n%%EOF\n";
  return pdf;
}

// A zip with stored entries (CRCs left 0: only the structure matters for
// detection). `first_data` is the content of the first entry.
std::string StoredZip(const std::vector<std::string>& names, std::string_view first_data = "") {
  std::string zip, cd;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string_view data = i == 0 ? first_data : std::string_view();
    const std::size_t offset = zip.size();
    PutLe32(zip, 0x04034b50);
    PutLe16(zip, 20); PutLe16(zip, 0); PutLe16(zip, 0); PutLe16(zip, 0); PutLe16(zip, 0);
    PutLe32(zip, 0);
    PutLe32(zip, data.size()); PutLe32(zip, data.size());
    PutLe16(zip, names[i].size()); PutLe16(zip, 0);
    zip += names[i];
    zip += data;
    PutLe32(cd, 0x02014b50);
    PutLe16(cd, 20); PutLe16(cd, 20); PutLe16(cd, 0); PutLe16(cd, 0); PutLe16(cd, 0);
    PutLe16(cd, 0);
    PutLe32(cd, 0);
    PutLe32(cd, data.size()); PutLe32(cd, data.size());
    PutLe16(cd, names[i].size()); PutLe16(cd, 0); PutLe16(cd, 0); PutLe16(cd, 0);
    PutLe16(cd, 0); PutLe32(cd, 0);
    PutLe32(cd, offset);
    cd += names[i];
  }
  const std::size_t cd_offset = zip.size();
  zip += cd;
  PutLe32(zip, 0x06054b50);
  PutLe16(zip, 0); PutLe16(zip, 0);
  PutLe16(zip, names.size()); PutLe16(zip, names.size());
  PutLe32(zip, cd.size()); PutLe32(zip, cd_offset);
  PutLe16(zip, 0);
  return zip;
}

// Sets (or with nullopt unsets) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A private TMPDIR for one test, so it can check that nothing is left behind.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wb-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  bool Empty() const { return std::filesystem::is_empty(path_); }
  // Writes an executable shell script and returns its path.
  std::string Script(const std::string& name, const std::string& body) const {
    const std::string p = path_ + "/" + name;
    std::ofstream(p) << "#!/bin/sh\n" << body << "\n";
    chmod(p.c_str(), 0700);
    return p;
  }

 private:
  std::string path_;
};

constexpr const char* kMat2Hint = "mat2 is a declared dependency: apt install mat2. ";

TEST(AttachmentSanitiser, RemovesExifFromJpeg) {
  ScopedEnv no_override("WAARBORG_MAT2", std::nullopt);
  const std::string jpeg = JpegWithExifArtist("WaarborgTestArtist");
  ASSERT_NE(jpeg.find("WaarborgTestArtist"), std::string::npos);
  EXPECT_EQ(DetectMediaType(jpeg, "x"), "image/jpeg");

  ScratchDir tmp;
  absl::StatusOr<CleanFile> r;
  {
    ScopedEnv tmpdir("TMPDIR", tmp.path());
    r = SanitiseAttachment("IMG_0001.JPEG", jpeg);
  }
  ASSERT_TRUE(r.ok()) << kMat2Hint << r.status();
  EXPECT_EQ(r->media_type, "image/jpeg");
  EXPECT_EQ(r->filename, "IMG_0001.jpg");
  EXPECT_EQ(r->data.find("WaarborgTestArtist"), std::string::npos);
  EXPECT_EQ(r->data.find("Exif"), std::string::npos);
  EXPECT_EQ(DetectMediaType(r->data, ""), "image/jpeg");
  EXPECT_TRUE(r->data.ends_with("\xFF\xD9"));
  EXPECT_TRUE(tmp.Empty()) << "temporary directory left behind";
}

TEST(AttachmentSanitiser, RemovesAuthorFromPdf) {
  ScopedEnv no_override("WAARBORG_MAT2", std::nullopt);
  const std::string pdf = PdfWithAuthor("WaarborgTestAuthor");
  auto r = SanitiseAttachment("verslag.pdf", pdf);
  ASSERT_TRUE(r.ok()) << kMat2Hint << r.status();
  EXPECT_EQ(r->media_type, "application/pdf");
  EXPECT_EQ(r->filename, "verslag.pdf");
  EXPECT_TRUE(r->data.starts_with("%PDF-"));
  EXPECT_EQ(r->data.find("WaarborgTestAuthor"), std::string::npos);
  EXPECT_EQ(r->data.find("WaarborgTestTitle"), std::string::npos);
}

TEST(AttachmentSanitiser, RefusesExecutablesAndHtml) {
  const std::string elf("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16);
  const std::string exe = std::string("MZ\x90\0\x03\0\0\0", 8) + "This program cannot be run";
  const std::string html = "<!DOCTYPE html><html><script>alert(1)</script></html>";
  const std::string svg = "  \n<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
  for (const auto& [name, data] : {std::pair{"a.pdf", elf}, std::pair{"b.exe", exe},
                                   std::pair{"c.html", html}, std::pair{"d.txt", svg},
                                   std::pair{"e.txt", std::string()}}) {
    auto r = SanitiseAttachment(name, data);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(r.status().message(), kTypeRefused) << name;
  }
}

TEST(AttachmentSanitiser, RefusesTooLargeFile) {
  AttachmentPolicy policy;
  const std::string big(policy.max_bytes + 1, 'a');
  auto r = SanitiseAttachment("groot.txt", big, policy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "Het bestand is te groot (maximaal 10 MB).");
  EXPECT_TRUE(SanitiseAttachment("precies.txt", std::string(policy.max_bytes, 'a'), policy).ok());
}

TEST(AttachmentSanitiser, TextPassesUnchanged) {
  const std::string text = "Beste meneer,\r\n\tDe factuur van € 1.234 klopt niet.\n";
  auto r = SanitiseAttachment("..\\notities.md", text);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->media_type, "text/plain");
  EXPECT_EQ(r->data, text);
  EXPECT_EQ(r->filename, "notities.txt");
  // Invalid UTF-8 and NUL bytes are not text.
  EXPECT_EQ(DetectMediaType("abc\xC3", "a.txt"), "");
  EXPECT_EQ(DetectMediaType("\xC0\xAF", "a.txt"), "");
  EXPECT_EQ(DetectMediaType(std::string("a\0b", 3), "a.txt"), "");
}

TEST(AttachmentSanitiser, SubmissionLimits) {
  EXPECT_TRUE(CheckSubmissionLimits({}).ok());
  EXPECT_TRUE(CheckSubmissionLimits({1, 2, 3, 4, 5}).ok());
  absl::Status six = CheckSubmissionLimits({1, 2, 3, 4, 5, 6});
  EXPECT_EQ(six.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(six.message(), "U kunt maximaal 5 bestanden meesturen.");
  constexpr std::size_t kMiB = 1024 * 1024;
  EXPECT_EQ(CheckSubmissionLimits({11 * kMiB}).message(),
            "Het bestand is te groot (maximaal 10 MB).");
  EXPECT_EQ(CheckSubmissionLimits({9 * kMiB, 9 * kMiB, 9 * kMiB}).message(),
            "De bestanden zijn samen te groot (maximaal 25 MB).");
}

TEST(AttachmentSanitiser, DetectsTypesFromContentOnly) {
  EXPECT_EQ(DetectMediaType("\x89PNG\r\n\x1A\n....", "x.pdf"), "image/png");
  EXPECT_EQ(DetectMediaType("%PDF-1.7\n", "x.png"), "application/pdf");
  EXPECT_EQ(DetectMediaType(StoredZip({"[Content_Types].xml", "_rels/.rels", "word/document.xml"}),
                            "x.zip"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(DetectMediaType(StoredZip({"[Content_Types].xml", "xl/workbook.xml"}), ""),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(DetectMediaType(StoredZip({"mimetype", "content.xml"},
                                      "application/vnd.oasis.opendocument.text"),
                            ""),
            "application/vnd.oasis.opendocument.text");
  // Macros, other ODF types, plain zips and truncated zips are refused.
  EXPECT_EQ(DetectMediaType(StoredZip({"[Content_Types].xml", "word/document.xml",
                                       "word/vbaProject.bin"}),
                            "x.docx"),
            "");
  EXPECT_EQ(DetectMediaType(StoredZip({"mimetype", "content.xml"},
                                      "application/vnd.oasis.opendocument.presentation"),
                            "x.odt"),
            "");
  EXPECT_EQ(DetectMediaType(StoredZip({"a.exe"}), "x.zip"), "");
  const std::string docx = StoredZip({"[Content_Types].xml", "word/document.xml"});
  EXPECT_EQ(DetectMediaType(docx.substr(0, docx.size() - 5), "x.docx"), "");
}

TEST(AttachmentSanitiser, SafeFilenames) {
  EXPECT_EQ(SafeFilename("C:\\Users\\x\\Foto 1.JPG", "image/jpeg"), "Foto 1.jpg");
  EXPECT_EQ(SafeFilename("rapport.pdf.exe", "application/pdf"), "rapport.pdf.pdf");
  EXPECT_EQ(SafeFilename("../../.bashrc", "text/plain"), "bashrc.txt");
  EXPECT_EQ(SafeFilename("", "application/pdf"), "bijlage.pdf");
  EXPECT_EQ(SafeFilename("...", "application/pdf"), "bijlage.pdf");
  EXPECT_EQ(SafeFilename("a<b>:\"c|?*.pdf", "application/pdf"), "a_b___c___.pdf");
  // Right-to-left override ("factuur<RLO>fdp.exe") is dropped.
  EXPECT_EQ(SafeFilename("factuur\xE2\x80\xAE" "fdp.exe", "application/pdf"), "factuurfdp.pdf");
  EXPECT_EQ(SafeFilename("café\x01\xff.txt", "text/plain"), "café_.txt");
  const std::string long_name = SafeFilename(std::string(300, 'e') + "é.pdf", "application/pdf");
  EXPECT_LE(long_name.size(), 100u);
  EXPECT_TRUE(long_name.ends_with(".pdf"));
}

TEST(AttachmentSanitiser, FailsWhenMat2IsMissing) {
  ScopedEnv missing("WAARBORG_MAT2", "/nonexistent/waarborg/mat2");
  auto r = SanitiseAttachment("a.jpg", JpegWithExifArtist("X"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), kNotCleaned);
}

TEST(AttachmentSanitiser, FailsWhenMat2FailsOrBreaksTheFile) {
  ScratchDir scripts;
  {
    ScopedEnv fail("WAARBORG_MAT2", scripts.Script("fail", "exit 1"));
    auto r = SanitiseAttachment("a.pdf", PdfWithAuthor("X"));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  }
  {
    // Exits 0 but leaves something that is no longer a PDF.
    ScopedEnv breaks("WAARBORG_MAT2", scripts.Script("breaks", "echo junk > \"$3\""));
    auto r = SanitiseAttachment("a.pdf", PdfWithAuthor("X"));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(r.status().message(), kNotCleaned);
  }
}

TEST(AttachmentSanitiser, KillsMat2AfterTimeout) {
  ScratchDir scripts;
  ScopedEnv slow("WAARBORG_MAT2", scripts.Script("slow", "sleep 20"));
  ScratchDir tmp;
  ScopedEnv tmpdir("TMPDIR", tmp.path());
  AttachmentPolicy policy;
  policy.mat2_timeout_seconds = 1;
  const auto start = std::chrono::steady_clock::now();
  auto r = SanitiseAttachment("a.jpg", Jpeg1x1(), policy);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_TRUE(tmp.Empty()) << "temporary directory left behind";
}

}  // namespace
}  // namespace waarborg::files
