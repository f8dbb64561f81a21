#include "core/audit/audit_chain.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "fmt/format.h"

namespace waarborg {
namespace {

// Fast, non-cryptographic stand-in for SHA-256: std::hash as 16 hex digits.
std::string ToyHash(std::string_view s) {
  return fmt::format("{:016x}", std::hash<std::string_view>{}(s));
}

// A well-formed chain of `n` events, seq 1..n.
std::vector<AuditEvent> MakeChain(int n) {
  std::vector<AuditEvent> chain;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditEvent e;
    e.seq = i;
    e.at = 1'780'000'000'000 + std::int64_t{i} * 1000;
    e.actor = i % 3 == 0 ? "system" : "acc-7";
    e.session = i % 3 == 0 ? "" : "sess-42";
    e.action = i % 2 == 0 ? "case.read" : "case.staff";
    e.case_id = "LMM-2026-0001";
    e.detail = fmt::format("stap {}", i);
    e.prev_hash = prev;
    e.hash = ComputeEventHash(e, ToyHash);
    prev = e.hash;
    chain.push_back(e);
  }
  return chain;
}

// Feeds all of `chain`; returns the verifier for inspection.
ChainVerifier VerifyAll(const std::vector<AuditEvent>& chain) {
  ChainVerifier v(ToyHash);
  for (const AuditEvent& e : chain) v.Feed(e);
  return v;
}

TEST(AuditChain, GenesisHashIs64Zeros) {
  EXPECT_EQ(kGenesisHash.size(), 64u);
  EXPECT_EQ(kGenesisHash.find_first_not_of('0'), std::string_view::npos);
}

TEST(AuditChain, CanonicalFormExcludesHashButIncludesSeqAndPrevHash) {
  AuditEvent e = MakeChain(1)[0];
  AuditEvent other_hash = e;
  other_hash.hash = "ffff";
  EXPECT_EQ(CanonicalForm(e), CanonicalForm(other_hash));
  AuditEvent other_seq = e;
  other_seq.seq = 2;
  EXPECT_NE(CanonicalForm(e), CanonicalForm(other_seq));
  AuditEvent other_prev = e;
  other_prev.prev_hash = "abc";
  EXPECT_NE(CanonicalForm(e), CanonicalForm(other_prev));
  AuditEvent other_at = e;
  other_at.at += 1;
  EXPECT_NE(CanonicalForm(e), CanonicalForm(other_at));
}

TEST(AuditChain, CanonicalFormIsUnambiguousWhenTextMovesBetweenFields) {
  AuditEvent a;
  a.actor = "ab";
  a.session = "c";
  AuditEvent b;
  b.actor = "a";
  b.session = "bc";
  EXPECT_NE(CanonicalForm(a), CanonicalForm(b));
  // Separator characters inside a field cannot forge a field boundary.
  AuditEvent c;
  c.detail = "1:x;";
  AuditEvent d;
  d.detail = "";
  d.prev_hash = "x";
  EXPECT_NE(CanonicalForm(c), CanonicalForm(d));
}

TEST(AuditChain, CanonicalFormIsStable) {
  AuditEvent e;
  e.seq = 1;
  e.at = 5;
  e.actor = "system";
  e.action = "app.start";
  e.prev_hash = std::string(kGenesisHash);
  EXPECT_EQ(CanonicalForm(e),
            "waarborg-audit-v1;1:1;1:5;6:system;0:;9:app.start;0:;0:;64:" +
                std::string(kGenesisHash) + ";");
}

TEST(AuditChain, ComputeEventHashHashesCanonicalForm) {
  AuditEvent e = MakeChain(1)[0];
  EXPECT_EQ(ComputeEventHash(e, ToyHash), ToyHash(CanonicalForm(e)));
}

TEST(AuditChain, EmptyChainIsOk) {
  ChainVerifier v(ToyHash);
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.events_checked(), 0);
  EXPECT_EQ(v.first_broken_seq(), 0);
  EXPECT_EQ(v.reason(), "");
}

TEST(AuditChain, IntactChainVerifies) {
  std::vector<AuditEvent> chain = MakeChain(1000);
  ChainVerifier v = VerifyAll(chain);
  EXPECT_TRUE(v.ok()) << v.reason();
  EXPECT_EQ(v.events_checked(), 1000);
  EXPECT_EQ(v.last_seq(), 1000);
  EXPECT_EQ(v.last_hash(), chain.back().hash);
}

