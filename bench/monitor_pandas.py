#!/usr/bin/python3
"""A straightforward pandas version of the Protective Monitoring engine (issue 6 §9).

The same explainers, rules and scoring as src/monitor (docs/monitoring.md), written
the way an analyst would in pandas: vectorised joins and group-bys where natural,
plain Python loops where the rule is a state machine (a burst on a new terminal,
the decayed score with a daily budget). It reads the JSON-lines file and the side
tables that `monitor_bench --export DIR` writes, reports events per second and
compares its flags with the C++ engine's (DIR/flags_cpp.csv).

    python3 bench/monitor_pandas.py --events /tmp/waarborg-monitor-bench/events.jsonl --tables DIR

A benchmark, not part of `make test`. Needs Debian's python3-pandas.
"""
import argparse
import hashlib
import json
import math
import sys
import time

import numpy as np
import pandas as pd

KEY = b"e" * 32  # the generator's test key, as monitor_bench
UTC_OFFSET = 3600
DISPATCH_WINDOW = 12 * 3600
TEAM_RECENT = 30 * 86400
ROSTER_SLACK = 3600
NEAR_HOME, REGION = 5, 3
LEARNING_DAYS, BASELINE_DAYS, MIN_VOLUME, VOLUME_Z, MIN_PEERS = 7, 28, 10, 5.0, 5
BURST_COUNT, BURST_WINDOW = 20, 900
PTS = {"relatie.achternaam": 3, "relatie.woonomgeving": 3, "relatie.collega": 3, "relatie.eigen_registratie": 4,
       "relatie.gemelde_relatie": 2, "gevoelig.vip": 4, "gevoelig.afgeschermd": 4, "gevoelig.in_onderzoek": 4,
       "tijd.buiten_rooster": 2, "tijd.verlof": 3, "tijd.nacht": 1, "regio.eerste_keer": 2,
       "account.overgenomen": 8}
HALF_LIFE, MIN_SCORE, REFLAG_DAYS = 3.0, 6.0, 14


def pseudonym(user_id):
    # libsodium crypto_generichash with 16 output bytes, first 8 bytes in hex.
    return "u" + hashlib.blake2b(user_id.encode(), digest_size=16, key=KEY).hexdigest()[:16]


def median_mad(values):
    v = np.asarray(values, dtype=float)
    med = float(np.median(v))
    return med, 1.4826 * float(np.median(np.abs(v - med)))


def load_tables(d):
    staff = pd.read_json(f"{d}/staff.jsonl", lines=True, dtype=False)
    subjects = pd.read_json(f"{d}/subjects.jsonl", lines=True, dtype=False)
    cases = pd.read_json(f"{d}/cases.jsonl", lines=True, dtype=False)
    dispatches = pd.read_csv(f"{d}/dispatches.csv", dtype={"user": str, "subject": str, "time": np.int64})
    return staff, subjects, cases, dispatches


def intervals(staff, column):
    """One row per (user, interval) of the staff column (roster or leave)."""
    x = staff[["pseudonym", column]].explode(column).dropna()
    return pd.DataFrame({"user": x["pseudonym"].values,
                         "start": [i[0] for i in x[column]], "end": [i[1] for i in x[column]]})


def inside(ev, iv, slack):
    """For each row of ev (user, time): is the time inside one of the user's intervals (± slack)?
    Intervals of one user do not overlap, so the last one starting before the time decides."""
    left = ev[["user", "time"]].assign(row=ev.index).sort_values("time")
    right = iv.assign(from_=iv["start"] - slack).sort_values("from_")
    m = pd.merge_asof(left, right, left_on="time", right_on="from_", by="user", direction="backward")
    hit = m["end"].notna() & (m["time"] < m["end"] + slack)
    return pd.Series(hit.values, index=m["row"].values).reindex(ev.index).fillna(False).astype(bool)


