#!/usr/bin/env bash
# docker-airgap.sh — provide a working Docker engine and a Java 17 base image
# on a machine that can reach NO container registry (only Debian apt, Maven
# Central and npm are reachable here). Nothing is ever pulled.
#
# Usage:
#   scripts/docker-airgap.sh [all|engine|base-image|status]   (default: all)
#
#   engine      ensure a Docker engine answers `docker info`; if not, install
#               Debian's docker.io (apt) and start dockerd in the background.
#   base-image  ensure image shout/jre17-base:latest exists; if not, build it
#               from Debian packages with debootstrap and `docker import` it.
#   all         both, in that order.
#   status      print what is there, change nothing.
#
# On success the LAST line printed on stdout is
#   BASE_IMAGE=shout/jre17-base:latest
# so callers can do:  eval "$(scripts/docker-airgap.sh | tail -n1)"
# Progress messages go to stderr so stdout stays machine-readable.
#
# Environment knobs (all optional):
#   SHOUT_BASE_IMAGE     image name to create        (shout/jre17-base:latest)
#   SHOUT_CACHE_DIR      where the rootfs tarball is cached (/var/cache/shout)
#   SHOUT_DOCKERD_LOG    dockerd log file            (/var/log/shout-dockerd.log)
#   SHOUT_DOCKERD_WAIT   seconds to wait for dockerd (60)
#   SHOUT_SUITE          Debian suite for the rootfs (bookworm)
#   SHOUT_AIRGAP_LOG     apt/debootstrap output  (/var/log/shout-docker-airgap.log)
#
# Idempotent: every step checks first and does nothing if already done, so it
# is safe to call from .ci/run, from test set-up, or by hand, any number of
# times. A second run on the same machine takes a few seconds.
set -euo pipefail

BASE_IMAGE="${SHOUT_BASE_IMAGE:-shout/jre17-base:latest}"
CACHE_DIR="${SHOUT_CACHE_DIR:-/var/cache/shout}"
DOCKERD_LOG="${SHOUT_DOCKERD_LOG:-/var/log/shout-dockerd.log}"
DOCKERD_WAIT="${SHOUT_DOCKERD_WAIT:-60}"
SUITE="${SHOUT_SUITE:-bookworm}"
# Bump when the package list below changes, so a stale cached rootfs is not reused.
ROOTFS_VERSION=1
ROOTFS_TAR="$CACHE_DIR/jre17-rootfs-$SUITE-v$ROOTFS_VERSION.tar"

log() { echo "[docker-airgap] $*" >&2; }
die() { echo "[docker-airgap] ERROR: $*" >&2; exit 1; }

# Client/engine versions: the machine ships a newer docker CLI at
# /usr/local/bin/docker (28.x, API 1.50) that shadows Debian's /usr/bin/docker
# (20.10). Debian bookworm's engine is 20.10 (API 1.41). This is fine: the CLI
# negotiates down on its own ("API version: 1.41 (downgraded from 1.50)"), so
# we do NOT set DOCKER_API_VERSION (pinning it would only break things if the
# engine changed). Testcontainers 2.0.5 tries API 1.44, then falls back to
# 1.32 and works; -Dapi.version=1.41 makes it use 1.41 directly. We just report.
server_api() { docker version --format '{{.Server.Version}}, API {{.Server.APIVersion}}' 2>/dev/null || echo '?'; }

# Noisy tool output (apt, debootstrap) goes to this file rather than the
# console, so CI logs stay readable; its tail is shown if a step fails.
STEP_LOG="${SHOUT_AIRGAP_LOG:-/var/log/shout-docker-airgap.log}"
run_logged() {
  mkdir -p "$(dirname "$STEP_LOG")"
  echo "=== $(date -Is) $*" >>"$STEP_LOG"
  if ! "$@" >>"$STEP_LOG" 2>&1; then
    echo "[docker-airgap] ERROR: '$*' failed; last lines of $STEP_LOG:" >&2
    tail -n 20 "$STEP_LOG" >&2
    exit 1
  fi
}