TEST(AuditChain, EditedDetailBreaksHash) {
  std::vector<AuditEvent> chain = MakeChain(10);
  chain[4].detail = "iets anders";
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 5);
  EXPECT_EQ(v.reason(), "hash klopt niet (inhoud gewijzigd)");
  EXPECT_EQ(v.events_checked(), 5);
  EXPECT_EQ(v.last_seq(), 4);
}

TEST(AuditChain, EditedEventWithRecomputedHashBreaksNextLink) {
  std::vector<AuditEvent> chain = MakeChain(10);
  chain[4].actor = "acc-1";
  chain[4].hash = ComputeEventHash(chain[4], ToyHash);
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 6);
  EXPECT_EQ(v.reason(), "prev_hash verwijst niet naar vorige gebeurtenis");
}

TEST(AuditChain, DeletedEventIsAGap) {
  std::vector<AuditEvent> chain = MakeChain(10);
  chain.erase(chain.begin() + 6);  // seq 7
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 7);
  EXPECT_EQ(v.reason(), "volgnummer ontbreekt");
}

TEST(AuditChain, DeletedEventWithRenumberedTailBreaksPrevHash) {
  std::vector<AuditEvent> chain = MakeChain(10);
  chain.erase(chain.begin() + 6);
  for (std::size_t i = 6; i < chain.size(); ++i) {
    chain[i].seq = static_cast<std::int64_t>(i) + 1;
    chain[i].hash = ComputeEventHash(chain[i], ToyHash);
  }
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 7);
  EXPECT_EQ(v.reason(), "prev_hash verwijst niet naar vorige gebeurtenis");
}

TEST(AuditChain, DuplicatedOrReorderedEventBreaksSequence) {
  std::vector<AuditEvent> chain = MakeChain(5);
  chain.insert(chain.begin() + 3, chain[2]);  // 1 2 3 3 4 5
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 4);
  EXPECT_EQ(v.reason(), "volgnummer dubbel of niet oplopend");
}

TEST(AuditChain, FirstEventMustPointToGenesis) {
  std::vector<AuditEvent> chain = MakeChain(3);
  chain[0].prev_hash = std::string(64, 'a');
  chain[0].hash = ComputeEventHash(chain[0], ToyHash);
  chain[1].prev_hash = chain[0].hash;
  chain[1].hash = ComputeEventHash(chain[1], ToyHash);
  ChainVerifier v = VerifyAll(chain);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 1);
  EXPECT_EQ(v.reason(), "prev_hash verwijst niet naar vorige gebeurtenis");
}

TEST(AuditChain, TailStartingAfterSeqOneIsVerifiedFromFirstSeen) {
  std::vector<AuditEvent> chain = MakeChain(10);
  ChainVerifier v(ToyHash);
  for (std::size_t i = 4; i < chain.size(); ++i) EXPECT_TRUE(v.Feed(chain[i]));
  EXPECT_TRUE(v.ok());
  EXPECT_EQ(v.events_checked(), 6);
}

TEST(AuditChain, AnchoredVerifierChecksFirstEventAgainstAnchor) {
  std::vector<AuditEvent> chain = MakeChain(10);
  ChainVerifier good(ToyHash, 4, chain[3].hash);
  for (std::size_t i = 4; i < chain.size(); ++i)
    EXPECT_TRUE(good.Feed(chain[i]));

  ChainVerifier wrong_hash(ToyHash, 4, chain[2].hash);
  EXPECT_FALSE(wrong_hash.Feed(chain[4]));
  EXPECT_EQ(wrong_hash.first_broken_seq(), 5);

  ChainVerifier gap(ToyHash, 3, chain[2].hash);
  EXPECT_FALSE(gap.Feed(chain[4]));
  EXPECT_EQ(gap.first_broken_seq(), 4);
  EXPECT_EQ(gap.reason(), "volgnummer ontbreekt");
}

TEST(AuditChain, NonPositiveFirstSeqIsRejected) {
  AuditEvent e = MakeChain(1)[0];
  e.seq = 0;
  e.hash = ComputeEventHash(e, ToyHash);
  ChainVerifier v(ToyHash);
  EXPECT_FALSE(v.Feed(e));
  EXPECT_FALSE(v.ok());
}

