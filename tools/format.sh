#!/usr/bin/env bash
# The user-space C of the tree (every tracked *.c and *.h outside driver/, which follows
# checkpatch.pl instead) must be exactly what clang-format-14, Debian 12's version, makes of
# it with the repository's .clang-format. Lists each file that differs with the diff, and
# ends with "format: N passed, N failed". Also refuses relative includes in lib/
# ("../knobs/knob.h" would step around the layers' include directories).
#
#   tools/format.sh          check (the `format` suite of tools/check.sh)
#   tools/format.sh --fix    rewrite the files in place
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
cf=${CLANG_FORMAT:-clang-format-14}
fix=false
[ "${1:-}" = --fix ] && fix=true

if ! command -v "$cf" >/dev/null; then
	echo "format: $cf not found (apt-get install clang-format-14)"
	echo "format: 0 passed, 1 failed"
	exit 1
fi

mapfile -t files < <(git ls-files -- '*.c' '*.h' ':!:driver/*' | sort)
passed=0
failed=0
for f in "${files[@]}"; do
	if $fix; then
		"$cf" -i --style=file "$f"
	fi
	if out=$(diff -u --label "$f" --label "$f (clang-format)" "$f" <("$cf" --style=file "$f")); then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "format: $f differs from $cf:"
		echo "$out" | head -n 40
	fi
done
if rel=$(git grep -n '#include "\.\./' -- lib); then
	echo "format: relative includes in lib/ step around the layers:"
	echo "$rel"
	failed=$((failed + 1))
fi
echo "format: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
