#!/usr/bin/env bash
# Checks the README's two commands on a fresh Debian 12: builds a minimal bookworm root with debootstrap (minbase,
# plus only git and ca-certificates, as a new user would have), clones this repository's committed tree into
# /root/frontdoor, and runs `bash scripts/test.sh` there through chroot as root with a clean environment (HOME,
# PATH, CI=true). The root gets /proc, /sys, /dev, /dev/pts, a tmpfs /dev/shm and a tmpfs /tmp, all in a private
# mount namespace; the command runs in its own PID namespace, so nothing it starts outlives it. Everything is
# unmounted and (unless --keep) the root removed on exit, Ctrl-C included. Exits with the command's exit code.
# Needs root and network (Debian's mirror, npm's registry); not run in CI: it takes as long as a first install.
# Usage: fresh-debian-check.sh [--ref REF | --worktree] [--root DIR] [--keep] [--cache DIR] [--host-ca]
#                              [--command "..."]
#   --ref REF      check REF instead of HEAD
#   --worktree     check the working tree as it is (tracked and untracked, not ignored files) before a commit
#   --root DIR     build the root in DIR (new or empty; default a new directory under /var/tmp)
#   --keep         keep the root afterwards (to look around: chroot DIR bash)
#   --cache DIR    keep debootstrap's packages (a --make-tarball tarball) and apt's downloads in DIR for next time
#   --host-ca      also trust the CA certificates added on this machine (/usr/local/share/ca-certificates), for
#                  a network behind a TLS-intercepting proxy (npm ci fails with SELF_SIGNED_CERT_IN_CHAIN without)
#   --command CMD  run CMD in /root/frontdoor instead of `bash scripts/test.sh`, e.g. "bash scripts/run-baseline.sh"
set -euo pipefail

say() { echo "fresh-debian-check: $*"; }
die() { echo "fresh-debian-check: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

repo=$(cd "$(dirname "$0")/.." && pwd)
arguments=("$@")
ref=HEAD worktree=false root="" keep=false cache="" host_ca=false command="bash scripts/test.sh"
while [ $# -gt 0 ]; do
  case $1 in
    --ref) [ $# -ge 2 ] || die "--ref needs a value"; ref=$2; shift 2 ;;
    --worktree) worktree=true; shift ;;
    --root) [ $# -ge 2 ] || die "--root needs a value"; root=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    --cache) [ $# -ge 2 ] || die "--cache needs a value"; cache=$2; shift 2 ;;
    --command) [ $# -ge 2 ] || die "--command needs a value"; command=$2; shift 2 ;;
    --host-ca) host_ca=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount and chroot): sudo bash $0 ..."
if $worktree && [ "$ref" != HEAD ]; then die "--ref and --worktree exclude each other"; fi
git -C "$repo" rev-parse --verify --quiet "$ref^{commit}" >/dev/null || die "$ref is not a commit of $repo"

