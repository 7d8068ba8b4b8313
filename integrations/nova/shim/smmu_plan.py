"""compute_driver = smmu_plan.SmmuPlanLibvirtDriver.

nova imports compute drivers from the nova.virt package only; this module,
installed as nova/virt/smmu_plan.py (by the Debian package
python3-nova-smmu-plan or integrations/nova/install), makes the driver of
nova_smmu_plan one of them.
"""
from nova_smmu_plan.driver import SmmuPlanLibvirtDriver  # noqa: F401
