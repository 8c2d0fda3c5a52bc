#!/usr/bin/env bash
# Debian packages the project needs: iproute2 (ip, ss, nstat) for captures, nftables (nft: link loss in
# captures, scenario kernel.loss), Jupyter for the notebooks, qemu for the second-kernel rig. Needs root; prints the command otherwise.
set -euo pipefail
pkgs=(iproute2 jupyter-nbconvert python3-nbclient python3-ipython python3-ipykernel jupyter-client jupyter-notebook qemu-system-x86 procps nftables)
if [ "$(id -u)" != 0 ]; then
  echo "run as root: apt-get update && apt-get install -y ${pkgs[*]}" >&2
  exit 3
fi
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
