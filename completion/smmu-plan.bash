# bash completion for smmu-plan (installed as
# /usr/share/bash-completion/completions/smmu-plan). Subcommands and options
# come from the binary's own --help, so they always match it; --device
# offers the assignable BDFs and --hotplug-smmu the SMMU names of the host
# (or of the --root given earlier on the line), from `smmu-plan probe --json`.

# The assignable devices' BDFs (the key "assignable" precedes "bdf" in each
# device object of probe --json: nlohmann's sorted keys) or the SMMU names.
_smmu_plan_probe() {
    local bin=$1 what=$2 root=$3
    local json
    json=$("$bin" probe --json ${root:+--root "$root"} 2>/dev/null) || return
    case $what in
        bdfs) printf '%s\n' "$json" | awk '
                /"assignable": true/ { a = 1 } /"assignable": false/ { a = 0 }
                a && /"bdf": / { gsub(/.*"bdf": "|",?$/, ""); print; a = 0 }' ;;
        smmus) printf '%s\n' "$json" | sed -n 's/^ *"name": "\(smmu3\.[^"]*\)",\{0,1\}$/\1/p' ;;
    esac
}

_smmu_plan() {
    local cur prev words cword
    _init_completion -n : || return
    local bin=${words[0]} sub="" root="" i
    [[ ${words[1]-} != -* ]] && ((cword > 1)) && sub=${words[1]}
    for ((i = 2; i < cword; i++)); do
        [[ ${words[i]} == --root ]] && root=${words[i + 1]-}
    done

    case $prev in
        --root | --testbed)
            _filedir -d
            return ;;
        --plan | --request | --domain-xml | -o | --output | --guest-* | --console-log)
            _filedir
            return ;;
        --section)
            # guest-report's section names, as its --help lists them.
            COMPREPLY=($(compgen -W "$("$bin" guest-report --help 2>/dev/null |
                sed -n 's/.*--section [A-Z]*:{\([^}]*\)}.*/\1/p' | tr , ' ')" -- "$cur"))
            return ;;
        --qemu)
            COMPREPLY=($(compgen -c -- "$cur"))
            _filedir
            return ;;
        --qemu-caps)
            COMPREPLY=($(compgen -W "10.2 11.0 11.1" -- "$cur"))
            _filedir json
            return ;;
        --device)
            COMPREPLY=($(compgen -W "$(_smmu_plan_probe "$bin" bdfs "$root")" -- "$cur"))
            __ltrim_colon_completions "$cur"
            return ;;
        --hotplug-smmu)
            COMPREPLY=($(compgen -W "$(_smmu_plan_probe "$bin" smmus "$root")" -- "$cur"))
            return ;;
        --select)
            COMPREPLY=($(compgen -W "vendor_device= class= smmu= numa_node=" -- "$cur"))
            compopt -o nospace
            return ;;
    esac

    if [[ -z $sub ]]; then
        local subs
        subs=$("$bin" --help 2>/dev/null | sed -n '/^Subcommands:/,$s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
        COMPREPLY=($(compgen -W "$subs --help --version" -- "$cur"))
    elif [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$bin" "$sub" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
    fi
} &&
    complete -F _smmu_plan smmu-plan
