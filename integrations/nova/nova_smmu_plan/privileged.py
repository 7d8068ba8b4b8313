"""The one smmu-plan run that needs privileges: `plan`, whose host probe
reads root-only files (the host IORT) and asks iommufd for the SMMUs'
registers. It runs in nova's privsep daemon (nova-compute itself does not run
as root). The daemon builds the command line itself, from its own nova.conf
and checked values, so the unprivileged side cannot make it run anything
else or write anywhere.

The module name starts with "nova", as nova's privsep context requires of its
entry points.
"""
import re
import subprocess

import nova.conf
import nova.privsep

from nova_smmu_plan import conf as smmu_conf

CONF = nova.conf.CONF
smmu_conf.register_opts(CONF)
_BDF = re.compile(r'[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]')


def plan_argv(devices, pcie0_buses, numa_map):
    """`smmu-plan plan --json ...` for these devices, or ValueError."""
    if not all(isinstance(d, str) and _BDF.fullmatch(d) for d in devices):
        raise ValueError('not PCI addresses: %r' % (devices,))
    if not isinstance(pcie0_buses, int) or not 0 <= pcie0_buses <= 254:
        raise ValueError('pcie0_buses %r out of range' % (pcie0_buses,))
    argv = [CONF.smmu_plan.binary, 'plan', '--json', '--root',
            CONF.smmu_plan.host_root, '--pcie0-buses', str(pcie0_buses)]
    for bdf in devices:
        argv += ['--device', bdf]
    if numa_map:
        argv += ['--numa-map', ','.join(
            '%d:%d' % (int(h), int(g)) for h, g in sorted(numa_map.items()))]
    return argv


def run(argv, timeout):
    """(exit code or None, stdout, stderr) of argv; never raises."""
    try:
        done = subprocess.run(argv, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        return None, '', str(e)
    return done.returncode, done.stdout, done.stderr


@nova.privsep.sys_admin_pctxt.entrypoint
def plan(devices, pcie0_buses, numa_map):
    """(exit code, plan JSON text, stderr) of smmu-plan plan, run as root."""
    return run(plan_argv(devices, pcie0_buses, numa_map),
               CONF.smmu_plan.timeout)
