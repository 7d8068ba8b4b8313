# mirror.sh, sourced by testbed.sh and debian12-root.sh: mirror prints the
# Debian archive this machine's apt uses ($SMMU_TESTBED_MIRROR if set; deb822
# .sources first, then sources.list; never a -security suite).
mirror() {
  [ -n "${SMMU_TESTBED_MIRROR:-}" ] && { echo "$SMMU_TESTBED_MIRROR"; return; }
  cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '
    /^[ \t]*$/ { if (uri != "" && suites !~ /-security/) { print uri; exit } uri = suites = "" }
    $1 == "URIs:" { uri = $2 }  $1 == "Suites:" { $1 = ""; suites = $0 }
    END { if (uri != "" && suites !~ /-security/) print uri }' | head -1 | grep . && return
  sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) \([^ ]*\) .*/\2 \3/p' /etc/apt/sources.list 2>/dev/null |
    awk '$2 !~ /-security/ { print $1; exit }' | grep .
}
