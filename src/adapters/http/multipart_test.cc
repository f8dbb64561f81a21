#include "adapters/http/multipart.h"

#include <gtest/gtest.h>

#include <string>

namespace waarborg::http {
namespace {

constexpr std::string_view kBoundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

std::string Part(std::string_view headers, std::string_view data) {
  return std::string("--") + std::string(kBoundary) + "\r\n" + std::string(headers) + "\r\n\r\n" +
         std::string(data) + "\r\n";
}

std::string Close() { return std::string("--") + std::string(kBoundary) + "--\r\n"; }

void ExpectBadForm(const absl::StatusOr<std::vector<FormPart>>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "Het formulier is niet goed verstuurd.");
}

TEST(Multipart, RoundTripsTwoFieldsAndBinaryFile) {
  // Binary data with CR/LF, NUL, "--", "\r\n--" and a partial boundary.
  std::string binary("\x00\x01\xff\r\n--\r\n--", 10);
  binary += "\r\n--" + std::string(kBoundary.substr(0, kBoundary.size() - 1)) + "X";
  binary += "\r\n-";
  binary += std::string("--") + std::string(kBoundary);  // not preceded by CRLF: data
  binary += "\r\n";
  const std::string body =
      "preamble is ignored\r\n" +
      Part("Content-Disposition: form-data; name=\"title\"", "Melding over \"inkoop\"") +
      Part("content-disposition: form-data; name=\"body\"", "regel 1\r\nregel 2\r\n") +
      Part("Content-Disposition: form-data; name=\"file\"; filename=\"foto.jpg\"\r\n"
           "Content-Type: image/jpeg",
           binary) +
      Close() + "epilogue is ignored";
  auto r = ParseMultipart(body, kBoundary);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].name, "title");
  EXPECT_EQ((*r)[0].filename, "");
  EXPECT_EQ((*r)[0].content_type, "");
  EXPECT_EQ((*r)[0].data, "Melding over \"inkoop\"");
  EXPECT_EQ((*r)[1].name, "body");
  EXPECT_EQ((*r)[1].data, "regel 1\r\nregel 2\r\n");
  EXPECT_EQ((*r)[2].name, "file");
  EXPECT_EQ((*r)[2].filename, "foto.jpg");
  EXPECT_EQ((*r)[2].content_type, "image/jpeg");
  EXPECT_EQ((*r)[2].data, binary);
}

TEST(Multipart, BoundaryFromContentType) {
  auto plain = MultipartBoundary("multipart/form-data; boundary=----abc");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(*plain, "----abc");
  auto quoted = MultipartBoundary("Multipart/Form-Data ; charset=utf-8; boundary=\"a b:c?\"");
  ASSERT_TRUE(quoted.ok()) << quoted.status();
  EXPECT_EQ(*quoted, "a b:c?");

  EXPECT_FALSE(MultipartBoundary("multipart/form-data").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"\"").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"ends in space \"").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=\"bad\x01\"").ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).ok());
  EXPECT_TRUE(MultipartBoundary("multipart/form-data; boundary=" + std::string(70, 'a')).ok());
  EXPECT_FALSE(MultipartBoundary("multipart/form-data; boundary=a; boundary=b").ok());
  EXPECT_FALSE(MultipartBoundary("application/x-www-form-urlencoded; boundary=abc").ok());
  auto bad = MultipartBoundary("text/plain");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Multipart, QuotedBoundaryParsesBody) {
  auto b = MultipartBoundary("multipart/form-data; boundary=\"" + std::string(kBoundary) + "\"");
  ASSERT_TRUE(b.ok()) << b.status();
  auto r = ParseMultipart(Part("Content-Disposition: form-data; name=a", "1") + Close(), *b);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "a");
  EXPECT_EQ((*r)[0].data, "1");
}

TEST(Multipart, RefusesMissingFinalBoundary) {
  const std::string part = Part("Content-Disposition: form-data; name=\"a\"", "1");
  ExpectBadForm(ParseMultipart(part, kBoundary));
  ExpectBadForm(ParseMultipart(part.substr(0, part.size() - 2), kBoundary));
  // Delimiter followed by something else than "--" or CRLF.
  ExpectBadForm(ParseMultipart(part + "--" + std::string(kBoundary) + "xyz\r\n", kBoundary));
  ExpectBadForm(ParseMultipart("", kBoundary));
  ExpectBadForm(ParseMultipart("no delimiter at all", kBoundary));
  // Only the closing delimiter: a valid, empty form.
  auto empty = ParseMultipart(Close(), kBoundary);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->empty());
}

