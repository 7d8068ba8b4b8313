"""smmu-plan runs with nova's privileges for host probing (nova's privsep
daemon): reading the host IORT (root-only) and asking iommufd for the SMMUs'
registers need them, and nova-compute itself does not run as root.

The module name starts with "nova", as nova's privsep context requires of its
entry points.
"""
import subprocess

import nova.privsep


@nova.privsep.sys_admin_pctxt.entrypoint
def run(argv, timeout):
    """(exit code or None, stdout, stderr) of argv; never raises."""
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return None, '', str(e)
    return done.returncode, done.stdout, done.stderr
