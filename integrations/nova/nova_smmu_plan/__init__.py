"""smmu-plan for OpenStack nova: one vSMMU per physical SMMU for aarch64 guests.

Set ``[DEFAULT] compute_driver = nova_smmu_plan.driver.SmmuPlanLibvirtDriver``
on a compute node; flavors ask for the topology with the extra spec
``smmu_plan:topology=per_host_smmu``. The planning is done by the smmu-plan
CLI; this package only carries nova's request to it and its answer back into
nova's guest configuration.
"""
