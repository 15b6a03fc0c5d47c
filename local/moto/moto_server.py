"""moto server with SageMaker user profiles filled in, for local runs and tests only.

moto 5.2.1 has no user profiles and no UpdateDomain (they answer HTTP 500 NotImplemented). This launcher
adds them to moto's own SageMaker backend, in moto's process, before starting moto's server. State lives
in the backend, so it lasts as long as the server (two runs against one endpoint see each other's profiles)
and POST /moto-api/reset empties it like the rest of moto. Product code never knows.

Each behaviour follows the SageMaker API reference, cited next to it as API_<Operation>:
https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_<Operation>.html

Usage: python3 local/moto/moto_server.py -H 127.0.0.1 -p PORT   (the same arguments as moto.server)
"""

import sys

from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter


def _profiles(backend):
    # Created on first use: moto's reset rebuilds the backend's __dict__, which empties this too.
    if "user_profiles" not in backend.__dict__:
        backend.user_profiles = {}  # (domain id, profile name) -> profile
    return backend.user_profiles


def _profile(backend, domain_id, name):
    profile = _profiles(backend).get((domain_id, name))
    if profile is None:
        # API_DescribeUserProfile, API_DeleteUserProfile: errors ResourceNotFound ("Resource being access is not found.")
        raise ResourceNotFound(message=f"User profile {name} does not exist in domain {domain_id}")
    return profile


def _by_arn(backend, arn):
    """The profile an ARN names: arn:aws:sagemaker:<region>:<account>:user-profile/<domain id>/<name>."""
    resource = arn.split(":", 5)[-1]
    _, domain_id, name = resource.split("/", 2)
    return _profile(backend, domain_id, name)


def create_user_profile(self):
    backend = self.sagemaker_backend
    domain_id = self._get_param("DomainId")
    name = self._get_param("UserProfileName")
    if domain_id not in backend.domains:
        # Not in the reference's error list; moto's own domain calls say ValidationException for an unknown domain.
        raise ValidationError(message=f"Could not find domain '{domain_id}'.")
    if (domain_id, name) in _profiles(backend):
        # API_CreateUserProfile: ResourceInUse, "Resource being accessed is in use"; names are unique per domain.
        raise ResourceInUseException(message=f"User profile {name} already exists in domain {domain_id}")
    now = utcnow()
    arn = arn_formatter("user-profile", f"{domain_id}/{name}", self.current_account, self.region)
    _profiles(backend)[(domain_id, name)] = {
        "DomainId": domain_id, "UserProfileArn": arn, "UserProfileName": name,
        # API_UserProfileDetails: Status one of Deleting | Failed | InService | Pending | Updating | ...
        # (AWS passes through Pending; this fill is at once InService, as moto's domains are.)
        "Status": "InService", "CreationTime": now, "LastModifiedTime": now,
        # API_CreateUserProfile: UserSettings left out means the domain's DefaultUserSettings apply.
        "UserSettings": self._get_param("UserSettings"),
        "Tags": list(self._get_param("Tags") or []),
    }
    return ActionResult({"UserProfileArn": arn})


def describe_user_profile(self):
    profile = _profile(self.sagemaker_backend, self._get_param("DomainId"), self._get_param("UserProfileName"))
    return ActionResult({k: v for k, v in profile.items() if k != "Tags" and v is not None})


def list_user_profiles(self):
    # API_ListUserProfiles: filters DomainIdEquals and UserProfileNameContains; one page here (NextToken unused).
    domain_id = self._get_param("DomainIdEquals")
    contains = self._get_param("UserProfileNameContains")
    summaries = [
        {k: p[k] for k in ("DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime")}
        for (d, name), p in sorted(_profiles(self.sagemaker_backend).items())
        if (domain_id is None or d == domain_id) and (contains is None or contains in name)
    ]
    return ActionResult({"UserProfiles": summaries})


def delete_user_profile(self):
    backend = self.sagemaker_backend
    profile = _profile(backend, self._get_param("DomainId"), self._get_param("UserProfileName"))
    # API_DeleteUserProfile: the profile's apps and private spaces must be deleted first. This fill has no apps or
    # spaces, so there is nothing to refuse for. AWS deletes asynchronously (Deleting); this fill at once.
    del _profiles(backend)[(profile["DomainId"], profile["UserProfileName"])]
    return EmptyResult()


_moto_delete_domain = SageMakerResponse.delete_domain


def delete_domain(self):
    domain_id = self._get_param("DomainId")
    if any(d == domain_id for d, _ in _profiles(self.sagemaker_backend)):
        # API_DeleteDomain: ResourceInUse while the domain still has user profiles (they must be deleted first).
        raise ResourceInUseException(message=f"Domain {domain_id} still has user profiles; delete them first")
    return _moto_delete_domain(self)


def update_domain(self):
    backend = self.sagemaker_backend
    domain_id = self._get_param("DomainId")
    if domain_id not in backend.domains:
        raise ValidationError(message=f"Could not find domain '{domain_id}'.")
    domain = backend.domains[domain_id]
    # API_UpdateDomain: DefaultUserSettings given replace those fields; fields not given stay as they were.
    settings = dict(domain.default_user_settings or {})
    settings.update(self._get_param("DefaultUserSettings") or {})
    domain.default_user_settings = settings
    domain.last_modified_time = utcnow()
    return ActionResult({"DomainArn": domain.arn})


_moto_get_resource_from_arn = SageMakerModelBackend._get_resource_from_arn


class _TaggedProfile:
    """Gives moto's AddTags/ListTags/DeleteTags (API_AddTags, API_ListTags, API_DeleteTags) a profile's tags."""

    def __init__(self, profile):
        self.profile = profile

    @property
    def tags(self):
        return self.profile["Tags"]

    @tags.setter
    def tags(self, value):
        self.profile["Tags"] = value


def _get_resource_from_arn(self, arn):
    if ":user-profile/" in arn:
        return _TaggedProfile(_by_arn(self, arn))
    return _moto_get_resource_from_arn(self, arn)


def install():
    for operation in (create_user_profile, describe_user_profile, list_user_profiles, delete_user_profile,
                      delete_domain, update_domain):
        setattr(SageMakerResponse, operation.__name__, operation)
    SageMakerModelBackend._get_resource_from_arn = _get_resource_from_arn


if __name__ == "__main__":
    install()
    from moto.server import main

    main(sys.argv[1:])
