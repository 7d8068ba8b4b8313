"""The [smmu_plan] section of nova.conf."""
from oslo_config import cfg

GROUP = cfg.OptGroup(
    'smmu_plan',
    title='smmu-plan',
    help='How the nova_smmu_plan compute driver runs the smmu-plan CLI.')

OPTS = [
    cfg.StrOpt('binary', default='smmu-plan',
               help='The smmu-plan executable (a path, or a name on PATH).'),
    cfg.StrOpt('host_root', default='/',
               help='Root of the host tree smmu-plan probes (sys/ and dev/). '
                    'Only tests and rehearsals point this elsewhere.'),
    cfg.IntOpt('pcie0_buses', default=0, min=0, max=254,
               help='PCI buses kept for pcie.0 root ports (nova\'s and the '
                    'ones libvirt adds for emulated devices). 0 picks one '
                    'from the guest: at least 16, and at least one per '
                    'device or controller nova put in the guest.'),
    cfg.StrOpt('libvirt_schemas', default='',
               help='libvirt RelaxNG schema directory smmu-plan checks the '
                    'guest XML against; empty: the installed libvirt\'s.'),
    cfg.IntOpt('timeout', default=60, min=1,
               help='Seconds one smmu-plan run may take.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return {GROUP: OPTS}