docker_ok() { docker info >/dev/null 2>&1; }

# Is PID a live process (not a zombie)? A SIGKILLed dockerd/containerd can
# linger as a zombie for a while here (PID 1 reaps slowly); pgrep, kill -0 and
# dockerd's own pid-file check all count a zombie as running.
pid_alive() { [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" =~ ^[RSDT]$ ]]; }

dockerd_alive() {
  local pid
  for pid in $(pgrep -x dockerd 2>/dev/null); do pid_alive "$pid" && return 0; done
  return 1
}

# dockerd refuses to start while /var/run/docker.pid names an existing process,
# and waits forever-ish (then fails: "timeout waiting for containerd to start")
# while its managed containerd's pid file names one. After a crash/SIGKILL
# both can name zombies, so drop pid files whose process is not alive.
# (Sockets are left alone: dockerd replaces stale ones itself.)
clear_stale_pidfiles() {
  local f pid
  for f in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    [[ -f "$f" ]] || continue
    pid="$(cat "$f" 2>/dev/null || true)"
    if [[ -z "$pid" ]] || ! pid_alive "$pid"; then
      log "removing stale $f (pid ${pid:-?} is not alive)"
      rm -f "$f"
    fi
  done
}

# Time each phase, so slow steps show up in CI logs.
phase_start() { PHASE_NAME="$1"; PHASE_T0=$(date +%s.%N); log "phase '$1' ..."; }
phase_end() {
  local t1; t1=$(date +%s.%N)
  log "phase '$PHASE_NAME' done in $(awk -v a="$PHASE_T0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s${1:+ ($1)}"
}

APT_UPDATED=0
export DEBIAN_FRONTEND=noninteractive   # never prompt (CI has no stdin)
apt_install() {
  # apt-get update only once per run, and only when something is missing:
  # it is the slow part and needs the network.
  if (( APT_UPDATED == 0 )); then
    log "apt-get update"
    run_logged apt-get update
    APT_UPDATED=1
  fi
  log "apt-get install $*"
  run_logged apt-get install -y --no-install-recommends "$@"
}

ensure_engine() {
  phase_start engine
  if docker_ok; then
    phase_end "already running: $(server_api)"
    return 0
  fi

  # Debian's docker.io brings dockerd + containerd + runc; no registry needed.
  # (/usr/bin/docker from this package is a 20.10 client; /usr/local/bin/docker
  # may shadow it on PATH — both work against the engine, see server_api.)
  local pkgs=()
  command -v dockerd >/dev/null 2>&1 || pkgs+=(docker.io)
  # iptables: dockerd refuses to start without it unless told otherwise;
  # docker.io depends on it, listed for clarity.
  command -v iptables >/dev/null 2>&1 || pkgs+=(iptables)
  if ((${#pkgs[@]})); then apt_install "${pkgs[@]}"; fi

  # No systemd here (containers/CI sandboxes), so start dockerd by hand.
  local started=0
  if ! dockerd_alive; then
    clear_stale_pidfiles
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    log "starting dockerd (log: $DOCKERD_LOG)"
    # setsid + nohup: the daemon must outlive this script and the calling
    # shell/session (CI step, test run), and must not get its SIGHUP.
    setsid nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null &
    started=1
  else
    log "dockerd process exists but is not answering yet; waiting for it"
  fi

  local waited=0 why=""
  until docker_ok; do
    # Fail at once if the daemon we started has already died (bad config,
    # missing kernel feature...) instead of waiting out the whole timeout.
    # (by name, not $!: setsid may fork, making $! a short-lived parent)
    if (( started )) && (( waited >= 2 )) && ! dockerd_alive; then
      why="dockerd exited during start-up"
    elif (( waited >= DOCKERD_WAIT )); then
      why="dockerd did not answer within ${DOCKERD_WAIT}s"
    fi
    if [[ -n "$why" ]]; then
      echo "[docker-airgap] ERROR: $why; last lines of $DOCKERD_LOG:" >&2
      tail -n 20 "$DOCKERD_LOG" >&2 || true
      exit 1
    fi
    sleep 1; waited=$((waited + 1))
  done
  phase_end "dockerd pid $(cat /var/run/docker.pid 2>/dev/null || echo ?): $(server_api)"
}

ensure_base_image() {
  phase_start base-image
  docker_ok || die "no Docker engine answers; run '$0 engine' first"
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    phase_end "image $BASE_IMAGE already present"
    return 0
  fi

  # The rootfs build (debootstrap) is the slow part (~40 s, network): cache its
  # result as a tarball so re-creating a deleted image is a local import only.
  if [[ ! -s "$ROOTFS_TAR" ]]; then
    command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
    mkdir -p "$CACHE_DIR"
    local root; root="$(mktemp -d /var/tmp/shout-rootfs.XXXXXX)"
    # shellcheck disable=SC2064  # expand $root now, on purpose
    trap "rm -rf '$root'" EXIT
    # minbase = essential packages + apt only (smallest Debian userland).
    # The JRE comes from Debian, so the image needs no registry at all.
    # passwd: useradd/groupadd, so Dockerfiles can create a named non-root
    #         user. It is Priority: required, so minbase has it anyway; listed
    #         so the dependency is explicit. (A numeric USER with no passwd
    #         entry also runs, but Java then sees user.name/user.home = "?".)
    # debootstrap installs Depends only (no Recommends), which keeps it small.
    log "debootstrap $SUITE into $root (~40 s; output in $STEP_LOG)"
    run_logged debootstrap --variant=minbase \
      --include=openjdk-17-jre-headless,passwd \
      "$SUITE" "$root"
    # Drop apt lists and caches: they are big and useless in the image.
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb
    # Write to a temp name then rename, so an interrupted run never leaves a
    # truncated tarball that a later run would trust.
    tar -C "$root" --numeric-owner -cf "$ROOTFS_TAR.tmp" .
    mv -f "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
    rm -rf "$root"; trap - EXIT
    log "cached rootfs at $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
  else
    log "using cached rootfs $ROOTFS_TAR"
  fi

  # `docker import` makes an image with no config at all: set PATH, JAVA_HOME
  # and a default CMD so `docker run IMAGE java ...` and Testcontainers work.
  # java is on PATH at /usr/bin/java (Debian alternatives symlink).
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["java","-version"]' \
    "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
  # Prove the image is usable before declaring success.
  docker run --rm --network host "$BASE_IMAGE" java -version >/dev/null 2>&1 \
    || die "image $BASE_IMAGE was imported but 'java -version' fails in it"
  phase_end "imported $BASE_IMAGE"
}

status() {
  if docker_ok; then
    log "engine: up ($(server_api)), dockerd pid $(cat /var/run/docker.pid 2>/dev/null || echo ?)"
  else
    log "engine: not answering"
  fi
  if docker_ok && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "base image: $BASE_IMAGE present"
  else
    log "base image: $BASE_IMAGE missing"
  fi
  [[ -s "$ROOTFS_TAR" ]] && log "rootfs cache: $ROOTFS_TAR" || log "rootfs cache: none"
}

main() {
  local cmd="${1:-all}"
  local t0; t0=$(date +%s.%N)
  case "$cmd" in
    all)        ensure_engine; ensure_base_image ;;
    engine)     ensure_engine ;;
    base-image) ensure_base_image ;;
    status)     status; return 0 ;;
    -h|--help|help) sed -n '2,30p' "$0"; return 0 ;;
    *) die "unknown command '$cmd' (use all|engine|base-image|status)" ;;
  esac
  log "total $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
  # Machine-readable result, always the last stdout line.
  if [[ "$cmd" != engine ]]; then echo "BASE_IMAGE=$BASE_IMAGE"; fi
  return 0
}

main "$@"
