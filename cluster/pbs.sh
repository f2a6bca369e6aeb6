#!/usr/bin/env bash
# Distributed IQP training under PBS/Torque (or PBS Pro): one MPI rank per core, one BLAS
# thread per rank.
#
#   qsub -v IQP_ARGS="--data data.csv --gates local:2 --steps 2000 --seed 1 --out {run}/model.json" cluster/pbs.sh
#
# qsub passes no arguments to a script, so `iqp train`'s arguments come in IQP_ARGS (split on
# spaces); `{run}` becomes this job's output folder $PBS_O_WORKDIR/runs/$PBS_JOBID. As in
# cluster/slurm.sbatch: a checkpoint every $IQP_CHECKPOINT_EVERY steps (default 50), the
# phase timings, resume from that checkpoint when the job is rerun, IQP_RESUME=FILE to
# resume another job's run, IQP_STEP_TIMEOUT=SECONDS for the step watchdog.
# Edit the #PBS lines and the module line for your cluster; see cluster/README.md.
#
#PBS -N iqp-train
#PBS -l nodes=2:ppn=32
#PBS -l walltime=04:00:00
#PBS -j oe
#PBS -r y
##PBS -q compute
##PBS -A myproject

set -euo pipefail

module load openmpi

export OPENBLAS_NUM_THREADS=1   # ranks are the parallelism; BLAS threads would oversubscribe
export OMP_NUM_THREADS=1

work_dir="${PBS_O_WORKDIR:?submit this script with qsub}"
run_dir="$work_dir/runs/${PBS_JOBID:?submit this script with qsub}"
iqp_bin="${IQP_BIN:-$work_dir/.build/release/iqp}"
checkpoint="$run_dir/checkpoint.json"
mkdir -p "$run_dir"
cd "$work_dir"

read -r -a given <<<"${IQP_ARGS:-}"
arguments=()
for argument in "${given[@]}"; do
    arguments+=("${argument//\{run\}/$run_dir}")
done
arguments+=(--checkpoint "$checkpoint" --checkpoint-every "${IQP_CHECKPOINT_EVERY:-50}")
arguments+=(--timings "$run_dir/timings.csv")
if [[ -n "${IQP_STEP_TIMEOUT:-}" ]]; then
    arguments+=(--step-timeout "$IQP_STEP_TIMEOUT")
fi
if [[ -n "${IQP_RESUME:-}" ]]; then
    arguments+=(--resume "$IQP_RESUME")
elif [[ -f "$checkpoint" ]]; then
    echo "iqp: resuming from $checkpoint" >&2
    arguments+=(--resume "$checkpoint")
fi

# $PBS_NODEFILE lists each node once per core granted (ppn): one rank per line. An Open MPI
# built with PBS (tm) support reads the allocation itself; the hostfile works either way.
ranks="$(wc -l < "$PBS_NODEFILE")"
# iqp's root writes $IQP_STOP_MARKER when SIGTERM stopped it with the checkpoint written; mpirun,
# signalled too, may report a status of its own (1), so the marker makes the status 75.
export IQP_STOP_MARKER="$run_dir/.stopped-on-request"
rm -f "$IQP_STOP_MARKER"
status=0
mpirun --hostfile "$PBS_NODEFILE" -np "$ranks" --bind-to core --map-by core \
    -x OPENBLAS_NUM_THREADS=1 -x OMP_NUM_THREADS=1 -x IQP_STOP_MARKER "$iqp_bin" train "${arguments[@]}" || status=$?
if (( status != 0 )) && [[ -f "$IQP_STOP_MARKER" ]]; then
    status=75
fi
rm -f "$IQP_STOP_MARKER"
exit "$status"
