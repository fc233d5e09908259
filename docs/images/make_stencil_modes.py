"""Draws stencil_modes.png for docs/user-guide/stencil.md: a 5-element signal extended past both
ends under each border mode, as @stencil reads it (checked against np.pad, which spells the
same modes constant/edge/symmetric/reflect/wrap).

    .venv/bin/python docs/images/make_stencil_modes.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import loopjit as lj  # noqa: E402

SIGNAL = np.array([1.0, 4.0, 2.0, 5.0, 3.0])
REACH = 7  # elements drawn past each end: more than the signal's length
CVAL = 0.0
PAD = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "mirror": "reflect",
       "wrap": "wrap"}
OUT = Path(__file__).resolve().parent / "stencil_modes.png"


def read_at(a, k):
    return a[k]


def extended(mode):
    """SIGNAL[j] for j in [-REACH, n + REACH), read by a stencil from its first or last point."""
    s = lj.stencil(read_at, neighborhood=((-REACH - len(SIGNAL), REACH + len(SIGNAL)),),
                   mode=mode, cval=CVAL)
    n = len(SIGNAL)
    values = [s(SIGNAL, j)[0] if j < n else s(SIGNAL, j - n + 1)[n - 1]
              for j in range(-REACH, n + REACH)]
    kw = {"constant_values": CVAL} if mode == "constant" else {}
    np.testing.assert_array_equal(values, np.pad(SIGNAL, REACH, mode=PAD[mode], **kw))
    return np.array(values)


def main():
    n = len(SIGNAL)
    xs = np.arange(-REACH, n + REACH)
    inside = (xs >= 0) & (xs < n)
    fig, axes = plt.subplots(len(PAD), 1, figsize=(7.5, 6.6), sharex=True)
    for ax, mode in zip(axes, PAD):
        v = extended(mode)
        ax.bar(xs[inside], v[inside], color="#1f77b4", width=0.8)
        ax.bar(xs[~inside], v[~inside], color="#ffbb78", edgecolor="#d62728", width=0.8,
               hatch="//")
        for x, y in zip(xs, v):
            ax.text(x, y + 0.25, f"{y:g}", ha="center", va="bottom", fontsize=7)
        ax.axvline(-0.5, color="k", lw=1)
        ax.axvline(n - 0.5, color="k", lw=1)
        label = f"'{mode}'" + (f"\n(cval={CVAL:g})" if mode == "constant" else "")
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
        ax.set_ylim(0, 7)
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
    axes[-1].set_xticks(xs)
    axes[-1].tick_params(labelsize=7)
    axes[-1].set_xlabel("index read (the array holds indices 0..4; hatched: outside, as the "
                        "mode extends it)", fontsize=8)
    fig.suptitle("@stencil border modes (scipy.ndimage's): what reads past either end of "
                 f"{SIGNAL.astype(int).tolist()} give", fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT, dpi=90)
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
