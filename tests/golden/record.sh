#!/usr/bin/env bash
# Records the golden outputs of cases.txt with the cotdyn binary given: bash record.sh BUILD/cotdyn
set -euo pipefail
# A case that fails stops the recording with its message.
cotdyn=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name rtol arguments files; do
  name=$(echo $name)
  arguments=${arguments//SOURCE/$source_dir}
  eval "\"$cotdyn\" $arguments --out \"$scratch/$name\"" > "$scratch/$name.log" 2>&1 || { cat "$scratch/$name.log"; exit 1; }
  mkdir -p "$here/$name"
  for f in $files; do cp "$scratch/$name/$f" "$here/$name/$f"; done
  echo "recorded $name: $files"
done
