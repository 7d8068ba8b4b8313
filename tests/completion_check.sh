#!/bin/bash
# completion_check.sh SMMU_PLAN: the bash completion (completion/smmu-plan.bash)
# completes subcommands, options, assignable BDFs and SMMU names as bash
# would call it (bash-completion's helpers loaded, ':' a word break).
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/.." && pwd)
host=$src/examples/hosts/grace-gh200
fail() { echo "FAIL completion: $*"; exit 1; }
# shellcheck disable=SC1091
. /usr/share/bash-completion/bash_completion || fail "no bash-completion"
# shellcheck source=../completion/smmu-plan.bash
. "$src/completion/smmu-plan.bash"
[ "$(complete -p smmu-plan)" = "complete -F _smmu_plan smmu-plan" ] || fail "not registered"

# The completions of LINE (completing its last word), one per line, sorted.
complete_line() {
    local line="$bin ${1#smmu-plan }" w
    COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=()
    # bash splits at blanks, and at ':' into words of their own.
    read -ra parts <<<"$line"
    [[ $line == *" " ]] && parts+=("")
    for w in "${parts[@]}"; do
        while [[ $w == *:* ]]; do COMP_WORDS+=("${w%%:*}" ":"); w=${w#*:}; done
        COMP_WORDS+=("$w")
    done
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _smmu_plan smmu-plan "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() {
    local got
    got=$(complete_line "$1" | paste -sd' ')
    [ "$got" = "$2" ] || fail "'$1' gave '$got', not '$2'"
}

expect "smmu-plan q" "qemu-args qemu-caps"
expect "smmu-plan libvirt-" "libvirt-hook libvirt-xml"
expect "smmu-plan plan --hotplug-" "--hotplug-ports --hotplug-pref64-reserve --hotplug-smmu"
expect "smmu-plan iort --plan x --s" "--stand-ins"
expect "smmu-plan guest-report --console-log x --s" "--section"
expect "smmu-plan guest-report --section S" "SMMU-MAP SRAT"
# Every subcommand --help lists is offered.
subs=$("$bin" --help | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z0-9-]*\) .*/\1/p' | sort | paste -sd' ')
expect "smmu-plan " "--help --version $subs"
# The assignable devices of the host named by --root, and its SMMUs.
bdfs=$("$bin" probe --json --root "$host" | python3 -c '
import json, sys
print(" ".join(sorted(d["bdf"] for d in json.load(sys.stdin)["devices"] if d["assignable"])))')
[ -n "$bdfs" ] || fail "the example host has no assignable device"
expect "smmu-plan plan --root $host --device " "$bdfs"
# Past a ':', bash replaces only what follows it.
first=${bdfs%% *} domain=${first%%:*}
want=$(for b in $bdfs; do case $b in "$domain":*) echo "${b#"$domain":}" ;; esac; done | sort | paste -sd' ')
expect "smmu-plan plan --root $host --device $domain:" "$want"
smmus=$("$bin" probe --json --root "$host" | python3 -c '
import json, sys
print(" ".join(sorted(s["name"] for s in json.load(sys.stdin)["smmus"])))')
expect "smmu-plan plan --root $host --hotplug-smmu " "$smmus"
expect "smmu-plan plan --qemu-caps 11" "11.0 11.1"
echo "completion: subcommands, options, $(echo $bdfs | wc -w) BDFs and $(echo $smmus | wc -w) SMMUs complete"
