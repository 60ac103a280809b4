#!/usr/bin/env bash
# Installs the Debian 12 packages x86sim needs. Idempotent: does nothing when all are present.
# As root it runs apt-get; otherwise it prints the exact command and exits 3.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format valgrind
  libsystemc-dev libboost-dev libspdlog-dev libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libreadline-dev python3
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "x86sim: missing Debian packages: ${missing[*]}" >&2
  echo "x86sim: run as root:  apt-get update && $command" >&2
  exit 3
fi

echo "x86sim: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}"
