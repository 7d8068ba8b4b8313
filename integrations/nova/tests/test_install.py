"""The install script's hooks work the way nova loads plugins."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
INSTALL = os.path.join(HERE, '..', 'install')


def check_loads(test, site):
    """nova, in a fresh interpreter that sees the files installed in `site`
    the way the real site directory would, loads the compute driver by its
    configured name and validates the flavor extra spec through the entry
    point (nova.virt gains the shim's folder)."""
    probe = textwrap.dedent('''
        import sys
        sys.path.insert(0, %(site)r)
        import nova.virt
        nova.virt.__path__.insert(0, %(site)r + '/nova/virt')
        from nova.tests.fixtures import libvirt as fakelibvirt
        sys.modules['libvirt'] = fakelibvirt  # no python3-libvirt here
        from nova.virt import driver
        from nova.virt import fake
        from nova_smmu_plan.driver import SmmuPlanLibvirtDriver
        assert SmmuPlanLibvirtDriver.__module__ == 'nova_smmu_plan.driver'
        assert sys.modules['nova_smmu_plan'].__file__.startswith(%(site)r)
        d = driver.load_compute_driver(
            fake.FakeVirtAPI(), 'smmu_plan.SmmuPlanLibvirtDriver')
        assert type(d) is SmmuPlanLibvirtDriver, type(d)
        from nova.api.validation.extra_specs import validators
        from nova import exception
        validators.validate('smmu_plan:topology', 'per_host_smmu')
        try:
            validators.validate('smmu_plan:topology', 'per_smmu')
        except exception.ValidationError as e:
            print('refused:', e)
        try:
            validators.validate('smmu_plan:topo', 'per_host_smmu')
        except exception.ValidationError as e:
            print('refused:', e)
    ''') % {'site': site}
    run = subprocess.run([sys.executable, '-c', probe],
                         capture_output=True, text=True)
    test.assertEqual(0, run.returncode, run.stderr[-2000:])
    test.assertEqual(2, run.stdout.count('refused:'), run.stdout)


class TestInstall(unittest.TestCase):

    def test_compute_driver_and_extra_spec_validator_load(self):
        with tempfile.TemporaryDirectory() as dest:
            subprocess.run([INSTALL], env=dict(os.environ, DESTDIR=dest),
                           check=True, capture_output=True)
            import nova
            check_loads(self, dest + os.path.dirname(
                os.path.dirname(nova.__file__)))

    # The Debian package python3-nova-smmu-plan (tests/e2e/package.sh names
    # it): its entry points come from pyproject.toml through pybuild.
    @unittest.skipUnless(os.environ.get('SMMU_NOVA_DEB'),
                         'SMMU_NOVA_DEB names no package')
    def test_debian_package_loads(self):
        with tempfile.TemporaryDirectory() as dest:
            subprocess.run(['dpkg-deb', '-x', os.environ['SMMU_NOVA_DEB'],
                            dest], check=True, capture_output=True)
            check_loads(self, dest + '/usr/lib/python3/dist-packages')
