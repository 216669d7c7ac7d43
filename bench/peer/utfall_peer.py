#!/usr/bin/env python3
"""
utfall's NumPy peer: the Norrköping model as an analyst would write it in NumPy instead of
using the kit, vectorised over trials and children. It is the yardstick of `npm run bench`
(issue 11, goal 1: the CLI's whole process at most 0.5x this script's) and is checked against
the engine in test/bench/peer.test.ts. bench/peer/README.md says what it implements and where
it simplifies.

    python3 bench/peer/utfall_peer.py data/scenarios/norrkoping-2016.json --trials 100000 --seed 1

prints one JSON object: the key figures of `utfall run --json` under the same names (each
distribution with its standard deviation `sd` as well), plus `peer` (how it ran).

The model is the engine's (models/compile.ts, models/simulate.ts, models/cohort/placement.ts,
models/cohort/coupled.ts, models/contract/*.ts, models/summary/summarize.ts): the same
parameters, the same draws per trial (a geometric stay and a destination uniform per move of
the untreated child; the treated child given the untreated path by the conditional coupling;
binomial school counts), the same contract arithmetic. The random numbers are NumPy's own
(PCG64), so the figures agree with the engine's in distribution, not digit for digit.

Exit codes: 0 success; 2 a scenario or option this peer does not support (with a message).
"""
import argparse
import json
import math
import os
import sys
import time

try:
    import numpy as np
except ImportError:  # the bench and the test look for this message
    sys.stderr.write("utfall_peer: numpy is not installed (pip install numpy)\n")
    sys.exit(3)

HERE = os.path.dirname(os.path.abspath(__file__))
FIGURES = os.path.join(HERE, "..", "..", "data", "figures")

Z95 = 1.6448536269514722  # Phi^-1(0.95): a {p5, p95} range spans +-Z95 sd (models/random/sampler.ts)
DAYS_PER_YEAR = 365.25
MONEY_EPSILON = 1e-6  # models/constants.ts
TIE = 1e-9  # RELATIVE_TIE_TOLERANCE, models/constants.ts
SMD_TO_LOG_ODDS = math.pi / math.sqrt(3)  # Chinn 2000, as models/cohort/coupled.ts

# Field bounds that clip sampled values (models/scenario/param.ts BOUNDS, models/compile.ts).
PROB = (0.0, 1.0)
RATIO = (0.0, 1000.0)
PER_UNIT = (0.0, 1e9)
SMD = (-10.0, 10.0)


class Unsupported(Exception):
    """A scenario feature this peer does not implement: exit 2 with the message."""


# --- Figures and parameters -------------------------------------------------------------

_tables = {}


def figure_row(ref_id):
    table, row = ref_id.split("/", 1)
    if table not in _tables:
        path = os.path.join(FIGURES, table + ".json")
        try:
            with open(path, encoding="utf-8") as f:
                _tables[table] = {r["id"]: r for r in json.load(f)["rows"]}
        except OSError:
            raise Unsupported(f"figure table {table!r} not found at {path}")
    if row not in _tables[table]:
        raise Unsupported(f"unknown figure {ref_id!r}")
    return _tables[table][row]


def resolve(spec):
    """A {ref} to the parameter tables as the scenario's own number forms (models/figures/resolve.ts)."""
    if not (isinstance(spec, dict) and "ref" in spec):
        return spec
    if "priceYear" in spec:
        raise Unsupported("a {ref} with priceYear (KPI price adjustment of a figure) is not supported by the peer")
    ids = [spec["ref"]] if isinstance(spec["ref"], str) else spec["ref"]
    rows = [figure_row(i) for i in ids]
    if len(rows) == 2:
        lo, hi = rows[0]["value"], rows[1]["value"]
    elif rows[0].get("value") is not None:
        return {"value": rows[0]["value"]}
    else:
        lo, hi = rows[0]["low"], rows[0]["high"]
    if spec.get("as") == "uniform":
        return {"dist": "uniform", "min": lo, "max": hi}
    return {"p5": lo, "p95": hi}


def uncertain(spec):
    return isinstance(spec, dict) and "value" not in spec


def central(spec):
    """The value a fixed parameter takes (centralValue in models/scenario/param.ts)."""
    if isinstance(spec, (int, float)):
        return float(spec)
    if "value" in spec:
        return float(spec["value"])
    raise AssertionError("central() of an uncertain parameter")


class Params:
    """Draws each parameter for a chunk of trials: an array of n values (or a float when fixed)."""

    def __init__(self, rng, n):
        self.rng, self.n, self.draws = rng, n, 0

    def normal(self, mu, sigma):
        self.draws += 2 * self.n  # the engine's Box-Muller takes two uniforms; counted as such
        return self.rng.normal(mu, sigma, self.n)

    def __call__(self, spec, bounds=None):
        spec = resolve(spec)
        if not uncertain(spec):
            return central(spec)
        d = spec.get("dist", "range")
        n, rng = self.n, self.rng
        if d == "range":
            p5, p95 = spec["p5"], spec["p95"]
            if p5 > 0:
                lo, hi = math.log(p5), math.log(p95)
                x = np.exp(self.normal((lo + hi) / 2, (hi - lo) / (2 * Z95)))
            else:
                x = self.normal((p5 + p95) / 2, (p95 - p5) / (2 * Z95))
        elif d == "normal":
            x = self.normal(spec["mean"], spec["sd"])
        elif d == "lognormal":
            x = np.exp(self.normal(spec["mu"], spec["sigma"]))
        elif d == "beta":
            self.draws += 3 * n  # about three uniforms a beta (d3-random's gamma rejection)
            x = rng.beta(spec["alpha"], spec["beta"], n)
        elif d == "uniform":
            self.draws += n
            x = rng.uniform(spec["min"], spec["max"], n)
        elif d == "triangular":
            self.draws += n
            x = rng.triangular(spec["min"], spec["mode"], spec["max"], n)
        elif d == "pert":  # a beta scaled to [min, max], shape weight 4 (Vose 2008)
            lo, mode, hi = spec["min"], spec["mode"], spec["max"]
            w = hi - lo
            self.draws += 3 * n
            x = lo + w * rng.beta(1 + 4 * (mode - lo) / w, 1 + 4 * (hi - mode) / w, n)
        else:
            raise Unsupported(f"distribution {d!r} is not supported by the peer")
        if bounds is not None:
            x = np.clip(x, bounds[0], bounds[1])
        return x


