"""Derives the constants of loopjit's vector math (src/vmath/*.h): minimax polynomial
coefficients (Remez exchange in mpmath) and the tables, each printed as C++ source. Run with
the development venv (mpmath): .venv/bin/python scripts/vmath_coefficients.py > coeffs.txt
and paste what changed; every constant in src/vmath names the block here it comes from."""

import mpmath as mp

mp.mp.dps = 60


def hexd(x):
    """A double as a C++ hexadecimal literal (rounded to nearest)."""
    return float(mp.mpf(x)).hex()


def remez(g, a, b, degree, weight=lambda t: 1, iters=30, grid=4000):
    """Coefficients c[0..degree] minimizing max |weight(t) (g(t) - sum c_i t^i)| on [a, b],
    and that maximum."""
    n = degree
    pts = [mp.mpf(a) + (mp.mpf(b) - a) * (1 - mp.cos(mp.pi * k / (n + 1))) / 2
           for k in range(n + 2)]
    dense = [mp.mpf(a) + (mp.mpf(b) - a) * (1 - mp.cos(mp.pi * k / grid)) / 2
             for k in range(grid + 1)]
    gd = [g(t) for t in dense]
    wd = [weight(t) for t in dense]
    coeffs, err = None, None
    for _ in range(iters):
        rows = [[t**i for i in range(n + 1)] + [(-1) ** k / weight(t)] for k, t in enumerate(pts)]
        sol = mp.lu_solve(mp.matrix(rows), mp.matrix([g(t) for t in pts]))
        coeffs = [sol[i] for i in range(n + 1)]
        e = [wd[k] * (gd[k] - mp.polyval(coeffs[::-1], t)) for k, t in enumerate(dense)]
        # the extrema of each run of one sign, then n + 2 alternating ones around the largest
        runs, cur = [], None
        for k, v in enumerate(e):
            s = v >= 0
            if cur is None or s != cur[0]:
                cur = [s, k]
                runs.append(cur)
            elif abs(v) > abs(e[cur[1]]):
                cur[1] = k
        idx = [r[1] for r in runs]
        while len(idx) > n + 2:  # drop the smaller end
            if abs(e[idx[0]]) < abs(e[idx[-1]]):
                idx.pop(0)
            else:
                idx.pop()
        if len(idx) < n + 2:
            break
        pts = [dense[k] for k in idx]
        err = max(abs(v) for v in e)
    return coeffs, err


def rounded_error(g, a, b, coeffs, weight=lambda t: 1, grid=20000):
    """max |weight (g - p)| of the polynomial with its coefficients rounded to double."""
    cs = [mp.mpf(float(c)) for c in coeffs]
    worst = 0
    for k in range(grid + 1):
        t = mp.mpf(a) + (mp.mpf(b) - a) * k / grid
        worst = max(worst, abs(weight(t) * (g(t) - mp.polyval(cs[::-1], t))))
    return worst


def table(name, values):
    """A constexpr array, wrapped at 100 columns."""
    lines, cur = [], "   "
    for v in values:
        item = f" {v},"
        if len(cur) + len(item) > 100:
            lines.append(cur)
            cur = "   "
        cur += item
    lines.append(cur)
    print(f"constexpr double {name}[{len(values)}] = {{")
    print("\n".join(lines))
    print("};")


def emit(name, coeffs, err, rerr):
    print(f"// {name}: minimax error {mp.nstr(err, 3)} (2^{mp.nstr(mp.log(err, 2), 4)}), "
          f"with double coefficients {mp.nstr(rerr, 3)}")
    print(f"constexpr double {name}[] = {{")
    for c in coeffs:
        print(f"    {hexd(c)},")
    print("};")


def series_safe(f, series, small=mp.mpf("1e-12")):
    """f, but its series near 0 (where f cancels)."""
    return lambda t: series(t) if abs(t) < small else f(t)


def poly(name, g, a, b, degree, weight=lambda t: 1):
    coeffs, err = remez(g, a, b, degree, weight)
    emit(name, coeffs, err, rounded_error(g, a, b, coeffs, weight))


# ---- exp: e^r = 1 + r + r^2 Q(r), |r| <= ln2/32 (a 16-entry table of 2^(j/16)) ---------------
R_EXP = mp.log(2) / 32 * mp.mpf("1.0001")
poly("kExpQ", series_safe(lambda r: (mp.exp(r) - 1 - r) / r**2, lambda r: mp.mpf(1) / 2 + r / 6),
     -R_EXP, R_EXP, 5)
