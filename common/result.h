// Errors as values. Every layer below the CLI returns Result<T>; only the
// CLI turns an Error into a message line and an exit code (cli/exit_codes.h).
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace smmu {

// What went wrong, coarse enough to pick an exit code from.
enum class ErrorKind {
  Usage,     // the command line itself is wrong (malformed BDF, bad flag value)
  HostTree,  // the host (or saved tree) is missing, unreadable or inconsistent
  Request,   // the request names unknown, duplicate or non-assignable devices
  NoFit,     // the request is valid but no topology QEMU accepts can carry it
  PlanFile,  // a plan file is unreadable, malformed or inconsistent
  Output,    // writing the result failed
  GuestReport,  // what a guest reported is unreadable or malformed
  Mismatch,     // the guest differs from the plan
  Testbed,      // the rehearsal test bed is missing or the guest did not boot
  DomainXml,    // a libvirt domain is malformed, conflicts with the plan or needs a newer libvirt
  Libvirt,      // libvirt cannot be reached or failed
};

struct Error {
  ErrorKind kind;
  std::string message;  // one line, says what to change where it can
};

inline Error make_error(ErrorKind kind, std::string message) {
  return Error{kind, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}        // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {};
using Status = Result<Ok>;

}  // namespace smmu

// Propagate an error from an expression returning Result<...>.
#define SMMU_TRY(var, expr)                      \
  auto var##_result_ = (expr);                   \
  if (!var##_result_) return var##_result_.error(); \
  auto& var = var##_result_.value()

#define SMMU_CHECK(expr)                         \
  do {                                           \
    auto smmu_status_ = (expr);                  \
    if (!smmu_status_) return smmu_status_.error(); \
  } while (0)