# Every mount below is made in a private mount namespace: none of them is visible outside this script, and the
# kernel drops them all when it ends, even if it is killed before its own cleanup runs.
if [ -z "${FRESH_DEBIAN_CHECK_NAMESPACE:-}" ]; then
  export FRESH_DEBIAN_CHECK_NAMESPACE=1
  exec unshare --mount --propagation private -- bash "$0" "${arguments[@]}"
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The same mirrors as this machine's apt sources (one-line or deb822 format), else deb.debian.org.
apt_uri() {
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -v '^[[:space:]]*#' | grep -oE 'https?://[^][[:space:]]+' | sed 's:/*$::' | grep -E "/$1\$" | head -1 || true
}
mirror=$(apt_uri debian) security=$(apt_uri debian-security)
mirror=${mirror:-http://deb.debian.org/debian} security=${security:-http://deb.debian.org/debian-security}
arch=$(dpkg --print-architecture)

if [ -z "$root" ]; then
  root=$(mktemp -d /var/tmp/frontdoor-debian.XXXXXX)
else
  mkdir -p "$root"
  [ -z "$(ls -A "$root")" ] || die "--root $root is not empty"
  root=$(cd "$root" && pwd)
fi
[ "$root" != / ] || die "--root / is not allowed"

mounts=()  # what is mounted under the root, in mounting order
mount_in_root() {  # mount_in_root TARGET MOUNT-ARGUMENTS...
  local target=$root$1
  shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounts+=("$target")
}
# shellcheck disable=SC2317  # (shellcheck 0.9 takes functions only called from a trap for unreachable code)
mounted_under_root() { awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo; }
# shellcheck disable=SC2317
cleanup() {
  local status=$?
  trap '' INT TERM
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount "${mounts[i]}" 2>/dev/null || umount --lazy "${mounts[i]}" || say "could not unmount ${mounts[i]}"
  done
  mounts=()
  if [ -n "$(mounted_under_root)" ]; then
    say "still mounted, so the root is left in place: $(mounted_under_root | tr '\n' ' ')"
  elif $keep; then
    say "kept the root in $root (chroot $root bash; remove it with rm -rf $root)"
  else
    say "removing $root"
    rm -rf --one-file-system "$root"
  fi
  say "exit $status"
  exit "$status"
}
trap 'cleanup' EXIT
trap 'say "interrupted"; exit 130' INT
trap 'say "terminated"; exit 143' TERM

# 1. A minimal Debian 12, from the cached packages when there are some.
say "building a minimal Debian 12 (bookworm, minbase, $arch) in $root from $mirror"
filter() { awk '!/^I: (Retrieving|Validating|Extracting|Unpacking|Configuring|Checking component)/'; }
bootstrap=(debootstrap --variant=minbase --arch="$arch")
if [ -n "$cache" ]; then
  mkdir -p "$cache"
  cache=$(cd "$cache" && pwd)
  tarball=$cache/debootstrap-bookworm-minbase-$arch.tgz
  if [ ! -s "$tarball" ]; then
    say "downloading the packages into $tarball (once)"
    scratch=$(mktemp -d "$cache/make-tarball.XXXXXX")
    "${bootstrap[@]}" --make-tarball="$tarball.partial" bookworm "$scratch" "$mirror" | filter
    rm -rf "$scratch"
    mv "$tarball.partial" "$tarball"
  fi
  bootstrap+=(--unpack-tarball="$tarball")
fi
chmod 755 "$root"  # it is /, which users other than root (apt's _apt, munge) have to get through
"${bootstrap[@]}" bookworm "$root" "$mirror" | filter || {
  tail -20 "$root/debootstrap/debootstrap.log" 2>/dev/null || true
  die "debootstrap failed"
}

# 2. What a Debian 12 machine has besides: its update and security suites, name resolution, the hosts file; no
#    services started from a chroot (policy-rc.d, as in Debian's container images: they would run on the host).
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
rm -f "$root/etc/resolv.conf"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
[ -e "$root/etc/hosts" ] || cp -L /etc/hosts "$root/etc/hosts"
printf '#!/bin/sh\nexit 101\n' > "$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"

say "mounting /proc, /sys, /dev, /dev/pts, /dev/shm and /tmp"
mount_in_root /proc -t proc proc
mount_in_root /sys -t sysfs sysfs
mount_in_root /dev --bind /dev
mount_in_root /dev/pts --bind /dev/pts
mount_in_root /dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mount_in_root /tmp -t tmpfs -o mode=1777,nosuid,nodev tmpfs
if [ -n "$cache" ]; then
  mkdir -p "$cache/apt-archives/partial"
  mount_in_root /var/cache/apt/archives --bind "$cache/apt-archives"
fi

# Runs "$@" in the root as root with a clean environment, in a PID namespace of its own (with its own /proc):
# when it ends, every process it left behind is killed, so the root can be unmounted.
in_root() {
  unshare --pid --fork --kill-child --mount-proc="$root/proc" -- chroot "$root" /usr/bin/env -i HOME=/root \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CI=true "$@"
}

say "installing updates, git and ca-certificates (what a new user has; the README's commands install the rest)"
in_root sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq >/dev/null &&
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git ca-certificates >/dev/null'
if $host_ca; then
  certificates=(/usr/local/share/ca-certificates/*.crt)
  [ -e "${certificates[0]}" ] || die "--host-ca: no certificates in /usr/local/share/ca-certificates"
  say "adding this machine's CA certificates: ${certificates[*]##*/}"
  cp -L "${certificates[@]}" "$root/usr/local/share/ca-certificates/"
  in_root update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the root"
fi

# 3. The tree: a clone, as a new user would make (the build records its commit), of REF, or of HEAD with the
#    working tree's files on top.
dest=$root/root/frontdoor
git clone --quiet --no-local --no-checkout "$repo" "$dest"
git -C "$dest" checkout --quiet --detach "$(git -C "$repo" rev-parse "$ref^{commit}")"
git -C "$dest" remote remove origin
if $worktree; then
  say "copying the working tree of $repo (tracked and untracked, not ignored files)"
  git -C "$dest" ls-files -z | (cd "$dest" && xargs -0 -r rm -f --)
  git -C "$repo" ls-files -z --cached --others --exclude-standard |
    (cd "$repo" && while IFS= read -r -d '' f; do if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\0' "$f"; fi; done) |
    tar -C "$repo" --null -T - -cf - | tar -C "$dest" -xf -
  say "tree: $(git -C "$dest" rev-parse --short=12 HEAD) with the working tree's changes:" \
    "$(git -C "$dest" status --porcelain | wc -l) files differ"
else
  say "tree: $ref = $(git -C "$dest" rev-parse --short=12 HEAD) ($(git -C "$dest" log -1 --format=%s | cut -c1-60))"
fi

# 4. The command.
say "running in the root, in /root/frontdoor: $command"
set +e
# shellcheck disable=SC2016  # $1 is expanded by the shell in the root
in_root bash -c 'cd /root/frontdoor && eval "$1"' fresh-debian-check "$command"
status=$?
set -e
if [ "$status" -eq 0 ]; then say "PASS: the command succeeded"; else say "FAIL: the command exited with $status"; fi
exit "$status"
