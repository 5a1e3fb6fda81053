#!/usr/bin/env bash
# A sweep through a real single-node Slurm: starts munge and Slurm (slurmctld + slurmd, Debian's slurm-wlm) in a
# temporary directory on their own ports, plans a small sweep, submits `frontdoor sweep slurm`'s job array and
# dependent merge, waits for them, and checks that the merged results are byte-identical to the same plan run
# locally. Exit 77 (skipped, with the reason) where Slurm cannot be started here.
# Usage: slurm_sweep_test.sh FRONTDOOR_BINARY SOURCE_DIR
set -uo pipefail
frontdoor=$1 source=$2
skip() { echo "SKIPPED: $*"; exit 77; }
for tool in munged slurmctld slurmd sbatch squeue sinfo; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (scripts/install-deps.sh installs slurm-wlm and munge)"
done
[ "$(id -u)" -eq 0 ] || skip "starting slurmd needs root"
work=$(mktemp -d /tmp/frontdoor-slurm.XXXXXX)
chmod 755 "$work"
cleanup() {
  for pid in "$work/slurmctld.pid" "$work/slurmd.pid" "$work/munge/munged.pid"; do
    [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null
  done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log"
dd if=/dev/urandom bs=1 count=1024 of="$work/munge/munge.key" 2>/dev/null && chmod 400 "$work/munge/munge.key"
munged --key-file="$work/munge/munge.key" --socket="$work/munge/munge.socket" --pid-file="$work/munge/munged.pid" \
  --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" --force || skip "munged did not start"
host=$(hostname -s)
port=$((20000 + RANDOM % 20000))
cat > "$work/slurm.conf" <<CONF
ClusterName=frontdoor-test
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
PlugStackConfig=/dev/null
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -c -f "$SLURM_CONF" || skip "slurmctld did not start: $(tail -3 "$work/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" || skip "slurmd did not start: $(tail -3 "$work/log/slurmd.log" 2>/dev/null)"
for _ in $(seq 60); do
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %T 2>/dev/null | grep -q idle || skip "the Slurm node never became idle: $(tail -3 "$work/log/slurmd.log" 2>/dev/null)"

cd "$source"
plan=(scenarios/validation/mmc_front_door.toml --vary service.front_door.team.fte=8:10:3
      --vary sources.other.contacts_per_day=60:70:2 -r 2 --set simulation.years=2)
"$frontdoor" sweep plan "${plan[@]}" --out "$work/local" >/dev/null || { echo "FAIL: plan"; exit 1; }
"$frontdoor" sweep plan "${plan[@]}" --out "$work/slurm-sweep" >/dev/null || { echo "FAIL: plan"; exit 1; }
"$frontdoor" sweep exec -q -j 2 "$work/local" && "$frontdoor" sweep merge -q "$work/local" || { echo "FAIL: local sweep"; exit 1; }
"$frontdoor" sweep slurm "$work/slurm-sweep" --array-size 3 --time 00:05:00 >/dev/null || { echo "FAIL: sweep slurm"; exit 1; }
bash "$work/slurm-sweep/slurm/submit.sh" || { echo "FAIL: submitting to Slurm"; exit 1; }
for _ in $(seq 180); do
  [ -z "$(squeue -h 2>/dev/null)" ] && break
  sleep 1
done
if [ -n "$(squeue -h)" ]; then echo "FAIL: Slurm jobs still queued after 3 minutes:"; squeue; exit 1; fi
if ! cmp -s "$work/local/results.csv" "$work/slurm-sweep/results.csv"; then
  echo "FAIL: the merge through Slurm differs from the local one (or is missing)"
  ls "$work/slurm-sweep" "$work/slurm-sweep/slurm"; cat "$work/slurm-sweep/slurm/"*.log 2>/dev/null | tail -20
  exit 1
fi
echo "ok: 3 array tasks and a dependent merge through Slurm gave results.csv identical to the local sweep"
