// The seam's vfio node cases on disk: a character device gets the real
// ioctls, a regular file is a recorded answer, a missing node a reason.
#include "hostprobe/iommufd_query.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "hostprobe/host_tree.h"
#include "tests/test_paths.h"

namespace smmu {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCdev = "dev/vfio/devices/vfio0";

TEST(HwInfoFailure, SaysWhatToDo) {
  const std::string dev = "/dev/vfio/devices/vfio3";
  EXPECT_EQ(hw_info_failure(HwInfoStep::OpenDevice, EACCES, dev),
            "permission denied opening /dev/vfio/devices/vfio3 (run as root)");
  EXPECT_EQ(hw_info_failure(HwInfoStep::OpenDevice, ENOENT, dev),
            "no vfio device at /dev/vfio/devices/vfio3 (bind the device to vfio-pci)");
  EXPECT_EQ(hw_info_failure(HwInfoStep::OpenIommu, ENOENT, dev),
            "no /dev/iommu: this kernel has no iommufd (CONFIG_IOMMUFD, module iommufd)");
  EXPECT_EQ(hw_info_failure(HwInfoStep::OpenIommu, EACCES, dev),
            "permission denied opening /dev/iommu (run as root)");
  EXPECT_NE(hw_info_failure(HwInfoStep::Bind, ENOTTY, dev).find("too old"), std::string::npos);
  EXPECT_NE(hw_info_failure(HwInfoStep::Bind, EBUSY, dev).find("in use"), std::string::npos);
  EXPECT_EQ(hw_info_failure(HwInfoStep::Bind, EPERM, dev),
            "/dev/vfio/devices/vfio3 cannot bind to iommufd: Operation not permitted (a host driver uses "
            "another device of its IOMMU group; bind the whole group to vfio-pci)");
  EXPECT_NE(hw_info_failure(HwInfoStep::GetHwInfo, ENOTTY, dev).find("Linux >= 6.13"),
            std::string::npos);
  for (auto step : {HwInfoStep::OpenDevice, HwInfoStep::OpenIommu, HwInfoStep::Bind,
                    HwInfoStep::GetHwInfo}) {
    EXPECT_EQ(hw_info_failure(step, EIO, dev).find('\n'), std::string::npos);
  }
}

class DiskHwInfo : public ::testing::Test {
 protected:
  std::string root = test::make_temp_dir();
  void file(const std::string& p, const std::string& data) {
    fs::create_directories(fs::path(root + "/" + p).parent_path());
    std::ofstream(root + "/" + p) << data;
  }
  // A character device node: /dev/null's numbers, which know no vfio ioctl.
  void null_device(const std::string& p) {
    fs::create_directories(fs::path(root + "/" + p).parent_path());
    if (::mknod((root + "/" + p).c_str(), S_IFCHR | 0600, makedev(1, 3)) != 0) {
      GTEST_SKIP() << "cannot make a device node here: " << std::strerror(errno);
    }
  }
  // device_nodes: the ioctl path, as on the live host.
  HwInfoAnswer ask(const std::string& path = kCdev) {
    auto tree = open_disk_tree(root, /*device_nodes=*/true);
    EXPECT_TRUE(tree.ok());
    auto a = (*tree)->iommu_hw_info(path);
    EXPECT_TRUE(a.ok()) << a.error().message;
    return a.ok() ? *a : HwInfoAnswer{};
  }
};

TEST_F(DiskHwInfo, RecordedFileIsReadAsTheAnswer) {
  file(kCdev, "type 2\nidr 3 0 0 0 0 5\niidr 0\naidr 1\n");
  HwInfoAnswer a = ask();
  ASSERT_TRUE(a.info) << a.unavailable;
  EXPECT_EQ(a.info->idr[0], 3u);
  EXPECT_EQ(a.info->aidr, 1u);
}

TEST_F(DiskHwInfo, MalformedRecordingIsAHostTreeError) {
  file(kCdev, "type 2\nidr 3\n");
  auto tree = open_disk_tree(root);
  auto a = (*tree)->iommu_hw_info(kCdev);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(a.error().message, root + "/" + kCdev + ": line 2: 'idr' takes 6 numbers");
}

TEST_F(DiskHwInfo, MissingNodeIsAReason) {
  HwInfoAnswer a = ask();
  EXPECT_FALSE(a.info);
  EXPECT_EQ(a.unavailable, "no vfio device at " + root + "/" + kCdev + " (bind the device to vfio-pci)");
}

TEST_F(DiskHwInfo, CharacterDeviceWithoutDevIommuIsAReason) {
  null_device(kCdev);
  if (IsSkipped()) return;
  HwInfoAnswer a = ask();
  EXPECT_FALSE(a.info);
  EXPECT_NE(a.unavailable.find("no /dev/iommu"), std::string::npos) << a.unavailable;
}

TEST_F(DiskHwInfo, CharacterDeviceGetsTheRealIoctls) {
  // /dev/null answers the bind ioctl with ENOTTY, as a kernel without
  // iommufd cdev support would: proof the ioctl ran, and its refusal is a
  // reason, not an error.
  null_device(kCdev);
  null_device("dev/iommu");
  if (IsSkipped()) return;
  HwInfoAnswer a = ask();
  EXPECT_FALSE(a.info);
  EXPECT_EQ(a.unavailable, root + "/" + kCdev +
                               " cannot bind to iommufd: the kernel is too old for SMMUv3 nesting "
                               "through iommufd (needs Linux >= 6.13)");
}

TEST_F(DiskHwInfo, ADeviceNodeInASavedTreeGetsNoIoctl) {
  null_device(kCdev);
  null_device("dev/iommu");
  if (IsSkipped()) return;
  auto tree = open_disk_tree(root);
  auto a = (*tree)->iommu_hw_info(kCdev);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().kind, ErrorKind::HostTree);
  EXPECT_EQ(a.error().message, root + "/" + kCdev +
                                   ": a device node in a saved tree; record its answer as a file "
                                   "(hw_info text) instead");
}

TEST_F(DiskHwInfo, DirectoryIsNeitherDeviceNorRecording) {
  fs::create_directories(root + "/" + kCdev);
  auto tree = open_disk_tree(root);
  auto a = (*tree)->iommu_hw_info(kCdev);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("neither a vfio character device"), std::string::npos);
}

}  // namespace
}  // namespace smmu