l16 = mp.log(2) / 16
print(f"constexpr double kInvLn2x16 = {hexd(1 / l16)}, kLn2d16Hi = {hexd(l16)},\n"
      f"                 kLn2d16Lo = {hexd(l16 - mp.mpf(float(l16)))}, kLn2 = {hexd(mp.log(2))};")
print("// 2^(j/16) = kExp2Hi[j] + kExp2Lo[j]")
table("kExp2Hi", [hexd(mp.mpf(2) ** (mp.mpf(j) / 16)) for j in range(16)])
table("kExp2Lo", [hexd(mp.mpf(2) ** (mp.mpf(j) / 16) - mp.mpf(float(mp.mpf(2) ** (mp.mpf(j) / 16))))
                  for j in range(16)])

# ---- log: log1p(r) = r - r^2/2 + r^3 L(r), |r| <= 0.0315 -------------------------------------
# Intervals: the 4 bits below the exponent of bits(x) - kLogOff; 1.0 inside interval 9, whose
# invc is exactly 1 so that r = z - 1 is exact there.
LOG_OFF = 0x3FE6800000000000
LOG_R = mp.mpf("0.0335")
poly("kLogL", series_safe(lambda r: (mp.log1p(r) - r + r**2 / 2) / r**3,
                          lambda r: mp.mpf(1) / 3 - r / 4),
     -LOG_R, LOG_R, 7)
# pow needs log(x) to about 2^-75: log1p(r) = r - r^2/2 + r^3/3 + r^4 M(r), the first three
# terms to twice double precision
poly("kPowM", series_safe(lambda r: (mp.log1p(r) - r + r**2 / 2 - r**3 / 3) / r**4,
                          lambda r: -mp.mpf(1) / 4 + r / 5),
     -LOG_R, LOG_R, 8)
third = mp.mpf(1) / 3
third_lo = third - mp.mpf(float(third))
print(f"constexpr double kThirdHi = {hexd(third)}, kThirdLo = {hexd(third_lo)};")


def from_bits(u):
    import struct
    return struct.unpack("<d", struct.pack("<Q", u))[0]


def round_bits(x, bits):
    """x rounded to `bits` significant bits."""
    e = mp.floor(mp.log(abs(x), 2))
    q = mp.mpf(2) ** (e - bits + 1)
    return mp.nint(x / q) * q


invc, logc_hi, logc_lo, rmax = [], [], [], 0
for i in range(16):
    lo = from_bits(LOG_OFF + (i << 48))
    hi = from_bits(LOG_OFF + ((i + 1) << 48))
    lo_z = lo if lo >= LOG_OFF and lo < 1 else lo
    # z = x scaled into [kLogOff, 2 kLogOff): interval i is [lo, hi) of that range, taken
    # from the binade bits(lo) lies in
    z0 = mp.mpf(lo)
    z1 = mp.mpf(hi)
    c = 1 if z0 <= 1 < z1 else round_bits(2 / (z0 + z1), 6)
    c = mp.mpf(c)
    invc.append(c)
    lc = -mp.log(c)
    h = mp.nint(lc * 2**42) / 2**42
    logc_hi.append(h)
    logc_lo.append(lc - h)
    rmax = max(rmax, abs(z0 * c - 1), abs(z1 * c - 1))
print(f"// log table: max |r| = {mp.nstr(rmax, 5)}")
table("kLogInvc", [hexd(c) for c in invc])
table("kLogLogcHi", [hexd(c) for c in logc_hi])
table("kLogLogcLo", [hexd(c) for c in logc_lo])
ln2_hi = mp.nint(mp.log(2) * 2**42) / 2**42
print(f"constexpr double kLn2Hi = {hexd(ln2_hi)}, kLn2Lo = {hexd(mp.log(2) - ln2_hi)};")
for nm, v in (("kInvLn2", 1 / mp.log(2)), ("kInvLn10", 1 / mp.log(10))):
    print(f"constexpr double {nm}Hi = {hexd(v)}, {nm}Lo = {hexd(v - mp.mpf(float(v)))};")

