#!/usr/bin/env bash
# Installs a software Vulkan driver (Mesa's llvmpipe, "lavapipe") so the WebGPU backend (Dawn,
# from the npm package `webgpu`) finds an adapter on a machine without a GPU. Dawn needs Mesa >= 23;
# Debian bookworm ships 22.3, so the driver comes from bookworm-backports (Mesa 25).
#
# The backports source is added to apt only inside CI (CI=true) or when asked:
#   scripts/install-vulkan-sw.sh --add-backports      (or METRICLAB_ADD_BACKPORTS=1)
# Without it, on a system lacking a new enough driver, the script says what to do and exits 1.
# On a system that already has one (or a non-Debian one) it changes nothing.
set -euo pipefail

want_major=23
add_backports=0
if [ "${CI:-}" = "true" ] || [ "${METRICLAB_ADD_BACKPORTS:-}" = "1" ]; then add_backports=1; fi
for arg in "$@"; do
  case "$arg" in
    --add-backports) add_backports=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "install-vulkan-sw.sh: unknown argument '$arg' (expected --add-backports or --help)" >&2
      exit 2
      ;;
  esac
done

mesa_major() {
  local v
  v=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  v=${v#*:}
  echo "${v%%.*}"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-vulkan-sw.sh: not a Debian system; install Mesa >= ${want_major} with its Vulkan drivers (lavapipe) yourself" >&2
  exit 1
fi

have=$(mesa_major)
if [ -n "$have" ] && [ "$have" -ge "$want_major" ] && dpkg -s libvulkan1 >/dev/null 2>&1; then
  echo "install-vulkan-sw.sh: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
  exit 0
fi

codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
export DEBIAN_FRONTEND=noninteractive
if [ "$codename" = "bookworm" ]; then
  list=/etc/apt/sources.list.d/metriclab-bookworm-backports.list
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if [ "$add_backports" != 1 ]; then
      echo "install-vulkan-sw.sh: Debian bookworm's Mesa is too old for Dawn (needs >= ${want_major});" >&2
      echo "  rerun with --add-backports (adds deb.debian.org bookworm-backports to apt) to install Mesa from there" >&2
      exit 1
    fi
    echo "deb http://deb.debian.org/debian bookworm-backports main" >"$list"
    echo "install-vulkan-sw.sh: added $list"
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
else
  apt-get update -q
  apt-get install -y -q --no-install-recommends mesa-vulkan-drivers libvulkan1
fi

have=$(mesa_major)
if [ -z "$have" ] || [ "$have" -lt "$want_major" ]; then
  echo "install-vulkan-sw.sh: installed mesa-vulkan-drivers ${have:-none} is older than ${want_major}; Dawn will not find llvmpipe" >&2
  exit 1
fi
echo "install-vulkan-sw.sh: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) installed"