# --- Calendar and prices (models/calendar.ts, models/prices.ts) --------------------------

def kpi(year):
    try:
        return figure_row(f"kpi/{year}")["value"]
    except Unsupported:
        return None


def index_ratio(price_year, inflation, year):
    """KPI(year) / KPI(price year), past the table's last year extrapolated by inflation."""
    y, extra = year, 1.0
    while kpi(y) is None and y > price_year:
        y -= 1
        extra *= 1 + inflation
    if kpi(y) is not None and kpi(price_year) is not None:
        return kpi(y) / kpi(price_year) * extra
    return (1 + inflation) ** (year - price_year)


def start_month(date):
    if date is None:
        return None
    parts = [int(x) for x in date.split("-")]
    return parts[0] * 12 + (parts[1] if len(parts) > 1 else 1) - 1


def budget_year(ppy, sm, p):
    if sm is None:
        return p // ppy
    return math.floor((sm + (p + 0.5) * 12 / ppy) / 12) - sm // 12


# --- The scenario, checked and compiled --------------------------------------------------

def allocate(shares, n):
    """Intake by the largest-remainder rule, the same every trial (allocate in placement.ts)."""
    counts = [math.floor(s * n) for s in shares]
    while sum(counts) < n:
        rems = [s * n - c for s, c in zip(shares, counts)]
        counts[rems.index(max(rems))] += 1
    return np.repeat(np.arange(len(shares), dtype=np.int64), counts)


def as_list(x):
    return x if isinstance(x, list) else [x]


