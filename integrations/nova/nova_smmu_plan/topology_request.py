"""Whether an instance asks for one vSMMU per host SMMU, and how."""
from nova import exception
from nova.i18n import _

EXTRA_SPEC = 'smmu_plan:topology'
IMAGE_PROPERTY = 'smmu_plan_topology'
PER_HOST_SMMU = 'per_host_smmu'
TOPOLOGIES = ('none', PER_HOST_SMMU)


def requested_topology(instance):
    """'per_host_smmu' or 'none', from the flavor or the image."""
    flavor = instance.flavor.extra_specs.get(EXTRA_SPEC)
    # nova keeps every image property in system metadata as image_<name>.
    image = (instance.system_metadata or {}).get('image_' + IMAGE_PROPERTY)
    for source, value in ((EXTRA_SPEC, flavor), (IMAGE_PROPERTY, image)):
        if value is not None and value not in TOPOLOGIES:
            raise exception.Invalid(
                _("%(key)s=%(value)s: expected one of %(known)s") %
                {'key': source, 'value': value, 'known': ', '.join(TOPOLOGIES)})
    if flavor is not None and image is not None and flavor != image:
        raise exception.FlavorImageConflict(
            _("flavor %(key)s=%(flavor)s conflicts with image "
              "%(prop)s=%(image)s") %
            {'key': EXTRA_SPEC, 'flavor': flavor, 'prop': IMAGE_PROPERTY,
             'image': image})
    return flavor or image or 'none'
