#!/usr/bin/env bash
# Installs what loopjit needs on Debian 12 (apt packages, a Python virtualenv in .venv) and
# builds loopjit into that virtualenv. Safe to run again: it only does what is missing, and the
# build is incremental (build/, ccache).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(llvm-19-dev libtbb-dev libbenchmark-dev libgtest-dev googletest cmake ninja-build
              ccache g++ zlib1g-dev libzstd-dev libxml2-dev libedit-dev libffi-dev)

missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "bootstrap: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python: the newest of 3.13/3.12 found (NumPy 2.5 needs >= 3.12), else python3 (>= 3.10).
if [ ! -x .venv/bin/python ]; then
    PY=""
    for cand in python3.13 python3.12 "$HOME/.pyenv/versions/3.12.1/bin/python3" python3; do
        if command -v "$cand" >/dev/null 2>&1 &&
           "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null &&
           "$cand" -c 'import venv, ensurepip' 2>/dev/null; then
            PY="$cand"
            break
        fi
    done
    [ -n "$PY" ] || { echo "bootstrap: no Python >= 3.10 with venv found" >&2; exit 1; }
    echo "bootstrap: creating .venv with $("$PY" --version)"
    "$PY" -m venv .venv
fi

stamp=.venv/.loopjit-requirements
want=$(sha256sum scripts/requirements-dev.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "bootstrap: installing Python packages"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -r scripts/requirements-dev.txt
    echo "$want" > "$stamp"
fi

# Build and install loopjit itself (incremental: scikit-build-core keeps build/<wheel tag>).
echo "bootstrap: building loopjit"
.venv/bin/python -m pip install -q --no-build-isolation --no-deps . 2>&1 | grep -v "^\s*$" || true
.venv/bin/python -c "import loopjit" || { echo "bootstrap: loopjit failed to build" >&2; exit 1; }