TEST(AuditChain, VerifierStaysBrokenAfterFirstBreak) {
  std::vector<AuditEvent> chain = MakeChain(6);
  chain[1].detail = "x";
  ChainVerifier v(ToyHash);
  EXPECT_TRUE(v.Feed(chain[0]));
  EXPECT_FALSE(v.Feed(chain[1]));
  EXPECT_FALSE(v.Feed(chain[2]));
  EXPECT_EQ(v.first_broken_seq(), 2);
  EXPECT_EQ(v.events_checked(), 2);
}

// A v2 chain (content hashes and nonces, as the store writes it): events of
// case "12" and "13", then the destruction of case 12 when `destroy_12`.
std::vector<AuditEvent> MakeRedactableChain(bool destroy_12) {
  std::vector<AuditEvent> chain;
  std::string prev(kGenesisHash);
  auto add = [&](const std::string& case_id, const std::string& actor, const std::string& action,
                 const std::string& detail) {
    AuditEvent e;
    e.seq = static_cast<std::int64_t>(chain.size()) + 1;
    e.at = 1'780'000'000'000 + e.seq * 1000;
    e.actor = actor;
    e.session = actor == "system" ? "" : "sess-1";
    e.action = action;
    e.case_id = case_id;
    e.detail = detail;
    e.nonce = fmt::format("nonce-{}", e.seq);
    e.prev_hash = prev;
    e.content_hash = ComputeContentHash(e, ToyHash);
    e.hash = ComputeEventHash(e, ToyHash);
    prev = e.hash;
    chain.push_back(e);
  };
  add("12", "acc-vpi1", "case.read", "");
  add("13", "acc-vpi2", "case.read", "");
  add("12", "melder", "message.post", "reporter, 1 bijlagen");
  if (destroy_12) add("12", "system", std::string(kCaseDestroyedAction), "LMM-2020-0012: bewaartermijn verstreken");
  return chain;
}

bool VerifiesFully(const std::vector<AuditEvent>& chain) {
  ChainVerifier v(ToyHash);
  for (const auto& e : chain) v.Feed(e);
  return v.Finish();
}

TEST(AuditChain, DestroyedCaseKeepsOnlyThatItExistedAndWasDestroyed) {
  auto chain = MakeRedactableChain(true);
  ASSERT_TRUE(VerifiesFully(chain));
  // Retention redacts the case's events: who, when, what and the nonce go.
  for (auto& e : chain)
    if (e.case_id == "12" && e.action != kCaseDestroyedAction) e = Redacted(e);
  EXPECT_TRUE(VerifiesFully(chain)) << "the chain no longer verifies after redaction";
  EXPECT_TRUE(chain[0].actor.empty() && chain[0].action.empty() && chain[0].at == 0 && chain[0].nonce.empty());
  EXPECT_TRUE(chain[2].detail.empty());
  EXPECT_EQ(chain[1].actor, "acc-vpi2") << "another case's event was touched";
  EXPECT_EQ(chain[3].action, kCaseDestroyedAction);
}

TEST(AuditChain, RedactionWithoutDestructionIsTampering) {
  auto chain = MakeRedactableChain(false);
  chain[0] = Redacted(chain[0]);  // blanked, but case 12 was never destroyed
  ChainVerifier v(ToyHash);
  for (const auto& e : chain) EXPECT_TRUE(v.Feed(e));
  EXPECT_FALSE(v.Finish());
  EXPECT_EQ(v.first_broken_seq(), 1);
  EXPECT_NE(v.reason().find("zonder dat de melding is vernietigd"), std::string::npos) << v.reason();
}

TEST(AuditChain, EditedContentOfARedactableEventIsDetected) {
  auto chain = MakeRedactableChain(true);
  chain[1].actor = "acc-someone-else";  // hash of the event itself is unchanged
  ChainVerifier v(ToyHash);
  for (const auto& e : chain) v.Feed(e);
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.first_broken_seq(), 2);
  // A redacted event that still shows something is not a redaction.
  auto partly = MakeRedactableChain(true);
  AuditEvent r = Redacted(partly[0]);
  r.actor = partly[0].actor;
  partly[0] = r;
  EXPECT_FALSE(VerifiesFully(partly));
  // Moving a redacted event to another case breaks its hash.
  auto moved = MakeRedactableChain(true);
  moved[0] = Redacted(moved[0]);
  moved[0].case_id = "13";
  EXPECT_FALSE(VerifiesFully(moved));
}

}  // namespace
}  // namespace waarborg
