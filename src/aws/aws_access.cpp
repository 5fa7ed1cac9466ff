#include "aws/aws_access.h"

namespace sre::aws {

core::Parsed<AwsAccess> load_access(const AwsOptions& options) {
  auto credentials = load_credentials(options);
  if (auto* refusal = std::get_if<std::string>(&credentials)) {
    return std::move(*refusal);
  }
  AwsAccess access{std::move(std::get<Credentials>(credentials)), nullptr};
  if (options.uses_tls()) {
    auto tls = http::make_tls_client_context(options.ca_bundle);
    if (auto* refusal = std::get_if<std::string>(&tls)) {
      return "cannot set up TLS for AWS: " + *refusal;
    }
    access.tls = std::move(std::get<http::TlsContext>(tls));
  }
  return access;
}

ServiceAddress service_address(const AwsOptions& options, const AwsAccess& access,
                               std::string_view service) {
  return {options.endpoint_of(service), access.credentials, options.region, options.timeout,
          access.tls};
}

}  // namespace sre::aws
