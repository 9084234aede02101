#!/usr/bin/env bash
# `make test-slurm`: the smoke DAG through a real SLURM scheduler, compared with a local run.
#
#   1. installs Debian's slurmctld slurmd slurm-client munge if missing (root + apt-get);
#   2. starts munged and a single-node SLURM cluster on localhost from files generated in a scratch
#      folder (own munge key and socket, own ports, state and logs; nothing under /etc is changed);
#   3. runs config/smoke.yaml locally (--cores $(nproc)) in one copy of the repository, and through
#      workflow/profiles/slurm in another;
#   4. proves that the compute jobs went through the scheduler: every SLURM job id Snakemake reports
#      is in the job-completion log (jobcomp/filetxt, what `sacct -c` reads) as COMPLETED, and the
#      slurmd log launched each of them;
#   5. compares every file under results/smoke/ of the two runs byte for byte, except the per-run
#      fields (tests/slurm/compare_results.py);
#   6. reports the time of the SLURM run against the local one (a measurement, not a check: speed
#      targets belong in `make bench`; SLURM_SMOKE_MAX_RATIO=<r> makes a ratio above r fail);
#   7. stops the Snakemake run, then the daemons by their pid files, whatever happens (trap):
#      a failure, INT or TERM; daemons left by a run killed with SIGKILL are stopped by the next run.
#
# Run it under a hard timeout (the Makefile does: `timeout -k 30 $SLURM_TEST_TIMEOUT`, 1500 s; the
# clean-up takes at most about 25 s, within the 30 s between TERM and KILL). KEEP_SLURM_SCRATCH=1 keeps
# the scratch folder (logs, both result trees) for inspection; SLURM_SMOKE_REFERENCE=<results/smoke
# of an earlier local run> skips the local run (and the time ratio) while debugging.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV_BIN=${VENV_BIN:-$ROOT/.venv/bin}
SNAKEMAKE=$VENV_BIN/snakemake
PYTHON=$VENV_BIN/python
MAX_RATIO=${SLURM_SMOKE_MAX_RATIO:-}
NCPU=$(nproc)