# ---- sin, cos on |r| <= pi/4 (plus rounding slack) -------------------------------------------
Z_TRIG = (mp.pi / 4 * mp.mpf("1.0001")) ** 2
# sin(r) = r - r^3/6 + r^5 S(z), z = r^2: -r^3/6 is formed to twice double precision, S(z) is a
# small correction.
poly("kSinS", series_safe(lambda z: (mp.sin(mp.sqrt(z)) / mp.sqrt(z) - 1 + z / 6) / z**2,
                          lambda z: mp.mpf(1) / 120 - z / 5040),
     mp.mpf("1e-20"), Z_TRIG, 4, weight=lambda z: z * z)
s1 = -mp.mpf(1) / 6
print(f"constexpr double kSin1Hi = {hexd(s1)}, kSin1Lo = {hexd(s1 - mp.mpf(float(s1)))};")
poly("kCosC", series_safe(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2,
                          lambda z: mp.mpf(1) / 24 - z / 720),
     mp.mpf("1e-20"), Z_TRIG, 5, weight=lambda z: z * z)
pio2 = mp.pi / 2
p1 = mp.mpf(float(pio2))
p2 = mp.mpf(float(pio2 - p1))
p3 = mp.mpf(float(pio2 - p1 - p2))
print(f"constexpr double kPio2_1 = {hexd(p1)}, kPio2_2 = {hexd(p2)},\n"
      f"                 kPio2_3 = {hexd(p3)};")
print(f"constexpr double kTwoOverPi = {hexd(2 / mp.pi)};")

# ---- atan(v) = v + v^3 A(v^2), |v| <= tan(pi/32) plus the index estimate's slack ---------------
V_ATAN = mp.mpf("0.106")
poly("kAtanA", series_safe(lambda w: (mp.atan(mp.sqrt(w)) / mp.sqrt(w) - 1) / w,
                           lambda w: -mp.mpf(1) / 3 + w / 5),
     mp.mpf("1e-20"), V_ATAN**2, 5, weight=lambda w: w)
ca, sb, th_hi, th_lo = [], [], [], []
for j in range(9):
    a = mp.mpf(float(mp.cos(j * mp.pi / 16))) if j < 8 else mp.mpf(0)
    b = mp.mpf(float(mp.sin(j * mp.pi / 16))) if j > 0 else mp.mpf(0)
    th = mp.atan2(b, a)  # the angle of the rounded (a, b): exact for the identity we use
    ca.append(a)
    sb.append(b)
    th_hi.append(mp.mpf(float(th)))
    th_lo.append(th - mp.mpf(float(th)))
print("// angle table: (a, b) = (cos, sin)(j pi/16) rounded; theta = atan2(b, a) exactly")
for nm, t in (("kAngA", ca), ("kAngB", sb), ("kAngHi", th_hi), ("kAngLo", th_lo)):
    table(nm, [hexd(v) for v in t] + ["0.0"] * 7)  # 16 entries for lut16
print(f"constexpr double kPiHi = {hexd(mp.pi)}, kPiLo = {hexd(mp.pi - mp.mpf(float(mp.pi)))};")

# ---- sinh(x) = x + x^3 H(x^2), |x| <= 0.25 ---------------------------------------------------
poly("kSinhH", series_safe(lambda w: (mp.sinh(mp.sqrt(w)) / mp.sqrt(w) - 1) / w,
                           lambda w: mp.mpf(1) / 6 + w / 120),
     mp.mpf("1e-20"), mp.mpf("0.0626"), 4, weight=lambda w: w)

# ---- float arguments (float_impl.h): evaluated in double to about 2^-34 relative, which rounds
# to float within 0.5 + 2^-10 ULP; unweighted fits, each term is well below the result.
poly("kExpQf", series_safe(lambda r: (mp.exp(r) - 1 - r) / r**2, lambda r: mp.mpf(1) / 2 + r / 6),
     -R_EXP, R_EXP, 2)
poly("kLogLf", series_safe(lambda r: (mp.log1p(r) - r + r**2 / 2) / r**3,
                           lambda r: mp.mpf(1) / 3 - r / 4),
     -LOG_R, LOG_R, 3)
poly("kSinSf", series_safe(lambda z: (mp.sin(mp.sqrt(z)) / mp.sqrt(z) - 1) / z,
                           lambda z: -mp.mpf(1) / 6 + z / 120),
     mp.mpf("1e-20"), Z_TRIG, 3)
poly("kCosCf", series_safe(lambda z: (mp.cos(mp.sqrt(z)) - 1 + z / 2) / z**2,
                           lambda z: mp.mpf(1) / 24 - z / 720),
     mp.mpf("1e-20"), Z_TRIG, 3)
