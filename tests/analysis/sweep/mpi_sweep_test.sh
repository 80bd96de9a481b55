#!/bin/bash
# `cotdyn sweep --mpi` under `mpirun -np 2` on one machine: rank 0 gathers every point, and its
# points.csv equals a single-process run's. Arguments: COTDYN_BINARY MPIEXEC SCRATCH_DIR
set -euo pipefail
cotdyn=$1 mpiexec=$2 dir=$3
rm -rf "$dir" && mkdir -p "$dir"
cat > "$dir/sweep.toml" <<'TOML'
kind = "theory"
[axes]
"train.eta_A" = { log = [1, 4, 4] }
"model.sigma2" = { values = [0.01, 0.1, 0.03] }
TOML
"$mpiexec" -np 2 "$cotdyn" sweep "$dir/sweep.toml" --mpi --set train.t_max=60 --no-plots --out "$dir/mpi" > "$dir/mpi.log" 2>&1 \
  || { cat "$dir/mpi.log"; exit 1; }
"$cotdyn" sweep "$dir/sweep.toml" --set train.t_max=60 --no-plots --out "$dir/single" > "$dir/single.log"
grep -q "over 2 MPI ranks" "$dir/mpi.log" || { echo "not run over 2 ranks:"; cat "$dir/mpi.log"; exit 1; }
test "$(ls "$dir/mpi/points" | wc -l)" = 12 || { echo "expected 12 chunk files (one point each)"; ls "$dir/mpi/points"; exit 1; }
cmp "$dir/mpi/points.csv" "$dir/single/points.csv" || { echo "points.csv differ"; diff "$dir/mpi/points.csv" "$dir/single/points.csv" | head; exit 1; }
echo "mpirun -np 2: 12 points gathered on rank 0, points.csv equals the single-process run"
rm -rf "$dir"
