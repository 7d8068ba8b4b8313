"""nova-api validation of the flavor extra spec (entry point
nova.api.extra_spec_validators), so a typo is refused when the flavor is
written rather than when a guest is spawned."""
from nova.api.validation.extra_specs import base

from nova_smmu_plan import topology_request

EXTRA_SPEC_VALIDATORS = [
    base.ExtraSpecValidator(
        name=topology_request.EXTRA_SPEC,
        description=(
            'Give an aarch64 guest with PCI passthrough one virtual SMMUv3 '
            'per physical SMMU its devices sit behind (planned by smmu-plan; '
            'needs compute_driver = smmu_plan.SmmuPlanLibvirtDriver).'),
        value={'type': str, 'enum': list(topology_request.TOPOLOGIES)},
    ),
]


def register():
    return EXTRA_SPEC_VALIDATORS