poly("kAtanAf", series_safe(lambda w: (mp.atan(mp.sqrt(w)) / mp.sqrt(w) - 1) / w,
                            lambda w: -mp.mpf(1) / 3 + w / 5),
     mp.mpf("1e-20"), V_ATAN**2, 2)
poly("kSinhHf", series_safe(lambda w: (mp.sinh(mp.sqrt(w)) / mp.sqrt(w) - 1) / w,
                            lambda w: mp.mpf(1) / 6 + w / 120),
     mp.mpf("1e-20"), mp.mpf("0.0626"), 2)


# ---- expf in float arithmetic (expf_impl.h): 32-entry table, |r| <= ln2/64 ---------------------
def hexf(x):
    """A float as a C++ hexadecimal literal (rounded to nearest float)."""
    import numpy as np
    h = float(np.float32(float(mp.mpf(x)))).hex()
    mant, exp = h.split("p")
    return (mant.rstrip("0").rstrip(".") if "." in mant else mant) + "p" + exp + "f"


def to_f32(x):
    import numpy as np
    return mp.mpf(float(np.float32(float(mp.mpf(x)))))


R_EXPF = mp.log(2) / 64 * mp.mpf("1.001")
cf, errf = remez(series_safe(lambda r: (mp.exp(r) - 1 - r) / r**2,
                             lambda r: mp.mpf(1) / 2 + r / 6), -R_EXPF, R_EXPF, 1)
print(f"// kExpfQ: minimax error {mp.nstr(errf, 3)}; times r^2 <= 1.2e-4")
print("constexpr float kExpfQ[] = {" + ", ".join(hexf(c) for c in cf) + "};")
hi32 = [to_f32(mp.mpf(2) ** (mp.mpf(j) / 32)) for j in range(32)]
print("constexpr float kExpfTHi[32] = {")
print("\n".join("    " + ", ".join(hexf(v) for v in hi32[i:i + 4]) + "," for i in range(0, 32, 4)))
print("};")
print("constexpr float kExpfTLo[32] = {")
lo32 = [mp.mpf(2) ** (mp.mpf(j) / 32) - hi32[j] for j in range(32)]
print("\n".join("    " + ", ".join(hexf(v) for v in lo32[i:i + 4]) + "," for i in range(0, 32, 4)))
print("};")
l32 = mp.log(2) / 32
# ln2/32 in float: the high part rounded to 12 bits, so k (at most 13 bits) times it is exact
l32_hi = mp.nint(l32 * 2**17) / 2**17
print(f"constexpr float kExpfInvL = {hexf(1 / l32)}, kExpfLHi = {hexf(l32_hi)}, "
      f"kExpfLLo = {hexf(l32 - l32_hi)};")


# ---- logf in float arithmetic (logf_impl.h): the double kernel's 16 intervals ------------------
cl, errl = remez(series_safe(lambda r: (mp.log1p(r) - r + r**2 / 2) / r**3,
                             lambda r: mp.mpf(1) / 3 - r / 4), -LOG_R, LOG_R, 3)
print(f"// kLogfL: minimax error {mp.nstr(errl, 3)}; times r^2 <= 1.1e-3")
print("constexpr float kLogfL[] = {" + ", ".join(hexf(c) for c in cl) + "};")
# log(c) split on a 2^-16 grid: k ln2hi + log(c)hi is exact in float for |k| <= 128
lcf_hi = [mp.nint(-mp.log(c) * 2**16) / 2**16 for c in invc]


def ftable(name, values):
    """A constexpr float array, four values a line."""
    print(f"constexpr float {name}[{len(values)}] = {{")
    for i in range(0, len(values), 4):
        print("    " + ", ".join(hexf(v) for v in values[i:i + 4]) + ",")
    print("};")


ftable("kLogfLogcHi", lcf_hi)
ftable("kLogfLogcLo", [-mp.log(c) - h for c, h in zip(invc, lcf_hi)])
ftable("kLogfInvc", invc)
ln2f_hi = mp.nint(mp.log(2) * 2**16) / 2**16
print(f"constexpr float kLn2fHi = {hexf(ln2f_hi)}, kLn2fLo = {hexf(mp.log(2) - ln2f_hi)};")
for nm, v in (("kInvLn2f", 1 / mp.log(2)), ("kInvLn10f", 1 / mp.log(10))):
    print(f"constexpr float {nm}Hi = {hexf(v)}, {nm}Lo = {hexf(v - to_f32(v))};")
