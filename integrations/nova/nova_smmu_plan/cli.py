"""Runs the smmu-plan CLI: the planner and the libvirt XML are its, never ours."""
import json
import os
import tempfile

from nova import exception
from nova.i18n import _

from nova_smmu_plan import privileged


class SmmuPlanFailed(exception.NovaException):
    msg_fmt = _("%(message)s (smmu-plan %(command)s)")


def _checked(command, result):
    code, stdout, stderr = result
    if code != 0:
        # smmu-plan says what went wrong in one line on stderr.
        lines = stderr.strip().splitlines()
        message = lines[-1] if lines else 'exit %s' % code
        raise SmmuPlanFailed(command=command, message=message)
    return stdout


def plan_and_merge(conf, devices, pcie0_buses, numa_map, domain_xml):
    """Plans the devices (privileged) and merges the topology into domain_xml
    (unprivileged: `smmu-plan apply` only reads and writes our own files).

    Returns (plan, merged_xml): the plan JSON as a dict and the domain XML
    smmu-plan wrote.
    """
    plan_text = _checked('plan', privileged.plan(
        list(devices), pcie0_buses, dict(numa_map)))
    with tempfile.TemporaryDirectory(prefix='smmu-plan-') as tmp:
        plan_file = os.path.join(tmp, 'plan.json')
        domain_file = os.path.join(tmp, 'domain.xml')
        with open(plan_file, 'w') as f:
            f.write(plan_text)
        with open(domain_file, 'w') as f:
            f.write(domain_xml)
        argv = [conf.binary, 'apply', '--plan', plan_file, '--domain-xml',
                domain_file]
        if conf.libvirt_schemas:
            argv += ['--libvirt-schemas', conf.libvirt_schemas]
        _checked('apply', privileged.run(argv, conf.timeout))
        with open(domain_file) as f:
            merged = f.read()
    return json.loads(plan_text), merged