TEST(Multipart, FilenameWithPathBecomesBaseName) {
  auto r = ParseMultipart(
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"C:\\x\\y.pdf\"", "%PDF") +
          Part("Content-Disposition: form-data; name=\"g\"; filename=\"../../etc/passwd\"", "x") +
          Part("Content-Disposition: form-data; name=\"h\"; filename=\"a\\\"b.txt\"", "x") +
          Close(),
      kBoundary);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].filename, "y.pdf");
  EXPECT_EQ((*r)[1].filename, "passwd");
  EXPECT_EQ((*r)[2].filename, "a\"b.txt");
}

TEST(Multipart, RefusesBadFilenames) {
  ExpectBadForm(ParseMultipart(
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"a\tb.pdf\"", "x") + Close(),
      kBoundary));
  ExpectBadForm(ParseMultipart(
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"dir/..\"", "x") + Close(),
      kBoundary));
  ExpectBadForm(ParseMultipart(
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"unterminated", "x") + Close(),
      kBoundary));
}

TEST(Multipart, EmptyFileInputIsReturnedWithEmptyFilename) {
  auto r = ParseMultipart(
      Part("Content-Disposition: form-data; name=\"bijlage\"; filename=\"\"\r\n"
           "Content-Type: application/octet-stream",
           "") +
          Close(),
      kBoundary);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "bijlage");
  EXPECT_EQ((*r)[0].filename, "");
  EXPECT_EQ((*r)[0].data, "");
}

TEST(Multipart, RefusesTooManyParts) {
  std::string body;
  for (int i = 0; i < 3; ++i) body += Part("Content-Disposition: form-data; name=\"a\"", "1");
  body += Close();
  MultipartLimits limits;
  limits.max_parts = 3;
  EXPECT_TRUE(ParseMultipart(body, kBoundary, limits).ok());
  limits.max_parts = 2;
  ExpectBadForm(ParseMultipart(body, kBoundary, limits));

  std::string many;
  for (int i = 0; i < 41; ++i) many += Part("Content-Disposition: form-data; name=\"a\"", "1");
  ExpectBadForm(ParseMultipart(many + Close(), kBoundary));
}

TEST(Multipart, RefusesMalformedHeaders) {
  // No Content-Disposition.
  ExpectBadForm(ParseMultipart(Part("Content-Type: text/plain", "1") + Close(), kBoundary));
  // No headers at all.
  ExpectBadForm(ParseMultipart("--" + std::string(kBoundary) + "\r\n\r\n1\r\n" + Close(),
                               kBoundary));
  // Not form-data, no name, empty name, duplicate header, folded line, no colon.
  for (std::string_view headers : {
           "Content-Disposition: attachment; name=\"a\"",
           "Content-Disposition: form-data",
           "Content-Disposition: form-data; name=\"\"",
           "Content-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=b",
           "Content-Disposition: form-data;\r\n name=\"a\"",
           "Content-Disposition: form-data; name=\"a\"\r\nGarbage",
           "Content-Disposition: form-data; name=\"a\"; name=\"b\"",
           "Content-Disposition: form-data; name=\"a\" trailing",
       }) {
    ExpectBadForm(ParseMultipart(Part(headers, "1") + Close(), kBoundary));
  }
}

TEST(Multipart, RefusesTooLongHeader) {
  MultipartLimits limits;
  limits.max_header_bytes = 100;
  const std::string ok_header = "Content-Disposition: form-data; name=\"a\"";
  EXPECT_TRUE(ParseMultipart(Part(ok_header, "1") + Close(), kBoundary, limits).ok());
  const std::string long_header = ok_header + "\r\nX-Padding: " + std::string(100, 'p');
  ExpectBadForm(ParseMultipart(Part(long_header, "1") + Close(), kBoundary, limits));
  // Exactly at the limit is fine.
  const std::string exact = ok_header + "\r\nX: " +
                            std::string(100 - ok_header.size() - 2 - 3 - 2, 'p');
  EXPECT_TRUE(ParseMultipart(Part(exact, "1") + Close(), kBoundary, limits).ok());
}

TEST(Multipart, HandlesLargeBodyQuickly) {
  // 8 MB of data made of near-delimiters: must stay linear.
  std::string data;
  const std::string near = "\r\n--" + std::string(kBoundary.substr(0, 20));
  while (data.size() < 8 * 1024 * 1024) data += near;
  auto r = ParseMultipart(
      Part("Content-Disposition: form-data; name=\"f\"; filename=\"x.bin\"", data) + Close(),
      kBoundary);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].data.size(), data.size());
}

}  // namespace
}  // namespace waarborg::http