class Model:
    """What the engine's compile() gives, for the scenarios this peer supports."""

    def __init__(self, sc):
        self.sc = sc
        outs = sc["outcomes"]
        kinds = [o["kind"] for o in outs]
        if kinds.count("placement") != 1 or any(k not in ("placement", "binary") for k in kinds) or kinds.count("binary") > 1:
            raise Unsupported(f"outcomes of kinds {kinds}: the peer supports one placement outcome and at most one binary outcome")
        cohorts = sc["population"]["cohorts"]
        if len(cohorts) != 1:
            raise Unsupported(f"{len(cohorts)} cohorts: the peer supports one cohort")
        comp = sc["measurement"]["comparator"]
        if comp.get("kind") != "historical" or "cohort" not in comp or "baseline" in comp:
            raise Unsupported("measurement.comparator: the peer supports a historical comparator simulated as a past group (comparator.cohort) only")
        self.n = cohorts[0]["size"]
        self.start = cohorts[0]["startPeriod"]
        self.ppy = sc["periodsPerYear"]
        self.days = DAYS_PER_YEAR / self.ppy
        self.follow = sc["measurement"]["followUpPeriods"]
        self.horizon = sc["valuation"]["horizonPeriods"]
        self.periods = max(self.horizon, self.start + self.follow)  # simulatedPeriods
        self.place = next(o for o in outs if o["kind"] == "placement")
        self.school = next((o for o in outs if o["kind"] == "binary"), None)
        pl = self.place
        self.states = [s["id"] for s in pl["states"]]
        self.S = len(self.states)
        at = {s: i for i, s in enumerate(self.states)}
        self.is_pl = np.array([bool(s.get("placement")) for s in pl["states"]])
        self.tfrom = np.array([at[t["from"]] for t in pl["transitions"]])
        self.tto = np.array([at[t["to"]] for t in pl["transitions"]])
        self.initial = [pl["initial"].get(s, 0) for s in self.states]
        # Rows: each state's transitions in the scenario's order (Rows.fill in placement.ts).
        self.K = max(1, max(int((self.tfrom == s).sum()) for s in range(self.S)))
        self.row_of = [np.flatnonzero(self.tfrom == s) for s in range(self.S)]
        # Destinations by (state, j); column K and unused columns stay put (cum is inf there).
        self.dest = np.tile(np.arange(self.S)[:, None], (1, self.K + 1))
        for s in range(self.S):
            self.dest[s, : len(self.row_of[s])] = self.tto[self.row_of[s]]
        # Effects on the placement outcome: a rate ratio on the transitions from -> to.
        self.place_effects, self.school_effect = [], None
        for e in sc["intervention"]["effects"]:
            if e["outcome"] == pl["id"]:
                if "rateRatio" not in e:
                    raise Unsupported("a placement effect without rateRatio")
                fr, to = set(as_list(e["from"])), set(as_list(e["to"]))
                mask = np.array([t["from"] in fr and t["to"] in to for t in pl["transitions"]])
                self.place_effects.append((e["rateRatio"], mask))
            elif self.school and e["outcome"] == self.school["id"]:
                if "standardizedMeanDifference" in e:
                    self.school_effect = ("smd", e["standardizedMeanDifference"])
                elif "oddsRatio" in e:
                    self.school_effect = ("or", e["oddsRatio"])
                else:
                    raise Unsupported("a binary effect needs oddsRatio or standardizedMeanDifference")
        self.exits_care = self.is_pl[self.tfrom] & ~self.is_pl[self.tto]
        self.enters_care = ~self.is_pl[self.tfrom] & self.is_pl[self.tto]
        self.past = comp["cohort"]
        # Money basis (models/prices.ts).
        val = sc["valuation"]
        self.sm = start_month(sc["contract"].get("startDate"))
        self.price_year, self.inflation = val.get("priceYear"), val.get("inflation", 0)
        self.nominal, self.to_start = self.price_factors(self.periods)
        self.real_to_start = index_ratio(self.price_year, self.inflation, self.sm // 12) if self.price_year is not None and self.sm is not None else 1.0
        self.budget = np.array([budget_year(self.ppy, self.sm, p) for p in range(self.periods)])
        self.years = int(self.budget[self.horizon - 1]) + 1 if self.horizon > 0 else 0
        self.contract = Contract(sc, self)

    def price_factors(self, P):
        """nominal[p]: price-year money to nominal money of period p's year; to_start[p]: that to start-year kronor."""
        if self.price_year is None or self.sm is None:
            return np.ones(P), np.ones(P)
        sy = self.sm // 12
        s0 = index_ratio(self.price_year, self.inflation, sy)
        nominal = np.array([index_ratio(self.price_year, self.inflation, sy + budget_year(self.ppy, self.sm, p)) for p in range(P)])
        return nominal, s0 / nominal


class Contract:
    """The payment rules and the cash waterfall (models/contract/*.ts) for supported contracts."""

    def __init__(self, sc, m):
        c = sc["contract"]
        for key in ("fees", "guarantee", "termination", "providerShareOfSurplus"):
            if key in c:
                raise Unsupported(f"contract.{key} is not supported by the peer")
        if c.get("guaranteeCovers") == "losses":
            raise Unsupported("contract.guaranteeCovers is not supported by the peer")
        d = c.get("delivery")
        if d and (d.get("recycling") or "volume" in d or "perParticipant" in d):
            raise Unsupported("contract.delivery with recycling, volume or perParticipant is not supported by the peer")
        self.commitment = c["capital"]
        rules = c["rules"]
        events = []
        for i, r in enumerate(rules):
            if r["kind"] not in ("activity", "savingsShare", "conditionalReturn"):
                raise Unsupported(f"contract.rules[{i}]: rule kind {r['kind']!r} is not supported by the peer (activity, savingsShare, conditionalReturn are)")
            if r.get("offsetBy"):
                raise Unsupported(f"contract.rules[{i}].offsetBy is not supported by the peer")
            off = r["period"] if r["kind"] == "activity" else m.follow
            events.append((m.start + off + r.get("lagPeriods", 0), i))
        self.events = sorted(events)
        last_event = self.events[-1][0] if events else 0
        last_spend = max(sp["to"] for sp in d["perPeriod"]) if d else max(x["period"] for x in c["drawdown"])
        self.P = max(m.periods, last_spend + 1, last_event + 1)
        P = self.P
        if d:
            self.draws = np.zeros(P)
            for sp in d["perPeriod"]:
                self.draws[sp["from"] : sp["to"] + 1] += sp["amount"]
            # Drawn as delivery needs it, up to the commitment; no recycling, so a fixed schedule.
            cum = np.minimum(np.cumsum(self.draws), self.commitment)
            self.draws = np.diff(np.concatenate([[0.0], cum]))
            planned = float(np.sum(self.draws))
            self.basis = min(self.commitment, planned) if c.get("ofCapitalMeans") == "plannedDraw" else self.commitment
        else:
            self.draws = np.zeros(P)
            for x in c["drawdown"]:
                self.draws[x["period"]] += x["share"] * self.commitment
            self.basis = self.commitment
        self.invested = float(np.sum(self.draws)) if d else self.commitment
        money = lambda x: x if isinstance(x, (int, float)) else x["ofCapital"] * self.basis
        self.total_cap = money(c["totalCap"]) if "totalCap" in c else math.inf
        measures = {m.place["id"] + ".cost": "cost", m.place["id"] + ".careDays": "careDays", m.place["id"] + ".replacements": "replacements"}
        if m.school:
            measures[m.school["id"]] = "school"
        self.rules = []
        for i, r in enumerate(rules):
            meas = measures.get(r.get("measure")) if "measure" in r else None
            if "measure" in r and meas is None:
                raise Unsupported(f"contract.rules[{i}].measure {r['measure']!r} is not one the peer knows")
            cond = r.get("condition")
            cm = measures.get(cond["measure"]) if cond else None
            if cond and cm is None:
                raise Unsupported(f"contract.rules[{i}].condition.measure {cond['measure']!r} is not one the peer knows")
            above = r.get("above", 0)
            self.rules.append({
                "kind": r["kind"], "id": r.get("id", f"rules[{i}]"), "measure": meas, "higher": meas == "school",
                "share": r.get("share", 0.0), "cap": money(r["cap"]) if "cap" in r else math.inf,
                "above": "repaid" if above == "repaid" else money(above),
                "amount": money(r["amount"]) if r["kind"] == "activity" else 0.0,
                "cond": (cm, cm == "school", cond.get("minImprovement", 0)) if cond else None,
            })
        for i, r in enumerate(self.rules):
            if r["above"] != "repaid":
                continue
            for e in self.rules[:i]:
                if e["cond"] is not None or (e["kind"] != "activity" and (e["measure"] != r["measure"] or e["above"] == "repaid")):
                    raise Unsupported(f"contract.rules[{i}]: above \"repaid\" is supported after activity payments and savings shares on the same measure, without conditions")


# --- Placement: geometric stays, vectorised over children of all trials -----------------

def fill_rows(m, p, ratio):
    """Cumulative chances by destination [T, S, K] and the chance of leaving [T, S] (Rows.fill)."""
    T = p.shape[0]
    with np.errstate(invalid="ignore"):
        q = np.where(ratio != 1, 1 - (1 - p) ** ratio, p)
    cum = np.full((T, m.S, m.K), np.inf)
    leave = np.zeros((T, m.S))
    for s in range(m.S):
        idx = m.row_of[s]
        if len(idx) == 0:
            continue
        x = q[:, idx]
        total = x.sum(axis=1, keepdims=True)
        x = x * np.where(total > 1, 1 / total, 1.0)
        c = np.cumsum(x, axis=1)
        cum[:, s, : len(idx)] = c
        leave[:, s] = np.minimum(1, c[:, -1])
    return cum, leave


def geometric_extra(u, log_stay):
    """Periods stayed before a move: P(more than d) = (1 - leave)^d; infinite where nobody leaves."""
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.floor(np.log1p(-u) / log_stay)
    return np.where(log_stay == 0, np.inf, x)


def step(cum2, dest, row, state, u):
    """The first destination whose cumulative chance exceeds u, else stay (Rows.step): the
    number of cumulative chances at or below u (they increase along a row) picks the column."""
    j = (cum2[row] <= u[:, None]).sum(axis=1)
    return dest.ravel()[state * dest.shape[1] + j]


def simulate_chunk(m, rng, T):
    """One chunk of T trials: the outcome table's columns the contract and summary need."""
    S, P, W, n = m.S, m.periods - m.start, m.follow, m.n
    par = Params(rng, T)
    pl = m.place
    # Parameters in compile()'s order (the order does not matter for NumPy's draws).
    ptrans = np.empty((T, len(pl["transitions"])))
    for i, t in enumerate(pl["transitions"]):
        ptrans[:, i] = par(t["perPeriod"], PROB)
    ratio1 = np.ones_like(ptrans)
    for spec, mask in m.place_effects:  # a later effect on the same transition replaces an earlier one, as in compile()
        ratio1[:, mask] = np.broadcast_to(np.asarray(par(spec, RATIO), float), (T,))[:, None]
    cost = np.empty((T, S))
    full = np.empty((T, S))
    for s, st in enumerate(pl["states"]):
        cost[:, s] = par(st["costPerDay"], PER_UNIT)
    for s, st in enumerate(pl["states"]):
        full[:, s] = par(st["fullCostPerDay"], PER_UNIT) if "fullCostPerDay" in st else cost[:, s]
    school = m.school
    p0 = par(school["baseline"], PROB) if school else None
    effect = None
    if m.school_effect:
        kind, spec = m.school_effect
        effect = (kind, par(spec, SMD if kind == "smd" else RATIO))
    past = m.past
    drift = par(past["drift"], (0, 10))
    growth = par(past["careCostGrowth"], (-0.5, 1))
    indexation = par(past["indexation"], (-0.5, 1))
    rtm_spec = past.get("regressionToMean")
    rtm = par(rtm_spec["exitRateRatio"], (0, 100)) if rtm_spec else 1.0
    long_run = []
    for lr in m.sc["valuation"].get("longRun", []):
        if "components" in lr:
            resource = 0.0
            for comp in lr["components"]:
                if "value" in comp:
                    v = par(comp["value"], PER_UNIT)
                    if not comp.get("transferFrom"):
                        resource = resource + v
                else:
                    par(comp["share"], (0, 1))  # a transfer's share: drawn, not a resource gain
        else:
            resource = par(lr["valuePerSuccess"], PER_UNIT)
        long_run.append((lr, resource))
    delivered_p = par(m.sc["intervention"]["delivered"], PROB)
    r = par(m.sc["valuation"]["discountRate"], (-0.5, 1))
    sf = m.sc["valuation"].get("selfFunding")
    if sf:
        par(sf["lendingRate"], (-0.5, 1))  # the payer's lending rate: drawn as the engine does (self-funding is not summarised here)
    delivered = rng.random(T) < delivered_p
    par.draws += T
    r = np.broadcast_to(np.asarray(r, float), (T,))
    drift = np.broadcast_to(np.asarray(drift, float), (T,))
    rtm = np.broadcast_to(np.asarray(rtm, float), (T,))

    # Rows of each arm: [T, 2 regimes, S]; regime 0 is the cohort's first periods (regression to the mean).
    ratio_t = np.where(delivered[:, None], ratio1, 1.0)
    rtm_ratio = np.where(m.exits_care[None, :], rtm[:, None], 1.0)
    cum_c1, leave_c1 = fill_rows(m, ptrans, np.ones_like(ptrans))
    cum_t1, leave_t1 = fill_rows(m, ptrans, ratio_t)
    cum_c0, leave_c0 = fill_rows(m, ptrans, rtm_ratio)
    cum_t0, leave_t0 = fill_rows(m, ptrans, ratio_t * rtm_ratio)
    regime_end = np.where(rtm == 1, 0, rtm_spec["periods"] if rtm_spec else 0).astype(np.int64)
    cumC = np.stack([cum_c0, cum_c1], axis=1).reshape(T * 2 * S, m.K)
    cumT = np.stack([cum_t0, cum_t1], axis=1).reshape(T * 2 * S, m.K)
    leaveC = np.stack([leave_c0, leave_c1], axis=1).ravel()
    leaveT = np.stack([leave_t0, leave_t1], axis=1).ravel()
    with np.errstate(divide="ignore"):
        logStayC = np.log1p(-leaveC)
    is_pl = m.is_pl

    # The untreated arm: every child of every trial at once, one stay per pass.
    intake = allocate(m.initial, n)
    path_trial = np.repeat(np.arange(T), n)
    active = np.arange(T * n)
    state = np.tile(intake, T)
    k = np.zeros(T * n, dtype=np.int64)
    cells = T * (P + 1) * S
    ins, outs = [], []  # occupancy differences: +1 at a stay's start, -1 at its end, by (trial, period, state)
    replC = np.zeros(T)
    segments = []
    tr, b, kk = path_trial, state, k
    # The regime boundary is the scenario's, the same in every trial unless a trial draws no regression.
    same_end = bool(np.all(regime_end == regime_end[0]))
    while active.size:
        re = regime_end[0] if same_end else regime_end[tr]
        first = kk < re
        row = (tr * 2 + ~first) * S + b
        bound = np.where(first, np.minimum(re, P), P)
        extra = geometric_extra(rng.random(active.size), logStayC[row])
        moves = kk + extra < bound
        end = np.minimum(kk + extra + 1, bound).astype(np.int64)
        mi = np.flatnonzero(moves)
        par.draws += active.size + mi.size
        rm, bm = row[mi], b[mi]
        um = rng.random(mi.size) * leaveC[rm]
        new = step(cumC, m.dest, rm, bm, um)
        u = np.full(active.size, np.nan)
        u[mi] = um
        nxt = b.copy()
        nxt[mi] = new
        base = tr * (P + 1)
        ins.append((base + kk) * S + b)
        outs.append((base + end) * S + b)
        rep = (end[mi] - 1 < W) & ~is_pl[bm] & is_pl[new]
        replC += np.bincount(tr[mi][rep], minlength=T)
        segments.append((active, tr, kk, end, b, u, moves))
        keep = np.flatnonzero(end < P)
        active, tr, kk, b = active[keep], tr[keep], end[keep], nxt[keep]
    occC = np.bincount(np.concatenate(ins), minlength=cells) - np.bincount(np.concatenate(outs), minlength=cells)

    # The treated arm given the untreated path: inside an untreated stay u is uniform on [L_b, 1),
    # so a treated child with the larger chance L_a leaves with chance (L_a - L_b)/(1 - L_b) a
    # period, at a u uniform on [L_b, L_a); in the untreated move period it uses the same u.
    a_state = np.tile(intake, T)
    ins, outs = [], []
    replT = np.zeros(T)
    for paths, tr, frm, to, bs, u, moves in segments:
        a = a_state[paths]
        rbase = (tr * 2 + ~(frm < (regime_end[0] if same_end else regime_end[tr]))) * S
        lb = leaveC[rbase + bs]
        stay_end = np.where(moves, to - 1, to)
        base = tr * (P + 1)
        ins.append((base + frm) * S + a)
        # Treated moves inside the untreated stay, for the paths that can still move.
        live = np.flatnonzero(leaveT[rbase + a] > lb)
        k2 = frm.copy()
        while live.size:
            la = leaveT[rbase[live] + a[live]]
            lbl = lb[live]
            with np.errstate(divide="ignore", invalid="ignore"):
                lq = np.log1p(-(la - lbl) / (1 - lbl))
            ok = np.flatnonzero((la > lbl) & (lq < 0))
            live, la, lbl, lq = live[ok], la[ok], lbl[ok], lq[ok]
            extra = geometric_extra(rng.random(live.size), lq)
            par.draws += live.size
            ok = np.flatnonzero(k2[live] + extra < stay_end[live])
            live, la, lbl, extra = live[ok], la[ok], lbl[ok], extra[ok]
            if not live.size:
                break
            at = k2[live] + extra.astype(np.int64)
            par.draws += live.size
            old = a[live]
            new = step(cumT, m.dest, rbase[live] + old, old, lbl + rng.random(live.size) * (la - lbl))
            t_live = tr[live]
            rep = (at < W) & ~is_pl[old] & is_pl[new]
            replT += np.bincount(t_live[rep], minlength=T)
            cell = base[live] + at + 1
            outs.append(cell * S + old)
            ins.append(cell * S + new)
            a[live] = new
            k2[live] = at + 1
        # The stay in the treated state ends here; the next segment starts the next stay.
        outs.append((base + to) * S + a)
        # The untreated child's move period: the treated child uses the same u.
        mv = np.flatnonzero(moves)
        if mv.size:
            old = a[mv]
            new = step(cumT, m.dest, rbase[mv] + old, old, u[mv])
            rep = (to[mv] - 1 < W) & ~is_pl[old] & is_pl[new]
            replT += np.bincount(tr[mv][rep], minlength=T)
            a[mv] = new
        a_state[paths] = a
    occT = np.bincount(np.concatenate(ins), minlength=cells) - np.bincount(np.concatenate(outs), minlength=cells)
    occC = np.cumsum(occC.reshape(T, P + 1, S), axis=1)[:, :P, :]
    occT = np.cumsum(occT.reshape(T, P + 1, S), axis=1)[:, :P, :]

    price = m.nominal[m.start : m.start + P]
    days = m.days
    win = slice(0, W)
    cost_c = np.einsum("tks,ts,k->t", occC[:, win], cost, price[win]) * days
    cost_t = np.einsum("tks,ts,k->t", occT[:, win], cost, price[win]) * days
    care_c = occC[:, win][:, :, is_pl].sum(axis=(1, 2)) * days
    care_t = occT[:, win][:, :, is_pl].sum(axis=(1, 2)) * days
    diff = (occC - occT).astype(float)
    avoided = np.zeros((T, m.periods))
    avoided_full = np.zeros((T, m.periods))
    avoided[:, m.start :] = np.einsum("tks,ts->tk", diff, cost) * (days * price)
    avoided_full[:, m.start :] = np.einsum("tks,ts->tk", diff, full) * (days * price)

    # The past group: `size` children without the intervention over the follow-up, under the
    # baseline period's chances (drift on entering care), costs moved to that period's prices.
    mp = past["size"]
    past_ratio = np.where(m.enters_care[None, :], 1 / drift[:, None], 1.0)
    cum_p, leave_p = fill_rows(m, ptrans, past_ratio)
    cum_p = cum_p.reshape(T * S, m.K)
    leave_p = leave_p.ravel()
    with np.errstate(divide="ignore"):
        log_p = np.log1p(-leave_p)
    tr = np.repeat(np.arange(T), mp)
    b = np.tile(allocate(m.initial, mp), T)
    kk = np.zeros(T * mp, dtype=np.int64)
    money = np.zeros(T)
    pdays = np.zeros(T)
    prep = np.zeros(T)
    cost_flat, pl_days = cost.ravel(), is_pl * days
    while tr.size:
        row = tr * S + b
        extra = geometric_extra(rng.random(tr.size), log_p[row])
        stay = np.minimum(extra + 1, W - kk)
        money += np.bincount(tr, stay * (days * cost_flat[row]), minlength=T)
        pdays += np.bincount(tr, stay * pl_days[b], minlength=T)
        mv = np.flatnonzero(kk + extra < W)
        par.draws += tr.size + mv.size
        tr, b, kk, extra, row = tr[mv], b[mv], kk[mv], extra[mv], row[mv]
        nxt = step(cum_p, m.dest, row, b, rng.random(tr.size) * leave_p[row])
        prep += np.bincount(tr[~is_pl[b] & is_pl[nxt]], minlength=T)
        b, kk = nxt, kk + extra.astype(np.int64) + 1
    past_prices = float(np.mean(m.nominal[m.start : m.start + W]))
    prices = past_prices * ((1 + indexation) / (1 + growth)) ** past["years"]
    comp_cost = money * prices / mp * n

    out = {
        "delivered": delivered, "r": r,
        "treated_cost": cost_t, "cf_cost": cost_c, "comp_cost": comp_cost,
        "treated_careDays": care_t, "cf_careDays": care_c, "comp_careDays": pdays / mp * n,
        "treated_replacements": replT, "cf_replacements": replC, "comp_replacements": prep / mp * n,
    }

    # School: binomial counts, the treated arm given the untreated one (coupledBinomial).
    long_pv = np.zeros(T)
    if school:
        p0 = np.broadcast_to(np.asarray(p0, float), (T,))
        p1 = p0
        if effect:
            kind, e = effect
            lo = np.log(e) if kind == "or" else e * SMD_TO_LOG_ODDS
            with np.errstate(divide="ignore", invalid="ignore"):
                odds = p0 / (1 - p0) * np.exp(lo)
                shifted = np.where((p0 <= 0) | (p0 >= 1) | (lo == 0), p0, odds / (1 + odds))
            p1 = np.where(delivered, shifted, p0)
        base = rng.binomial(n, p0)
        treated = base.copy()
        dn, upm = p1 < p0, p1 > p0
        treated[dn] = rng.binomial(base[dn], p1[dn] / p0[dn])  # a success survives with chance p1/p0
        treated[upm] = base[upm] + rng.binomial(n - base[upm], (p1[upm] - p0[upm]) / (1 - p0[upm]))  # a failure turns
        par.draws += 2 * T  # one binomial per arm and trial
        out.update(treated_school=treated.astype(float), cf_school=base.astype(float), comp_school=rng.binomial(mp, p0) / mp * n)
        for lr, resource in long_run:
            if lr["outcome"] != school["id"]:
                raise Unsupported("valuation.longRun on an outcome other than the binary one")
            gained = treated - base
            delay = lr["delayYears"] * m.ppy
            long_pv += gained * resource * lr["countedShare"] * m.real_to_start * (1 + r) ** (-(m.start + W + delay) / m.ppy)

    # Present values of avoided costs over the horizon (start-year kronor, prices.ts).
    H = m.horizon
    df = (1 + r[:, None]) ** (-(np.arange(H) + 0.5) / m.ppy) * m.to_start[None, :H]
    out["avoidedPV"] = np.sum(avoided[:, :H] * df, axis=1)
    out["avoided"] = np.sum(avoided[:, :H], axis=1)
    out["societyBenefitPV"] = np.sum(avoided_full[:, :H] * df, axis=1) + long_pv
    return out, par.draws


# --- The contract (models/contract/evaluate.ts, rules.ts, waterfall.ts) --------------------

def improvement(treated, ref, higher):
    return treated - ref if higher else ref - treated


def relative(treated, ref, higher):
    imp = improvement(treated, ref, higher)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = imp / np.abs(ref)
        return np.where(ref != 0, rel, np.where(imp > 0, np.inf, np.where(imp < 0, -np.inf, 0.0)))


def rule_amount(rule, delivered, col, ref, above):
    """What a rule pays before the total cap, against reference `ref` ('comp' or 'cf')."""
    pay = np.zeros(delivered.shape)
    if rule["kind"] == "activity":
        pay = np.where(delivered, rule["amount"], 0.0)
    else:
        mm = rule["measure"]
        imp = improvement(col["treated_" + mm], col[ref + "_" + mm], rule["higher"])
        with np.errstate(invalid="ignore"):
            pay = rule["share"] * np.maximum(imp - above, 0)
    if rule["cond"]:
        cm, higher, minimum = rule["cond"]
        rel = relative(col["treated_" + cm], col[ref + "_" + cm], higher)
        pay = np.where(rel > minimum + TIE * max(1, abs(minimum)), pay, 0.0)
    return np.minimum(pay, rule["cap"])


def repaid_saving(rule, earlier, delivered, col, ref, capital_share):
    """The saving at which the earlier rules repay the capital (repaidSaving, closed form)."""
    mm = rule["measure"]
    actual = improvement(col["treated_" + mm], col[ref + "_" + mm], rule["higher"])
    need = capital_share - MONEY_EPSILON
    fixed = sum((np.where(delivered, e["amount"], 0.0) for e in earlier if e["kind"] == "activity"), np.zeros(delivered.shape))
    shares = [e for e in earlier if e["kind"] != "activity"]
    knots = sorted({0.0} | {e["above"] for e in shares} | {e["above"] + e["cap"] / e["share"] for e in shares if e["share"] > 0 and math.isfinite(e["cap"])})
    G = lambda s: sum(min(e["cap"], e["share"] * max(s - e["above"], 0)) for e in shares)
    target = need - fixed
    s_star = np.full(delivered.shape, np.inf)
    done = target <= G(0.0)
    s_star[done] = 0.0
    for lo, hi in zip(knots, knots[1:] + [math.inf]):
        glo = G(lo)
        if math.isinf(hi):  # past the last knot G rises with the uncapped shares, if any
            slope = G(lo + 1.0) - glo
            here = ~done
            if slope > 0:
                s_star[here] = lo + (target[here] - glo) / slope
            break
        ghi = G(hi)
        here = ~done & (target <= ghi)
        if ghi > glo:
            s_star[here] = lo + (target[here] - glo) * (hi - lo) / (ghi - glo)
        else:
            s_star[here] = hi
        done |= here
    ok = (actual > 0) & (s_star <= actual)
    if rule["cond"]:
        cm, higher, minimum = rule["cond"]
        ok &= relative(col["treated_" + cm], col[ref + "_" + cm], higher) > minimum + TIE * max(1, abs(minimum))
    return np.where(ok, s_star, np.inf)


def evaluate(m, col):
    ct = m.contract
    T = col["delivered"].shape[0]
    delivered = col["delivered"]
    P, ppy = ct.P, m.ppy
    to_start = m.price_factors(P)[1]
    pd = (1 + col["r"][:, None]) ** (-np.arange(P) / ppy) * to_start[None, :]
    payments = np.zeros((T, P))
    total = np.zeros(T)
    total_true = np.zeros(T)
    for_nothing = np.zeros(T, bool)
    missed = np.zeros(T, bool)
    by_rule = np.zeros((T, len(ct.rules)))
    for period, i in ct.events:
        rule = ct.rules[i]
        if rule["above"] == "repaid":
            above = repaid_saving(rule, ct.rules[:i], delivered, col, "comp", ct.basis)
            above_true = repaid_saving(rule, ct.rules[:i], delivered, col, "cf", ct.basis)
        else:
            above = above_true = rule["above"]
        pay = rule_amount(rule, delivered, col, "comp", above)
        pay_true = rule_amount(rule, delivered, col, "cf", above_true)
        outcome_based = rule["kind"] != "activity"
        if outcome_based:
            missed |= (pay_true > MONEY_EPSILON) & ~(pay > MONEY_EPSILON)
        pay = np.minimum(pay, ct.total_cap - total)
        pay_true = np.minimum(pay_true, ct.total_cap - total_true)
        pay = np.where(pay > MONEY_EPSILON, pay, 0.0)
        pay_true = np.where(pay_true > MONEY_EPSILON, pay_true, 0.0)
        total += pay
        total_true += pay_true
        by_rule[:, i] += pay
        if outcome_based:
            mm = rule["measure"]
            for_nothing |= (pay > MONEY_EPSILON) & (improvement(col["treated_" + mm], col["cf_" + mm], rule["higher"]) <= 0)
        payments[:, period] += pay
    # The waterfall without fees, recycling, surplus share or guarantee: the financier draws on
    # delivery's schedule and receives every payment in the period it is made.
    flows = payments - ct.draws[None, :]
    received = total
    invested = ct.invested
    fr = m.sc["valuation"]["financierDiscountRate"]
    fdf = (1 + fr) ** (-np.arange(P) / ppy)
    pv_out = -(np.minimum(flows, 0) * fdf).sum(axis=1)
    pv_back = (np.maximum(flows, 0) * fdf).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mirr = np.where(pv_out > 0, (pv_back / pv_out / fdf[-1]) ** (ppy / (P - 1)) - 1, np.nan)
    irr = np.where(received <= MONEY_EPSILON, -1.0, (1 + irr_rows(flows)) ** ppy - 1)
    paid_pv = (payments * pd).sum(axis=1)
    invested_pv = (ct.draws[None, :] * pd).sum(axis=1)
    return {
        "payments": total, "byRule": by_rule, "profit": received - invested,
        "loss": received - invested < -MONEY_EPSILON, "totalLoss": (invested > 0) & (received <= MONEY_EPSILON),
        "multiple": received / invested, "npv": pv_back - pv_out, "mirr": mirr, "irr": irr,
        "payerNet": col["avoided"] - total, "payerNetPV": col["avoidedPV"] - paid_pv,
        "societyNpv": col["societyBenefitPV"] - invested_pv,
        "anyPayment": total > MONEY_EPSILON, "payForNothing": for_nothing, "missedSuccess": missed,
    }


def irr_rows(flows):
    """Per-period IRR of each row's flows (one sign change: out, then back), by Newton's method
    from the engine's starting guess (models/finance/irr.ts), then bisection where it fails."""
    T, P = flows.shape
    t = np.arange(P)
    pos, neg = np.maximum(flows, 0), -np.minimum(flows, 0)
    out, back = neg.sum(axis=1), pos.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dt = (pos @ t) / back - (neg @ t) / out
        r = (back / out) ** (1 / dt) - 1
    res = np.full(T, np.nan)
    live = np.flatnonzero((back > 0) & (out > 0) & np.isfinite(r) & (r > -0.9999))
    rr = r[live]
    for _ in range(30):
        if not live.size:
            break
        v = 1 / (1 + rr)
        f = np.zeros(live.size)
        df = np.zeros(live.size)
        fl = flows[live]
        for k in range(P - 1, -1, -1):  # Horner in v for f and df/dv
            df = df * v + f
            f = f * v + fl[:, k]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            stepr = f / (-v * v * df)
        rr = rr - stepr
        conv = np.abs(stepr) < 1e-12 * (1 + np.abs(rr))
        bad = ~np.isfinite(rr) | (rr <= -0.9999)
        res[live[conv & ~bad]] = rr[conv & ~bad]
        keep = ~conv & ~bad
        live, rr = live[keep], rr[keep]
    rest = np.flatnonzero(np.isnan(res) & (back > 0) & (out > 0))
    if rest.size:  # bisection on (-0.9999, 10) per period
        lo, hi = np.full(rest.size, -0.9999), np.full(rest.size, 10.0)
        fb = flows[rest]
        for _ in range(100):
            mid = (lo + hi) / 2
            val = (fb * (1 + mid[:, None]) ** -t[None, :]).sum(axis=1)
            lo, hi = np.where(val > 0, mid, lo), np.where(val > 0, hi, mid)
        res[rest] = (lo + hi) / 2
    return res


# --- Summary (models/summary/summarize.ts, dist.ts) ---------------------------------------

def dist(x):
    x = np.asarray(x, float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return None
    q = np.percentile(x, [5, 25, 50, 75, 95])  # linear interpolation: R-7, as d3's quantileSorted
    return {"mean": float(x.mean()), "sd": float(x.std(ddof=1)) if x.size > 1 else 0.0,
            "p5": q[0], "p25": q[1], "p50": q[2], "p75": q[3], "p95": q[4]}


def share(x):
    return float(np.mean(x))


def run(sc, trials, seed, chunk):
    m = Model(sc)
    rng = np.random.default_rng(seed)
    cols, res, draws = [], [], 0
    for lo in range(0, trials, chunk):
        c, d = simulate_chunk(m, rng, min(chunk, trials - lo))
        cols.append(c)
        res.append(evaluate(m, c))
        draws += d
    cat = lambda parts, k: np.concatenate([p[k] for p in parts])
    R = lambda k: cat(res, k)
    C = lambda k: cat(cols, k)
    rules = m.contract.rules
    by_rule = R("byRule")
    profit = R("profit")
    return {
        "scenario": sc["name"], "trials": trials, "seed": seed, "currency": sc["currency"],
        "investor": {
            "irr": dist(R("irr")), "multiple": dist(R("multiple")), "profit": dist(profit),
            "probLoss": share(R("loss")), "probTotalLoss": share(R("totalLoss")),
            "npv": dist(R("npv")), "expectedNpv": float(np.mean(R("npv"))), "mirr": dist(R("mirr")),
            "valueAtRisk95": max(0.0, -float(np.percentile(profit, 5))),
        },
        "payer": {
            "payments": dist(R("payments")), "avoidedCosts": dist(C("avoided")), "avoidedCostsPV": dist(C("avoidedPV")),
            "net": dist(R("payerNet")), "netPV": dist(R("payerNetPV")), "probNetCost": share(R("payerNet") < -MONEY_EPSILON),
        },
        "society": {"npv": dist(R("societyNpv")), "chanceBenefitsExceedCosts": share(R("societyNpv") > 0)},
        "contract": {
            "probAnyPayment": share(R("anyPayment")), "probPayForNothing": share(R("payForNothing")),
            "probMissedSuccess": share(R("missedSuccess")), "probDelivered": share(C("delivered")),
            "paymentsByRule": [{"rule": r["id"], "kind": r["kind"], "payments": dist(by_rule[:, k]), "probPaid": share(by_rule[:, k] > MONEY_EPSILON)} for k, r in enumerate(rules)],
        },
        "peer": {"implementation": "numpy " + np.__version__ + ", PCG64", "chunk": chunk, "drawsPerTrial": draws / trials},
    }


def main(argv):
    ap = argparse.ArgumentParser(description="utfall's NumPy peer (bench/peer/README.md)")
    ap.add_argument("scenario")
    ap.add_argument("--trials", type=int, default=None)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--chunk", type=int, default=2000, help="trials simulated together (memory and cache; default 2000, the fastest here of 500–10,000)")
    a = ap.parse_args(argv)
    try:
        with open(a.scenario, encoding="utf-8") as f:
            sc = json.load(f)
    except (OSError, ValueError) as e:
        sys.stderr.write(f"utfall_peer: {a.scenario}: cannot read the scenario: {e}\n")
        return 2
    trials = a.trials if a.trials is not None else sc.get("simulation", {}).get("trials", 10000)
    seed = a.seed if a.seed is not None else int(sc.get("simulation", {}).get("seed", 1))
    if trials < 1 or a.chunk < 1:
        sys.stderr.write("utfall_peer: --trials and --chunk must be at least 1\n")
        return 2
    t0 = time.perf_counter()
    try:
        summary = run(sc, trials, seed, a.chunk)
    except Unsupported as e:
        sys.stderr.write(f"utfall_peer: {a.scenario}: {e}\n")
        return 2
    summary["peer"]["seconds"] = time.perf_counter() - t0

    def clean(x):  # JSON without NaN: a non-finite figure is null
        if isinstance(x, dict):
            return {k: clean(v) for k, v in x.items()}
        if isinstance(x, list):
            return [clean(v) for v in x]
        if isinstance(x, (float, np.floating)):
            return float(x) if math.isfinite(x) else None
        return x

    sys.stdout.write(json.dumps(clean(summary)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

