// Constants of the math kernels: minimax coefficients and tables, as printed by
// scripts/vmath_coefficients.py (which says how each was derived). Internal linkage: each ISA
// translation unit has its own copy.
#pragma once

namespace lj::vmath {
namespace {

// clang-format off
// kExpQ: minimax error 8.01e-17 (2^-53.47), with double coefficients 1.11e-16
constexpr double kExpQ[] = {
    0x1.0000000000001p-1,
    0x1.5555555555557p-3,
    0x1.55555554e93b6p-5,
    0x1.11111110aba5dp-7,
    0x1.6c17ed5c254ddp-10,
    0x1.a01b65172a352p-13,
};
constexpr double kInvLn2x16 = 0x1.71547652b82fep+4, kLn2d16Hi = 0x1.62e42fefa39efp-5,
                 kLn2d16Lo = 0x1.abc9e3b39803fp-60, kLn2 = 0x1.62e42fefa39efp-1;
// 2^(j/16) = kExp2Hi[j] + kExp2Lo[j]
constexpr double kExp2Hi[16] = {
    0x1.0000000000000p+0, 0x1.0b5586cf9890fp+0, 0x1.172b83c7d517bp+0, 0x1.2387a6e756238p+0,
    0x1.306fe0a31b715p+0, 0x1.3dea64c123422p+0, 0x1.4bfdad5362a27p+0, 0x1.5ab07dd485429p+0,
    0x1.6a09e667f3bcdp+0, 0x1.7a11473eb0187p+0, 0x1.8ace5422aa0dbp+0, 0x1.9c49182a3f090p+0,
    0x1.ae89f995ad3adp+0, 0x1.c199bdd85529cp+0, 0x1.d5818dcfba487p+0, 0x1.ea4afa2a490dap+0,
};
constexpr double kExp2Lo[16] = {
    0x0.0p+0, 0x1.8a62e4adc610bp-54, -0x1.19041b9d78a76p-55, 0x1.9b07eb6c70573p-54,
    0x1.6f46ad23182e4p-55, 0x1.ada0911f09ebcp-55, 0x1.d4397afec42e2p-56, 0x1.6324c054647adp-54,
    -0x1.bdd3413b26456p-54, -0x1.41577ee04992fp-55, 0x1.6e9f156864b27p-54, 0x1.c7c46b071f2bep-56,
    0x1.7a1cd345dcc81p-54, 0x1.11065895048ddp-55, 0x1.2ed02d75b3707p-55, -0x1.e9c23179c2893p-54,
};
// kLogL: minimax error 1.13e-15 (2^-49.65), with double coefficients 1.13e-15
constexpr double kLogL[] = {
    0x1.5555555555541p-2,
    -0x1.ffffffffffed6p-3,
    0x1.9999999ab4b96p-3,
    -0x1.555555581f569p-3,
    0x1.249235e646dc6p-3,
    -0x1.ffffc400bc518p-4,
    0x1.c7f2b0104ddccp-4,
    -0x1.9a8f2797e9b74p-4,
};
// kPowM: minimax error 1.6e-17 (2^-55.79), with double coefficients 1.68e-17
constexpr double kPowM[] = {
    -0x1.0000000000000p-2,
    0x1.99999999998ffp-3,
    -0x1.55555555552c6p-3,
    0x1.2492492653931p-3,
    -0x1.00000003cdd93p-3,
    0x1.c71c45ce29b9cp-4,
    -0x1.9999588c6043cp-4,
    0x1.75291094e7f16p-4,
    -0x1.563ce41baac14p-4,
};
constexpr double kThirdHi = 0x1.5555555555555p-2, kThirdLo = 0x1.5555555555555p-56;
// log table: max |r| = 0.033203
constexpr double kLogInvc[16] = {
    0x1.6800000000000p+0, 0x1.5800000000000p+0, 0x1.4800000000000p+0, 0x1.3800000000000p+0,
    0x1.3000000000000p+0, 0x1.2800000000000p+0, 0x1.1800000000000p+0, 0x1.1000000000000p+0,
    0x1.0800000000000p+0, 0x1.0000000000000p+0, 0x1.e000000000000p-1, 0x1.c800000000000p-1,
    0x1.b000000000000p-1, 0x1.9800000000000p-1, 0x1.8800000000000p-1, 0x1.7800000000000p-1,
};
constexpr double kLogLogcHi[16] = {
    -0x1.5d1bdbf581000p-2, -0x1.2e8e2bae12000p-2, -0x1.fb9186d5e4000p-3, -0x1.9525a9cf46000p-3,
    -0x1.5ff3070a7a000p-3, -0x1.29552f8200000p-3, -0x1.6f0d28ae58000p-4, -0x1.f0a30c0118000p-5,
    -0x1.f829b0e780000p-6, 0x0.0p+0, 0x1.08598b59e4000p-4, 0x1.da72763844000p-4,
    0x1.5bf406b544000p-3, 0x1.d1037f2656000p-3, 0x1.1178e8227e000p-2, 0x1.3c25277333000p-2,
};
constexpr double kLogLogcLo[16] = {
    0x1.8d6bdc9c7c238p-44, 0x1.67b1e99b72bd8p-45, 0x1.d572aab993c87p-47, 0x1.297137d9f158fp-44,
    0x1.8586f183bebf2p-44, 0x1.5b967f4471dfcp-44, 0x1.4b4641b664613p-44, 0x1.d599e83368e91p-45,
    -0x1.980267c7e09e4p-45, 0x0.0p+0, -0x1.7e5dd7009902cp-46, 0x1.a89401fa71733p-46,
    -0x1.27023eb68981cp-46, -0x1.84a7e75b6f6e4p-47, 0x1.1ef78ce2d07f2p-44, 0x1.83b54b606bd5cp-46,
};
constexpr double kLn2Hi = 0x1.62e42fefa3800p-1, kLn2Lo = 0x1.ef35793c76730p-45;
constexpr double kInvLn2Hi = 0x1.71547652b82fep+0, kInvLn2Lo = 0x1.777d0ffda0d24p-56;
constexpr double kInvLn10Hi = 0x1.bcb7b1526e50ep-2, kInvLn10Lo = 0x1.95355baaafad3p-57;
// kSinS: minimax error 5.16e-18 (2^-57.43), with double coefficients 5.37e-18
constexpr double kSinS[] = {
    0x1.1111111110761p-7,
    -0x1.a01a019d9b794p-13,
    0x1.71de369db7d34p-19,
    -0x1.ae5f31c389c4fp-26,
    0x1.5dc82b6a3ae9bp-33,
};
constexpr double kSin1Hi = -0x1.5555555555555p-3, kSin1Lo = -0x1.5555555555555p-57;
// kCosC: minimax error 4.67e-20 (2^-64.22), with double coefficients 8.97e-19
constexpr double kCosC[] = {
    0x1.555555555554cp-5,
    -0x1.6c16c16c1517ep-10,
    0x1.a01a019cb1bd8p-16,
    -0x1.27e4f809f07b0p-22,
    0x1.1ee9ebe91351cp-29,
    -0x1.8fae9c6921de3p-37,
};
constexpr double kPio2_1 = 0x1.921fb54442d18p+0, kPio2_2 = 0x1.1a62633145c07p-54,
                 kPio2_3 = -0x1.f1976b7ed8fbcp-110;
constexpr double kTwoOverPi = 0x1.45f306dc9c883p-1;
// kAtanA: minimax error 1.93e-19 (2^-62.17), with double coefficients 2.26e-19
constexpr double kAtanA[] = {
    -0x1.5555555555542p-2,
    0x1.9999999989499p-3,
    -0x1.249248ffcb3e5p-3,
    0x1.c71c257d5cd59p-4,
    -0x1.7435091fb0ca2p-4,
    0x1.30b21b81f4517p-4,
};
// angle table: (a, b) = (cos, sin)(j pi/16) rounded; theta = atan2(b, a) exactly
constexpr double kAngA[16] = {
    0x1.0000000000000p+0, 0x1.f6297cff75cb0p-1, 0x1.d906bcf328d46p-1, 0x1.a9b66290ea1a3p-1,
    0x1.6a09e667f3bcdp-1, 0x1.1c73b39ae68c8p-1, 0x1.87de2a6aea963p-2, 0x1.8f8b83c69a60bp-3,
    0x0.0p+0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
};
constexpr double kAngB[16] = {
    0x0.0p+0, 0x1.8f8b83c69a60bp-3, 0x1.87de2a6aea963p-2, 0x1.1c73b39ae68c8p-1,
    0x1.6a09e667f3bcdp-1, 0x1.a9b66290ea1a3p-1, 0x1.d906bcf328d46p-1, 0x1.f6297cff75cb0p-1,
    0x1.0000000000000p+0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
};
constexpr double kAngHi[16] = {
    0x0.0p+0, 0x1.921fb54442d19p-3, 0x1.921fb54442d19p-2, 0x1.2d97c7f3321d2p-1,
    0x1.921fb54442d18p-1, 0x1.f6a7a2955385fp-1, 0x1.2d97c7f3321d2p+0, 0x1.5fdbbe9bba775p+0,
    0x1.921fb54442d18p+0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
};
constexpr double kAngLo[16] = {
    0x0.0p+0, -0x1.3ef80ff972786p-57, -0x1.bdc37e8e85d40p-56, -0x1.1c53366d934d0p-56,
    0x1.1a62633145c07p-55, -0x1.3d119e66aad8ap-55, 0x1.13a685a9ce6aep-55, 0x1.8482ca60e81efp-55,
    0x1.1a62633145c07p-54, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
};
constexpr double kPiHi = 0x1.921fb54442d18p+1, kPiLo = 0x1.1a62633145c07p-53;
// kSinhH: minimax error 5.24e-21 (2^-67.37), with double coefficients 8.2e-19
constexpr double kSinhH[] = {
    0x1.5555555555555p-3,
    0x1.1111111110f20p-7,
    0x1.a01a01a2559abp-13,
    0x1.71de286c764f7p-19,
    0x1.aee6c0ac22cb7p-26,
};
// kExpQf: minimax error 2.12e-8 (2^-25.49), with double coefficients 2.12e-8
constexpr double kExpQf[] = {
    0x1.fffffffeafa9dp-2,
    0x1.5556df00b6542p-3,
    0x1.55570abfc0941p-5,
};
// kLogLf: minimax error 2.25e-8 (2^-25.4), with double coefficients 2.25e-8
constexpr double kLogLf[] = {
    0x1.555553d288816p-2,
    -0x1.fffff56b6813cp-3,
    0x1.99edb9389e684p-3,
    -0x1.55c3c65e3bf2fp-3,
};
// kSinSf: minimax error 2.81e-11 (2^-35.05), with double coefficients 2.81e-11
constexpr double kSinSf[] = {
    -0x1.555555545e557p-3,
    0x1.11110def97846p-7,
    -0x1.a013a7e46e0a0p-13,
    0x1.6dbe150ed6f73p-19,
};
// kCosCf: minimax error 2.34e-12 (2^-38.63), with double coefficients 2.34e-12
constexpr double kCosCf[] = {
    0x1.5555555502e24p-5,
    -0x1.6c16bf5517b1ep-10,
    0x1.a015c49bdf7d5p-16,
    -0x1.25245056d74e5p-22,
};
// kAtanAf: minimax error 4.84e-9 (2^-27.62), with double coefficients 4.84e-9
constexpr double kAtanAf[] = {
    -0x1.55555502400cap-2,
    0x1.99958696450e8p-3,
    -0x1.20c742a7bd1fdp-3,
};
// kSinhHf: minimax error 2.11e-11 (2^-35.46), with double coefficients 2.11e-11
constexpr double kSinhHf[] = {
    0x1.555555560f5e4p-3,
    0x1.111104026c8ecp-7,
    0x1.a0a5063d768dep-13,
};
// kExpfQ: minimax error 2.45e-6; times r^2 <= 1.2e-4
constexpr float kExpfQ[] = {0x1.000052p-1f, 0x1.5555d8p-3f};
constexpr float kExpfTHi[32] = {
    0x1p+0f, 0x1.059b0ep+0f, 0x1.0b5586p+0f, 0x1.11301ep+0f,
    0x1.172b84p+0f, 0x1.1d4874p+0f, 0x1.2387a6p+0f, 0x1.29e9ep+0f,
    0x1.306fep+0f, 0x1.371a74p+0f, 0x1.3dea64p+0f, 0x1.44e086p+0f,
    0x1.4bfdaep+0f, 0x1.5342b6p+0f, 0x1.5ab07ep+0f, 0x1.6247ecp+0f,
    0x1.6a09e6p+0f, 0x1.71f75ep+0f, 0x1.7a1148p+0f, 0x1.82589ap+0f,
    0x1.8ace54p+0f, 0x1.93737cp+0f, 0x1.9c4918p+0f, 0x1.a5503cp+0f,
    0x1.ae89fap+0f, 0x1.b7f77p+0f, 0x1.c199bep+0f, 0x1.cb720ep+0f,
    0x1.d5818ep+0f, 0x1.dfc974p+0f, 0x1.ea4afap+0f, 0x1.f50766p+0f,
};
constexpr float kExpfTLo[32] = {
    0x0p+0f, -0x1.9d4f52p-25f, 0x1.9f3122p-25f, -0x1.fdb496p-25f,
    -0x1.c15742p-27f, -0x1.d2e8cap-25f, 0x1.ceac48p-25f, -0x1.5c0424p-25f,
    0x1.4636e2p-25f, -0x1.18aac6p-25f, 0x1.824684p-25f, 0x1.8624b4p-30f,
    -0x1.593abcp-25f, -0x1.2c561p-25f, -0x1.5bd5ecp-27f, -0x1.f8b55p-25f,
    0x1.9fcef4p-26f, 0x1.1d8beep-25f, -0x1.829fdp-25f, -0x1.accc7cp-26f,
    0x1.15506ep-27f, -0x1.e64744p-25f, 0x1.51f848p-27f, -0x1.b83b54p-25f,
    -0x1.a94b14p-26f, -0x1.a09438p-25f, -0x1.3d56b2p-27f, -0x1.8837ccp-27f,
    -0x1.822dbcp-27f, -0x1.908c94p-25f, 0x1.52486cp-27f, -0x1.246ebp-26f,
};
constexpr float kExpfInvL = 0x1.715476p+5f, kExpfLHi = 0x1.62ep-6f, kExpfLLo = 0x1.0bfbe8p-20f;
// kLogfL: minimax error 2.25e-8; times r^2 <= 1.1e-3
constexpr float kLogfL[] = {0x1.555554p-2f, -0x1.fffff6p-3f, 0x1.99edbap-3f, -0x1.55c3c6p-3f};
constexpr float kLogfLogcHi[16] = {
    -0x1.5d1cp-2f, -0x1.2e9p-2f, -0x1.fb9p-3f, -0x1.9528p-3f,
    -0x1.5ffp-3f, -0x1.2958p-3f, -0x1.6f1p-4f, -0x1.f0ap-5f,
    -0x1.f84p-6f, 0x0p+0f, 0x1.086p-4f, 0x1.da7p-4f,
    0x1.5bf8p-3f, 0x1.d1p-3f, 0x1.1178p-2f, 0x1.3c24p-2f,
};
constexpr float kLogfLogcLo[16] = {
    0x1.2053fcp-21f, 0x1.d451eep-18f, -0x1.86d5e4p-19f, 0x1.2b185ep-18f,
    -0x1.83853cp-18f, 0x1.683fp-18f, 0x1.6ba8d4p-19f, -0x1.86008cp-20f,
    0x1.64f188p-18f, 0x0p+0f, -0x1.9d2988p-18f, 0x1.3b1c22p-19f,
    -0x1.fca55ep-18f, 0x1.bf932ap-18f, 0x1.d044fcp-19f, 0x1.277334p-18f,
};
constexpr float kLogfInvc[16] = {
    0x1.68p+0f, 0x1.58p+0f, 0x1.48p+0f, 0x1.38p+0f,
    0x1.3p+0f, 0x1.28p+0f, 0x1.18p+0f, 0x1.1p+0f,
    0x1.08p+0f, 0x1p+0f, 0x1.ep-1f, 0x1.c8p-1f,
    0x1.bp-1f, 0x1.98p-1f, 0x1.88p-1f, 0x1.78p-1f,
};
constexpr float kLn2fHi = 0x1.62e4p-1f, kLn2fLo = 0x1.7f7d1cp-20f;
constexpr float kInvLn2fHi = 0x1.715476p+0f, kInvLn2fLo = 0x1.4ae0cp-26f;
constexpr float kInvLn10fHi = 0x1.bcb7b2p-2f, kInvLn10fLo = -0x1.5b235ep-27f;
// clang-format on

} // namespace
} // namespace lj::vmath