log() { printf '[test-slurm %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { log "FAIL: $*"; exit 1; }

# ---- 1. packages
need_install=()
for tool in slurmctld slurmd sbatch squeue munged mungekey; do
    command -v "$tool" >/dev/null || need_install+=("$tool")
done
if ((${#need_install[@]})); then
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null ||
        die "missing ${need_install[*]}; install: apt-get install slurmctld slurmd slurm-client munge"
    log "installing slurmctld slurmd slurm-client munge (Debian packages)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends \
        slurmctld slurmd slurm-client munge >/dev/null
fi
"$PYTHON" -c "import snakemake_executor_plugin_slurm" 2>/dev/null ||
    die "snakemake-executor-plugin-slurm is not in $VENV_BIN (make env installs envs/requirements.txt)"
[ "$(id -u)" = 0 ] || die "a private SLURM cluster needs root (SlurmUser=root, munged as munge)"

# ---- daemons left by an earlier run that was killed with SIGKILL (no trap runs then): stopped by
# their pid files, and only if the process still runs from that run's scratch folder
for pidfile in "${TMPDIR:-/tmp}"/thermodiff-slurm.*/run/*.pid; do
    [ -s "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    old_scratch=$(dirname "$(dirname "$pidfile")")
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$old_scratch/"; then
        log "stopping $(basename "$pidfile" .pid) ($pid) left by an earlier run in $old_scratch"
        kill "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
done

# ---- scratch folder and clean-up
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/thermodiff-slurm.XXXXXX")
chmod 755 "$SCRATCH" # munged checks the permissions of every parent of its files
RUN_PID= # the Snakemake run in progress (started in the background, see run_in)
exec 3>&1 4>&2 # the script's own output: a trap may run inside a redirected command
stop_daemons() {
    local status=$?
    set +e
    exec 1>&3 2>&4
    trap '' INT TERM # a second signal must not cut the clean-up short
    if [ -n "$RUN_PID" ] && kill -0 "$RUN_PID" 2>/dev/null; then
        log "stopping the Snakemake run in progress ($RUN_PID)"
        kill -TERM "$RUN_PID" 2>/dev/null # Snakemake cancels its SLURM jobs itself
        for _ in $(seq 25); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$RUN_PID" 2>/dev/null && kill -KILL "$RUN_PID" 2>/dev/null
    fi
    if [ -s "$SCRATCH/run/slurmctld.pid" ]; then # cancel what is left (job steps outlive slurmd)
        local ids
        ids=$(squeue -h -o %A 2>/dev/null)
        if [ -n "$ids" ]; then
            scancel $ids 2>/dev/null
            for _ in $(seq 25); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.2; done
        fi
    fi
    # a cancelled batch script's Snakemake can escape its job (reparented to init, out of reach of
    # proctrack/linuxproc): every process still running from this run's copies of the repository
    # is stopped by pid
    local leftovers=() pid args
    for proc in /proc/[0-9]*; do
        pid=${proc#/proc/}
        [ "$pid" = $$ ] && continue
        mapfile -d '' args <"$proc/cmdline" 2>/dev/null || continue
        case "${args[*]}" in
        *"$SCRATCH/slurm/"* | *"$SCRATCH/local/"*) leftovers+=("$pid") ;;
        esac
    done
    if ((${#leftovers[@]})); then
        log "stopping ${#leftovers[@]} job process(es) left in $SCRATCH: ${leftovers[*]}"
        kill "${leftovers[@]}" 2>/dev/null
        sleep 2
        kill -9 "${leftovers[@]}" 2>/dev/null
    fi
    for name in slurmd slurmctld munged; do
        local pidfile=$SCRATCH/run/$name.pid
        [ -s "$pidfile" ] || continue
        local pid
        pid=$(cat "$pidfile")
        kill "$pid" 2>/dev/null
        for _ in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
        rm -f "$pidfile"
    done
    if [ "$status" != 0 ] || [ "${KEEP_SLURM_SCRATCH:-0}" = 1 ]; then
        log "scratch kept in $SCRATCH"
        [ "$status" != 0 ] && for f in "$SCRATCH"/log/*.log "$SCRATCH"/munge/*.log; do
            [ -f "$f" ] || continue
            echo "---- tail of $f"
            tail -n 20 "$f"
        done
    else
        rm -rf "$SCRATCH"
    fi
    log "daemons stopped (exit status $status)"
    exit "$status"
}
trap stop_daemons EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# run_in DIR COMMAND...: runs COMMAND in DIR in the background and waits for it. Bash runs a trap
# only after the foreground command has ended, but interrupts `wait` at once: a timeout's TERM
# reaches stop_daemons at once, which stops the run (RUN_PID) before the daemons.
run_in() {
    (cd "$1" && shift && exec "$@") &
    RUN_PID=$!
    local rc=0
    wait "$RUN_PID" || rc=$?
    RUN_PID=
    return "$rc"
}
mkdir -p "$SCRATCH"/{run,log,state,spool,munge}

# ---- 2a. munge: own key, socket, pid, log and seed files (as the munge user)
chown munge:munge "$SCRATCH/munge" "$SCRATCH/run"
chmod 755 "$SCRATCH/munge" # the socket must be reachable by every user; the key stays 0600
chmod 755 "$SCRATCH/run"
MUNGE_SOCKET=$SCRATCH/munge/munge.socket
su -s /bin/sh munge -c "mungekey --create --keyfile=$SCRATCH/munge/munge.key"
su -s /bin/sh munge -c "munged --key-file=$SCRATCH/munge/munge.key --socket=$MUNGE_SOCKET \
    --pid-file=$SCRATCH/run/munged.pid --log-file=$SCRATCH/munge/munged.log \
    --seed-file=$SCRATCH/munge/munged.seed"
munge -S "$MUNGE_SOCKET" -n | unmunge -S "$MUNGE_SOCKET" >/dev/null || die "munge does not work"
log "munged up"

# ---- 2b. slurm.conf and the daemons
HOST=$(hostname -s)
MEM_MB=$(awk '/MemTotal/ {print int($2 / 1024 * 0.8)}' /proc/meminfo)
read -r CTLD_PORT SLURMD_PORT < <("$PYTHON" - <<'EOF'
import socket

ports = []
sockets = [socket.socket() for _ in range(2)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
    ports.append(s.getsockname()[1])
for s in sockets:
    s.close()
print(*ports)
EOF
)
export SLURM_CONF=$SCRATCH/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=thermodiff
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$SCRATCH/state
SlurmdSpoolDir=$SCRATCH/spool
SlurmctldPidFile=$SCRATCH/run/slurmctld.pid
SlurmdPidFile=$SCRATCH/run/slurmd.pid
SlurmctldLogFile=$SCRATCH/log/slurmctld.log
SlurmdLogFile=$SCRATCH/log/slurmd.log
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SCRATCH/log/jobcomp.txt
MinJobAge=3600
InactiveLimit=0
KillWait=5
Waittime=0
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$NCPU RealMemory=$MEM_MB State=UNKNOWN
PartitionName=main Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -i -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
    state=$(sinfo -h -N -o %t 2>/dev/null | head -n 1)
    [ "$state" = idle ] && break
    sleep 0.5
done
[ "$state" = idle ] || die "the SLURM node did not come up (state: '${state:-none}')"
# Inside a job, the executor plugin runs each job step with `srun` after dropping every SLURM_*
# variable, SLURM_CONF included; a real cluster's srun finds /etc/slurm/slurm.conf (or uses
# configless mode). This cluster's config lives in the scratch folder, so jobs get an `srun` first on
# PATH that points the real one at it (nothing under /etc is changed).
mkdir -p "$SCRATCH/bin"
printf '#!/bin/sh\nSLURM_CONF=%s exec %s "$@"\n' "$SLURM_CONF" "$(command -v srun)" >"$SCRATCH/bin/srun"
chmod 755 "$SCRATCH/bin/srun"
export PATH=$SCRATCH/bin:$PATH
log "SLURM up: node $HOST, $NCPU CPUs, $MEM_MB MB, ports $CTLD_PORT/$SLURMD_PORT"

# ---- 3. the two runs, each in a fresh copy of the working tree
copy_repo() {
    mkdir -p "$1"
    tar -C "$ROOT" --exclude=./.git --exclude=./.venv --exclude=./results --exclude=./.snakemake \
        --exclude='*/__pycache__' --exclude=./.pytest_cache --exclude=./.ruff_cache \
        --exclude='*.egg-info' -cf - . | tar -C "$1" -xf -
    mkdir -p "$1/results"
}
copy_repo "$SCRATCH/slurm"
if [ -n "${SLURM_SMOKE_REFERENCE:-}" ]; then
    # debugging aid: compare with the results/smoke tree of an earlier local run; no time ratio
    reference=$SLURM_SMOKE_REFERENCE
    local_s=
    log "reference: $reference (no local run, no time ratio)"
else
    copy_repo "$SCRATCH/local"
    reference=$SCRATCH/local/results/smoke
    log "local smoke run (--cores $NCPU)"
    start=$(date +%s.%N)
    run_in "$SCRATCH/local" "$SNAKEMAKE" --configfile config/smoke.yaml --cores "$NCPU" \
        >"$SCRATCH/log/local_run.log" 2>&1 || {
        tail -n 40 "$SCRATCH/log/local_run.log"
        die "local smoke run failed"
    }
    local_s=$(echo "$(date +%s.%N) - $start" | bc)
    log "local run: ${local_s} s"
fi

log "SLURM smoke run (workflow/profiles/slurm)"
start=$(date +%s.%N)
run_in "$SCRATCH/slurm" "$SNAKEMAKE" --workflow-profile workflow/profiles/slurm \
    --configfile config/smoke.yaml --local-cores "$NCPU" --slurm-no-account \
    >"$SCRATCH/log/slurm_run.log" 2>&1 || {
    tail -n 60 "$SCRATCH/log/slurm_run.log"
    die "SLURM smoke run failed"
}
slurm_s=$(echo "$(date +%s.%N) - $start" | bc)
log "SLURM run: ${slurm_s} s"

# ---- 4. proof that the compute jobs went through the scheduler
mapfile -t job_ids < <(grep -oE 'submitted with SLURM jobid [0-9]+' "$SCRATCH/log/slurm_run.log" |
    awk '{print $NF}' | sort -un)
((${#job_ids[@]} > 0)) || die "Snakemake submitted no SLURM job"
for id in "${job_ids[@]}"; do
    grep -qE "JobId=$id .*JobState=COMPLETED .*WorkDir=$SCRATCH/slurm " "$SCRATCH/log/jobcomp.txt" ||
        die "SLURM job $id is not COMPLETED in this run's folder in the job-completion log"
    grep -qE "Launching batch job $id( |$)" "$SCRATCH/log/slurmd.log" ||
        die "slurmd never launched SLURM job $id"
done
n_local=$(grep -cE '^\s*localrule ' "$SCRATCH/log/slurm_run.log" || true)
n_remote=$(grep -cE '^\s*rule ' "$SCRATCH/log/slurm_run.log" || true)
((n_remote > 0)) || die "no compute rule ran as a SLURM job"
log "${#job_ids[@]} SLURM jobs (all COMPLETED, launched by slurmd) ran $n_remote compute jobs;" \
    "$n_local cheap jobs ran locally"

# ---- 5. byte-for-byte comparison
"$PYTHON" "$ROOT/tests/slurm/compare_results.py" \
    "$reference" "$SCRATCH/slurm/results/smoke" || die "outputs differ"

# ---- 6. time
[ -n "$local_s" ] || { log "PASS (SLURM run ${slurm_s} s; time not compared)"; exit 0; }
# On one 2-CPU node a group job runs its members one after another, each starting Snakemake (about
# 1.5 s): a fixed cost that the ratio shows more the faster the local run is.
ratio=$(echo "scale=2; $slurm_s / $local_s" | bc)
log "local ${local_s} s, SLURM ${slurm_s} s: ratio ${ratio}"
if [ -n "$MAX_RATIO" ]; then
    [ "$(echo "$ratio <= $MAX_RATIO" | bc)" = 1 ] || die "the SLURM run took more than ${MAX_RATIO}x"
fi
log "PASS"
