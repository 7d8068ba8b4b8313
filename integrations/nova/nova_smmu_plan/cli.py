"""Runs the smmu-plan CLI: the planner and the libvirt XML are its, never ours."""
import json
import os
import tempfile

from nova import exception
from nova.i18n import _

from nova_smmu_plan import privileged


class SmmuPlanFailed(exception.NovaException):
    msg_fmt = _("%(message)s (smmu-plan %(command)s)")


class SmmuPlanCli(object):
    """One smmu-plan executable and the options every run shares."""

    def __init__(self, binary, host_root, libvirt_schemas, timeout):
        self.binary = binary
        self.host_root = host_root
        self.libvirt_schemas = libvirt_schemas
        self.timeout = timeout

    def _run(self, command, args):
        code, stdout, stderr = privileged.run(
            [self.binary, command] + args, self.timeout)
        if code != 0:
            # smmu-plan says what went wrong in one line on stderr.
            lines = stderr.strip().splitlines()
            message = lines[-1] if lines else 'exit %s' % code
            raise SmmuPlanFailed(command=command, message=message)
        return stdout

    def plan_and_merge(self, devices, pcie0_buses, numa_map, domain_xml):
        """Plans the devices and merges the topology into domain_xml.

        Returns (plan, merged_xml): the plan JSON as a dict and the domain
        XML smmu-plan wrote.
        """
        with tempfile.TemporaryDirectory(prefix='smmu-plan-') as tmp:
            plan_file = os.path.join(tmp, 'plan.json')
            domain_file = os.path.join(tmp, 'domain.xml')
            args = ['--root', self.host_root, '--pcie0-buses',
                    str(pcie0_buses), '-o', plan_file]
            for bdf in devices:
                args += ['--device', bdf]
            if numa_map:
                args += ['--numa-map', ','.join(
                    '%d:%d' % pair for pair in sorted(numa_map.items()))]
            self._run('plan', args)
            with open(domain_file, 'w') as f:
                f.write(domain_xml)
            args = ['--plan', plan_file, '--domain-xml', domain_file]
            if self.libvirt_schemas:
                args += ['--libvirt-schemas', self.libvirt_schemas]
            self._run('apply', args)
            with open(plan_file) as f:
                plan = json.load(f)
            with open(domain_file) as f:
                merged = f.read()
        return plan, merged