def run(events_path, tables_dir):
    staff, subjects, cases, dispatches = load_tables(tables_dir)
    t0 = time.perf_counter()

    # ---- parse and pseudonymise ----
    ev = pd.read_json(events_path, lines=True, dtype=False)
    n_events = len(ev)
    ev["time"] = pd.to_datetime(ev["time"], utc=True).astype("int64") // 10**9
    users = ev["user"].unique()
    ev["user"] = ev["user"].map(dict(zip(users, map(pseudonym, users))))
    ev["day"] = (ev["time"] + UTC_OFFSET) // 86400
    if "case_ref" not in ev:
        ev["case_ref"] = None
    ev["event"] = np.arange(n_events)
    t_parsed = time.perf_counter()

    # ---- explainers, one row per subject of interest ----
    interest = ev["subjects_opened"].where(ev["subjects_opened"].str.len() > 0, ev["subjects_returned"])
    rows = ev[["event", "time", "day", "user", "terminal", "case_ref"]].assign(subject=interest).explode("subject")
    rows = rows[rows["subject"].notna()].reset_index(drop=True)
    team_of = staff.set_index("pseudonym")["team"]
    rows["team"] = rows["user"].map(team_of)

    case_subjects = cases[["id", "team", "start", "end", "subjects"]].explode("subjects").rename(
        columns={"subjects": "subject"})
    assigned = case_subjects.merge(cases[["id", "assigned"]].explode("assigned"), on="id").rename(
        columns={"assigned": "user"})
    m = rows[["user", "subject", "time"]].reset_index().merge(assigned, on=["user", "subject"])
    ok = m[(m["time"] >= m["start"]) & (m["time"] < m["end"] + TEAM_RECENT)]["index"].unique()
    rows["assigned"] = rows.index.isin(ok)

    m = rows[["user", "subject", "time"]].reset_index().merge(
        dispatches.rename(columns={"time": "dtime"}), on=["user", "subject"])
    ok = m[(m["time"] - m["dtime"]).abs() <= DISPATCH_WINDOW]["index"].unique()
    rows["dispatch"] = rows.index.isin(ok)

    m = rows[["team", "subject", "time"]].reset_index().merge(case_subjects, on=["team", "subject"])
    ok = m[(m["time"] >= m["start"]) & (m["time"] < m["end"] + TEAM_RECENT)]["index"].unique()
    rows["team_handled"] = rows.index.isin(ok)

    authors = subjects[["id", "authors"]].explode("authors").dropna()
    authored = pd.MultiIndex.from_arrays([authors["id"], authors["authors"]])
    rows["authored"] = pd.MultiIndex.from_arrays([rows["subject"], rows["user"]]).isin(authored)

    m = rows[["case_ref", "subject", "time"]].reset_index().merge(
        case_subjects.rename(columns={"id": "case_ref"}), on=["case_ref", "subject"])
    ok = m[(m["time"] >= m["start"]) & (m["time"] < m["end"])]["index"].unique()
    rows["stated"] = rows.index.isin(ok)

    rows["explained"] = rows[["assigned", "dispatch", "team_handled", "authored", "stated"]].any(axis=1)
    ev["explained"] = ~ev["event"].isin(rows.loc[~rows["explained"], "event"])
    coverage = ev["explained"].mean()

    # ---- rules ----
    subj = subjects.set_index("id")
    st = staff.set_index("pseudonym")
    rows["geohash"] = rows["subject"].map(subj["geohash"])
    first_day = ev.groupby("user")["day"].min()
    evidence = []  # frames of (user, day, rule, subject)

    un = rows[~rows["explained"]].copy()
    un = un.join(subj[["surname", "vip", "shielded", "under_investigation", "colleague"]], on="subject")
    un = un[un["geohash"].notna()]  # subject rules need the subject's row
    un = un.join(st[["surname", "home_geohash", "declared_relations"]].rename(columns={"surname": "user_surname"}),
                 on="user")
    has_staff = un["home_geohash"].notna()
    col = un["colleague"].fillna("")
    own = has_staff & (col != "") & (col == un["user"])
    near = un["geohash"].str[:NEAR_HOME] == un["home_geohash"].str[:NEAR_HOME]
    declared = [isinstance(d, list) and s in d for s, d in zip(un["subject"], un["declared_relations"])]
    for rule, hit in [("relatie.eigen_registratie", own),
                      ("relatie.collega", has_staff & (col != "") & ~own),
                      ("relatie.achternaam", has_staff & (un["user_surname"].fillna("") != "") &
                       (un["surname"] == un["user_surname"]) & (col != un["user"])),
                      ("relatie.woonomgeving", has_staff & near & (col != un["user"])),
                      ("relatie.gemelde_relatie", has_staff & pd.Series(declared, index=un.index)),
                      ("gevoelig.vip", un["vip"]), ("gevoelig.afgeschermd", un["shielded"]),
                      ("gevoelig.in_onderzoek", un["under_investigation"])]:
        evidence.append(un.loc[hit.astype(bool), ["user", "day", "subject"]].assign(rule=rule))

    # Region: a region the user first looked up today (any look-up, explained or not), not the home region,
    # after the learning days; evidence for every distinct person once a series of two is reached.
    rows["region"] = rows["geohash"].str[:REGION]
    seen = rows[rows["region"].notna()]
    first_seen = seen.groupby(["user", "region"])["day"].min().rename("first_seen")
    r = un.assign(region=un["geohash"].str[:REGION]).join(first_seen, on=["user", "region"])
    r = r[(r["first_seen"] == r["day"]) & (r["day"] - r["user"].map(first_day) >= LEARNING_DAYS) &
          (r["region"] != r["home_geohash"].str[:REGION])]
    r = r.drop_duplicates(["user", "day", "region", "subject"])
    r = r[r.groupby(["user", "day", "region"])["subject"].transform("size") >= 2]
    evidence.append(r[["user", "day", "subject"]].assign(rule="regio.eerste_keer"))

    # Time rules, once per unexplained look-up, on its first unexplained subject.
    first_un = rows[~rows["explained"]].drop_duplicates("event").set_index("event")["subject"]
    te = ev[~ev["explained"]][["event", "user", "time", "day"]].set_index("event")
    te["subject"] = first_un
    roster, leave = intervals(staff, "roster"), intervals(staff, "leave")
    on_shift = inside(te, roster, 0)
    near_shift = inside(te, roster, ROSTER_SLACK)
    on_leave = inside(te, leave, 0) & ~on_shift
    has_roster = te["user"].map(st["roster"].str.len() > 0).fillna(False)
    hour = ((te["time"] + UTC_OFFSET) % 86400) // 3600
    evidence.append(te.loc[on_leave, ["user", "day", "subject"]].assign(rule="tijd.verlof"))
    evidence.append(te.loc[~on_leave & has_roster & ~near_shift, ["user", "day", "subject"]].assign(
        rule="tijd.buiten_rooster"))
    evidence.append(te.loc[(hour < 6) & ~on_shift, ["user", "day", "subject"]].assign(rule="tijd.nacht"))

    # Taken-over account: a terminal new to the user today (known terminals are those of earlier days),
    # after the learning days, with 20 look-ups within 15 minutes; a state machine per user and day.
    tm = ev[ev["terminal"].notna() & (ev["terminal"] != "")][["user", "day", "time", "terminal"]]
    tm = tm.join(tm.groupby(["user", "terminal"])["day"].min().rename("t_first"), on=["user", "terminal"])
    tm = tm[(tm["t_first"] == tm["day"]) & (tm["day"] - tm["user"].map(first_day) >= LEARNING_DAYS)]
    takeover = []
    for (user, day), g in tm.groupby(["user", "day"], sort=False):
        current, times = None, []
        for t, terminal in zip(g["time"], g["terminal"]):
            if terminal != current:
                current, times = terminal, []
            times.append(t)
            times = [x for x in times if t - x <= BURST_WINDOW]
            if len(times) >= BURST_COUNT:
                takeover.append((user, day, "", "account.overgenomen"))
                break
    evidence.append(pd.DataFrame(takeover, columns=["user", "day", "subject", "rule"]))

    # Volume: unexplained look-ups per active user and day against the user's last 28 active days
    # and against today's peers of the same role and unit.
    daily = ev.groupby(["user", "day"])["explained"].agg(lambda e: int((~e).sum())).rename("x").reset_index()
    daily["group"] = daily["user"].map(st["role"] + "|" + st["unit"])
    volume = []
    for user, g in daily.sort_values("day").groupby("user", sort=False):
        history = []
        for day, x in zip(g["day"], g["x"]):
            if x >= MIN_VOLUME and len(history) >= LEARNING_DAYS:
                med, mad = median_mad(history)
                z = (x - med) / (mad + max(1.0, 0.1 * med))
                if z >= VOLUME_Z:
                    volume.append((user, day, "", "volume.eigen_patroon", min(8, int(z / VOLUME_Z) + 2)))
            history = (history + [x])[-BASELINE_DAYS:]
    for (group, day), g in daily.groupby(["group", "day"]):
        if len(g) < MIN_PEERS or g["x"].max() < MIN_VOLUME:
            continue
        med, mad = median_mad(g["x"])
        for user, x in zip(g["user"], g["x"]):
            z = (x - med) / (mad + max(1.0, 0.1 * med))
            if x >= MIN_VOLUME and z >= VOLUME_Z:
                volume.append((user, day, "", "volume.collega_groep", min(8, int(z / VOLUME_Z) + 1)))
    vol = pd.DataFrame(volume, columns=["user", "day", "subject", "rule", "points"])

    # ---- scores and flags: the same rule on the same subject counts once per user and day ----
    allev = pd.concat([e[["user", "day", "subject", "rule"]] for e in evidence], ignore_index=True)
    allev["points"] = allev["rule"].map(PTS)
    allev = pd.concat([allev, vol], ignore_index=True).drop_duplicates(["user", "day", "rule", "subject"])
    per_day = allev.groupby(["day", "user"]).agg(points=("points", "sum"), rules=("rule", lambda r: " ".join(
        sorted(set(r))))).reset_index()
    lam = math.log(2) / HALF_LIFE
    budget = 0.5 * len(staff) / 1000.0
    score, last_day, last_flag, carry, flags = {}, {}, {}, 0.0, []
    evidence_days = dict(tuple(per_day.groupby("day")))
    for day in sorted(ev["day"].unique()):
        cands = []
        g = evidence_days.get(day)
        if g is not None:
            for user, pts, rules in zip(g["user"], g["points"], g["rules"]):
                carried = score[user] * math.exp(-lam * (day - last_day[user])) if user in score else 0.0
                score[user], last_day[user] = carried + pts, day
                if score[user] >= MIN_SCORE and day - last_flag.get(user, -1000000) >= REFLAG_DAYS:
                    cands.append((-score[user], user, rules))
        cands.sort()
        carry += budget
        k = int(carry)
        carry -= k
        for s, user, rules in cands[:k]:
            last_flag[user] = day
            flags.append((day, user, -s, rules))
    elapsed = time.perf_counter() - t0
    return n_events, t_parsed - t0, elapsed, coverage, pd.DataFrame(flags, columns=["day", "user", "score", "rules"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", required=True)
    ap.add_argument("--tables", required=True, help="directory written by monitor_bench --export")
    ap.add_argument("--cpp-rate", type=float, help="the C++ whole-pipeline events/s to compare with")
    a = ap.parse_args()
    n, parse_s, total_s, coverage, flags = run(a.events, a.tables)
    flags.to_csv(f"{a.tables}/flags_pandas.csv", index=False, float_format="%.4f")
    print(f"pandas {pd.__version__}: {n} events; read + parse + pseudonymise {parse_s:.1f} s; "
          f"whole pipeline {total_s:.1f} s = {n / total_s:.0f} events/s; explanation coverage {coverage:.4f}")
    if a.cpp_rate:
        print(f"C++ / pandas = {a.cpp_rate / (n / total_s):.0f}x")
    cpp = pd.read_csv(f"{a.tables}/flags_cpp.csv")
    key = lambda f: set(zip(f["day"], f["user"]))
    same = key(cpp) & key(flags)
    print(f"flags: C++ {len(cpp)}, pandas {len(flags)}, the same (day, user) {len(same)}")
    merged = cpp.merge(flags, on=["day", "user"], suffixes=("_cpp", "_pandas"))
    diff = merged[(merged["score_cpp"] - merged["score_pandas"]).abs() > 1e-3]
    for _, row in diff.iterrows():
        print(f"  score differs on day {row['day']} {row['user']}: {row['score_cpp']} vs {row['score_pandas']}")
    for f, name in [(cpp, "only C++"), (flags, "only pandas")]:
        other = key(flags) if name == "only C++" else key(cpp)
        for _, row in f.iterrows():
            if (row["day"], row["user"]) not in other:
                print(f"  {name}: day {row['day']} {row['user']} {row['score']:.2f} {row['rules']}")
    return 0 if len(same) == len(cpp) == len(flags) and diff.empty else 1


if __name__ == "__main__":
    sys.exit(main())
