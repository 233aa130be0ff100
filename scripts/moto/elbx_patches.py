"""elbx's fidelity patches for moto's Classic Load Balancer (ELB 2012-06-01) models.

Each patch corrects one way moto differs from what AWS documents, names the AWS page it follows,
and says what a client sees without it (the launcher prints those lines when it runs moto
unpatched). The patches wrap moto's own model and response methods in moto's process: there is
no proxy, and everything moto does not get wrong stays moto's.

The SSL negotiation data (predefined policies, SSLNegotiationPolicyType's attributes) is not
copied here: the launcher passes elbx's own table (src/policy) in, so there is one source.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from moto.acm.models import CertificateNotFound as AcmCertificateNotFound
from moto.acm.models import acm_backends
from moto.core.responses import ActionResult
from moto.ec2.exceptions import InvalidInstanceIdError
from moto.ec2.models import ec2_backends
from moto.elb import models as elb_models
from moto.elb.exceptions import ELBClientError, LoadBalancerNotFoundError
from moto.elb.policies import OtherPolicy
from moto.elb.responses import ELBResponse
from moto.iam.exceptions import EntityAlreadyExists
from moto.iam.models import IAMBackend, iam_backends
from moto.moto_api._internal import urls as moto_api_urls
from moto.moto_api._internal.models import MotoAPIBackend
from moto.utilities.utils import get_partition

API = "https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference"
GUIDE = "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic"

SECURE_PROTOCOLS = ("HTTPS", "SSL")


# Errors, by the shape names of AWS's ELB model: moto's serializer turns a shape name into AWS's
# wire code and HTTP status (InvalidConfigurationRequest is 409, for instance).
class _Error(ELBClientError):
    shape = ""

    def __init__(self, message: str):
        super().__init__(self.shape, message)


def _error(shape: str) -> type:
    return type(shape.removesuffix("Exception"), (_Error,), {"shape": shape})


CertificateNotFound = _error("CertificateNotFoundException")
InvalidInstance = _error("InvalidEndPointException")
PolicyNotFound = _error("PolicyNotFoundException")
PolicyTypeNotFound = _error("PolicyTypeNotFoundException")
DuplicateLoadBalancerName = _error("DuplicateAccessPointNameException")
DuplicateListener = _error("DuplicateListenerException")
DuplicatePolicyName = _error("DuplicatePolicyNameException")
TooManyTags = _error("TooManyTagsException")
ListenerNotFound = _error("ListenerNotFoundException")
InvalidConfigurationRequest = _error("InvalidConfigurationRequestException")


# Behaviour a test switches on for itself (POST /moto-api/elbx/options); /moto-api/reset puts it back.
DEFAULT_OPTIONS: dict[str, float] = {
    # An IAM server certificate is unknown to ELB for this long after its upload, as AWS warns it
    # can be ("if you recently uploaded the certificate to IAM ... not fully available yet").
    "certificatePropagationMs": 0,
    # Newly registered instances stay OutOfService for HealthyThreshold x Interval seconds times
    # this factor (0: off, moto's InService at once).
    "registrationDelayFactor": 0,
}
OPTIONS: dict[str, float] = dict(DEFAULT_OPTIONS)


@dataclass
class Patch:
    name: str
    follows: str
    unpatched: str
    apply: Callable[[dict[str, Any]], None]


PATCHES: list[Patch] = []


def patch(name: str, follows: str, unpatched: str):
    def register(fn: Callable[[dict[str, Any]], None]):
        PATCHES.append(Patch(name, follows, unpatched, fn))
        return fn

    return register


def wrap(owner: Any, attribute: str):
    """Replaces owner.attribute with a function given the original as its first argument."""

    def decorate(replacement: Callable[..., Any]):
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return replacement(original, *args, **kwargs)

        setattr(owner, attribute, wrapper)
        return replacement

    return decorate


def _listener_args(port: dict[str, Any]) -> dict[str, Any]:
    """A Listener of a request, whichever spelling moto's callers use (API or CloudFormation)."""

    def get(api: str, snake: str) -> Any:
        return port.get(api, port.get(snake))

    return {
        "protocol": str(get("Protocol", "protocol") or "").upper(),
        "load_balancer_port": int(get("LoadBalancerPort", "load_balancer_port")),
        "instance_protocol": str(get("InstanceProtocol", "instance_protocol") or "").upper() or None,
        "instance_port": int(get("InstancePort", "instance_port")),
        "ssl_certificate_id": get("SSLCertificateId", "ssl_certificate_id") or None,
    }


def _find_listener(lb: Any, port: int) -> Any:
    return next((x for x in lb.listeners if int(x.load_balancer_port) == int(port)), None)


def _load_balancer(backend: Any, name: str) -> Any:
    lb = backend.get_load_balancer(name)
    if lb is None:
        raise LoadBalancerNotFoundError(name)
    return lb


# ---------------------------------------------------------------------------------------------


@patch(
    "listener-instance-protocol",
    f"{API}/API_Listener.html",
    "every listener reads back with InstanceProtocol equal to its front Protocol, so HTTPS 443 -> HTTP 80 reads as HTTPS 443 -> HTTPS 80",
)
def listener_instance_protocol(_table: dict[str, Any]) -> None:
    # moto's FakeListener.instance_protocol is a property returning the front protocol.
    elb_models.FakeListener.instance_protocol = property(
        lambda self: getattr(self, "elbx_instance_protocol", None) or self.protocol
    )

    @wrap(elb_models.LoadBalancer, "__init__")
    def init(original, self, *args, **kwargs):
        original(self, *args, **kwargs)
        # LoadBalancer(account_id, name, zones, ports, ...)
        ports = kwargs.get("ports", args[3] if len(args) > 3 else [])
        for listener, port in zip(self.listeners, ports):
            listener.elbx_instance_protocol = _listener_args(port)["instance_protocol"]

    @wrap(elb_models.ELBBackend, "create_load_balancer_listeners")
    def create_listeners(original, self, name, ports):
        lb = self.get_load_balancer(name)
        wanted = [_listener_args(p) for p in ports]
        if lb:
            # "the properties of the new listener must match the properties of the existing listener"
            for w in wanted:
                existing = _find_listener(lb, w["load_balancer_port"])
                if existing and w["instance_protocol"] and w["instance_protocol"] != existing.instance_protocol:
                    raise DuplicateListener(
                        f"A listener already exists for {name} with LoadBalancerPort {w['load_balancer_port']}, but with a different InstancePort, Protocol, or SSLCertificateId"
                    )
        new_ports = {w["load_balancer_port"] for w in wanted if not (lb and _find_listener(lb, w["load_balancer_port"]))}
        result = original(self, name, ports)
        for w in wanted:
            if w["load_balancer_port"] in new_ports and lb:
                _find_listener(lb, w["load_balancer_port"]).elbx_instance_protocol = w["instance_protocol"]
        return result


def _expanded_attributes(table: dict[str, Any], policy: dict[str, Any]) -> list[dict[str, str]]:
    """A predefined policy as AWS describes it: every protocol and cipher attribute, true or false."""
    on = set(policy["protocols"]) | set(policy["ciphers"])
    attributes = [
        {"AttributeName": f"{table['protocolPrefix']}{p}", "AttributeValue": str(p in on).lower()}
        for p in table["protocols"]
    ]
    attributes.append(
        {"AttributeName": table["serverOrderAttribute"], "AttributeValue": str(bool(policy["serverOrder"])).lower()}
    )
    attributes += [{"AttributeName": c, "AttributeValue": str(c in on).lower()} for c in table["ciphers"]]
    return attributes


def _predefined(table: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((p for p in table["predefinedPolicies"] if p["name"] == name), None)


@patch(
    "default-ssl-policy",
    f"{GUIDE}/ssl-config-update.html",
    "an HTTPS/SSL listener created without a policy has no SSL negotiation policy at all (AWS attaches ELBSecurityPolicy-2016-08)",
)
def default_ssl_policy(table: dict[str, Any]) -> None:
    # "If you create an HTTPS/SSL listener without associating a security policy, Elastic Load
    # Balancing associates the default predefined security policy, ELBSecurityPolicy-2016-08."
    # AWS shows it as a policy of the load balancer named after the predefined one, referencing
    # it, and lists that name on the listener.
    default = table["awsDefaultPolicy"]
    attributes = [
        {"AttributeName": table["referenceAttribute"], "AttributeValue": default},
        *_expanded_attributes(table, _predefined(table, default)),
    ]

    def attach_default(lb: Any, listeners: list[Any]) -> None:
        secure = [x for x in listeners if x.protocol in SECURE_PROTOCOLS and not x.policy_names]
        if not secure:
            return
        if default not in [p.policy_name for p in lb.policies]:
            lb.policies.append(OtherPolicy(default, table["policyTypeName"], [dict(a) for a in attributes]))
        for listener in secure:
            listener.policy_names = [default]

    @wrap(elb_models.ELBBackend, "create_load_balancer")
    def create(original, self, *args, **kwargs):
        lb = original(self, *args, **kwargs)
        attach_default(lb, lb.listeners)
        return lb

    @wrap(elb_models.ELBBackend, "create_load_balancer_listeners")
    def create_listeners(original, self, name, ports):
        lb = self.get_load_balancer(name)
        before = list(lb.listeners) if lb else []
        result = original(self, name, ports)
        if lb:
            attach_default(lb, [x for x in lb.listeners if x not in before])
        return result


@patch(
    "predefined-policies",
    f"{API}/API_DescribeLoadBalancerPolicies.html and {API}/API_DescribeLoadBalancerPolicyTypes.html",
    "DescribeLoadBalancerPolicies without a load balancer name fails (LoadBalancerNotFound) and DescribeLoadBalancerPolicyTypes is not implemented",
)
def predefined_policies(table: dict[str, Any]) -> None:
    # Only the predefined policies whose protocols and ciphers AWS's current table documents are
    # served: for the older ones elbx has no data, and AWS never describes a policy without them.
    predefined = [
        OtherPolicy(p["name"], table["policyTypeName"], _expanded_attributes(table, p))
        for p in table["predefinedPolicies"]
        if p.get("protocols") and p.get("ciphers")
    ]

    @wrap(elb_models.ELBBackend, "describe_load_balancer_policies")
    def describe(original, self, lb_name, policy_names):
        if lb_name:
            return original(self, lb_name, policy_names)
        if not policy_names:
            return predefined
        found = [p for p in predefined if p.policy_name in policy_names]
        missing = [n for n in policy_names if n not in [p.policy_name for p in found]]
        if missing:
            raise PolicyNotFound(f"There is no policy with name {missing[0]}")
        return found

    def attribute_type(name: str) -> dict[str, str]:
        is_text = name == table["referenceAttribute"]
        return {
            "AttributeName": name,
            "AttributeType": "String" if is_text else "Boolean",
            "Cardinality": "ZERO_OR_ONE",
            **({} if is_text else {"DefaultValue": "false"}),
        }

    ssl_type = {
        "PolicyTypeName": table["policyTypeName"],
        "Description": "Listener policy that defines the ciphers and protocols that will be accepted by the load balancer. This policy can be associated only with HTTPS/SSL listeners.",
        "PolicyAttributeTypeDescriptions": [attribute_type(a) for a in table["attributes"]],
    }

    def describe_load_balancer_policy_types(self):
        # Only SSLNegotiationPolicyType: the one type whose attributes elbx's table holds.
        names = self._get_param("PolicyTypeNames", [])
        unknown = [n for n in names if n != ssl_type["PolicyTypeName"]]
        if unknown:
            raise PolicyTypeNotFound(f"One or more specified policy types do not exist: {unknown[0]}")
        return ActionResult({"PolicyTypeDescriptions": [ssl_type]})

    ELBResponse.describe_load_balancer_policy_types = describe_load_balancer_policy_types


def _check_certificate(account_id: str, region: str, arn: str | None) -> None:
    """CertificateNotFound unless the ARN names an IAM server certificate or an ACM certificate of this Region."""
    if not arn:
        return
    if re.match(r"^arn:aws[\w-]*:iam::", arn):
        cert = iam_backends[account_id][get_partition(region)].get_certificate_by_arn(arn)
        if cert is None:
            raise CertificateNotFound(f"Server Certificate not found for the key: {arn}")
        uploaded = getattr(cert, "elbx_uploaded_at", None)
        delay = OPTIONS["certificatePropagationMs"] / 1000
        if delay and uploaded is not None and time.monotonic() - uploaded < delay:
            raise CertificateNotFound(f"Server Certificate not found for the key: {arn}")
        return
    if re.match(r"^arn:aws[\w-]*:acm:", arn):
        try:
            acm_backends[account_id][region].get_certificate(arn)
            return
        except AcmCertificateNotFound:
            pass
    raise CertificateNotFound(f"Certificate '{arn}' not found")


@patch(
    "certificate-not-found",
    f"{API}/API_CreateLoadBalancer.html, API_CreateLoadBalancerListeners.html, API_SetLoadBalancerListenerSSLCertificate.html",
    "an IAM certificate ARN that does not exist is accepted on CreateLoadBalancer, CreateLoadBalancerListeners and SetLoadBalancerListenerSSLCertificate (AWS: CertificateNotFound)",
)
def certificate_not_found(_table: dict[str, Any]) -> None:
    @wrap(IAMBackend, "upload_server_certificate")
    def upload(original, self, *args, **kwargs):
        cert = original(self, *args, **kwargs)
        cert.elbx_uploaded_at = time.monotonic()
        return cert

    def ports_certificates(backend: Any, ports: list[dict[str, Any]]) -> None:
        for port in ports:
            _check_certificate(backend.account_id, backend.region_name, _listener_args(port)["ssl_certificate_id"])

    @wrap(elb_models.ELBBackend, "create_load_balancer")
    def create(original, self, name, zones, ports, *args, **kwargs):
        ports_certificates(self, ports)
        return original(self, name, zones, ports, *args, **kwargs)

    @wrap(elb_models.ELBBackend, "create_load_balancer_listeners")
    def create_listeners(original, self, name, ports):
        ports_certificates(self, ports)
        return original(self, name, ports)


@patch(
    "set-listener-certificate",
    f"{API}/API_SetLoadBalancerListenerSSLCertificate.html",
    "SetLoadBalancerListenerSSLCertificate on a port without a listener, on an HTTP/TCP listener or with an unknown certificate succeeds and changes nothing (AWS: ListenerNotFound, InvalidConfigurationRequest, CertificateNotFound)",
)
def set_listener_certificate(_table: dict[str, Any]) -> None:
    @wrap(elb_models.ELBBackend, "set_load_balancer_listener_ssl_certificate")
    def set_certificate(original, self, name, lb_port, ssl_certificate_id):
        lb = _load_balancer(self, name)
        listener = _find_listener(lb, lb_port)
        if listener is None:
            raise ListenerNotFound(f"There is no listener on port {lb_port} for load balancer {name}")
        if listener.protocol not in SECURE_PROTOCOLS:
            raise InvalidConfigurationRequest(
                f"The listener on port {lb_port} is {listener.protocol}: only an HTTPS or SSL listener has a certificate"
            )
        _check_certificate(self.account_id, self.region_name, ssl_certificate_id)
        return original(self, name, int(lb_port), ssl_certificate_id)


@patch(
    "register-unknown-instance",
    f"{API}/API_RegisterInstancesWithLoadBalancer.html",
    "RegisterInstancesWithLoadBalancer accepts instance IDs EC2 does not know (AWS: InvalidInstance)",
)
def register_unknown_instance(_table: dict[str, Any]) -> None:
    @wrap(elb_models.ELBBackend, "register_instances")
    def register(original, self, load_balancer_name, instance_ids, from_autoscaling=False):
        _load_balancer(self, load_balancer_name)
        ec2 = ec2_backends[self.account_id][self.region_name]
        unknown = []
        for instance_id in instance_ids:
            try:
                ec2.get_instance(instance_id)
            except InvalidInstanceIdError:
                unknown.append(instance_id)
        if unknown:
            raise InvalidInstance(f"The specified EC2 instance is not valid: {', '.join(unknown)}")
        return original(self, load_balancer_name, instance_ids, from_autoscaling)


@patch(
    "listener-policy-not-found",
    f"{API}/API_SetLoadBalancerPoliciesOfListener.html",
    "SetLoadBalancerPoliciesOfListener accepts policy names the load balancer does not have, predefined names included (AWS: PolicyNotFound), and ignores a port without a listener (AWS: ListenerNotFound)",
)
def listener_policy_not_found(_table: dict[str, Any]) -> None:
    @wrap(ELBResponse, "set_load_balancer_policies_of_listener")
    def set_policies(original, self):
        name = self._get_param("LoadBalancerName")
        lb = _load_balancer(self.elb_backend, name)
        port = int(self._get_param("LoadBalancerPort"))
        if _find_listener(lb, port) is None:
            raise ListenerNotFound(f"There is no listener on port {port} for load balancer {name}")
        own = [p.policy_name for p in lb.policies]
        for policy_name in self._get_param("PolicyNames", []):
            if policy_name not in own:
                raise PolicyNotFound(f"There is no policy with name {policy_name} for load balancer {name}")
        return original(self)


@patch(
    "policies-immutable",
    f"{API}/API_CreateLoadBalancerPolicy.html and {API}/API_DeleteLoadBalancerPolicy.html",
    "CreateLoadBalancerPolicy with a name the load balancer already has succeeds and keeps the old policy (AWS: DuplicatePolicyName), and DeleteLoadBalancerPolicy deletes a policy a listener or back end still uses (AWS: InvalidConfigurationRequest)",
)
def policies_immutable(_table: dict[str, Any]) -> None:
    @wrap(elb_models.ELBBackend, "create_load_balancer_policy")
    def create(original, self, load_balancer_name, policy_name, *args, **kwargs):
        lb = _load_balancer(self, load_balancer_name)
        if policy_name in [p.policy_name for p in lb.policies]:
            raise DuplicatePolicyName(f"Policy name [{policy_name}] already exists for load balancer [{load_balancer_name}]")
        return original(self, load_balancer_name, policy_name, *args, **kwargs)

    @wrap(elb_models.ELBBackend, "delete_load_balancer_policy")
    def delete(original, self, lb_name, policy_name):
        # "The specified policy must not be enabled for any listeners."
        lb = _load_balancer(self, lb_name)
        users = [*lb.listeners, *lb.backends]
        if any(policy_name in x.policy_names for x in users):
            raise InvalidConfigurationRequest(f"Cannot delete policy {policy_name}: it is enabled on a listener or back-end server")
        return original(self, lb_name, policy_name)


@patch(
    "iam-certificate-name-taken",
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UploadServerCertificate.html",
    "UploadServerCertificate with a name IAM already holds succeeds and lists the name twice (AWS: EntityAlreadyExists)",
)
def iam_certificate_name_taken(_table: dict[str, Any]) -> None:
    @wrap(IAMBackend, "upload_server_certificate")
    def upload(original, self, cert_name, *args, **kwargs):
        if any(c.cert_name == cert_name for c in self.certificates.values()):
            raise EntityAlreadyExists(f"The Server Certificate with name {cert_name} already exists.")
        return original(self, cert_name, *args, **kwargs)


def _create_signature(response: ELBResponse) -> str:
    """
    What a CreateLoadBalancer request asks for, in an order-free form two requests can compare:
    the load balancer's configuration. Tags are left out: they label the load balancer rather than
    configure it, and AWS does not document that a repeat compares them.
    """
    listeners = sorted(
        (json.dumps(_listener_args(p), sort_keys=True) for p in response._get_param("Listeners", [])),
    )
    return json.dumps(
        {
            "listeners": listeners,
            "zones": sorted(response._get_param("AvailabilityZones", []) or []),
            "subnets": sorted(response._get_param("Subnets", []) or []),
            "securityGroups": sorted(response._get_param("SecurityGroups", []) or []),
            "scheme": response._get_param("Scheme") or "internet-facing",
        },
        sort_keys=True,
    )


@patch(
    "idempotent-create",
    f"{API}/Welcome.html (\"All Elastic Load Balancing operations are idempotent\") and {API}/API_CreateLoadBalancer.html",
    "a second CreateLoadBalancer with the same configuration fails with DuplicateLoadBalancerName (AWS: succeeds and returns the DNS name)",
)
def idempotent_create(_table: dict[str, Any]) -> None:
    # moto serves requests on several threads: the check and the create must not interleave.
    lock = threading.Lock()

    @wrap(ELBResponse, "create_load_balancer")
    def create(original, self):
        name = self._get_param("LoadBalancerName")
        signature = _create_signature(self)
        with lock:
            existing = self.elb_backend.get_load_balancer(name)
            if existing is not None:
                # Compared with the request that created it: AWS does not document more. The
                # repeat changes nothing (its tags included): "If you repeat an operation, it succeeds".
                if getattr(existing, "elbx_create_signature", None) == signature:
                    return ActionResult({"DNSName": existing.dns_name})
                raise DuplicateLoadBalancerName(
                    f"The specified load balancer name already exists for this account: {name}"
                )
            result = original(self)
            self.elb_backend.get_load_balancer(name).elbx_create_signature = signature
            return result


@patch(
    "tag-limit",
    f"{GUIDE}/add-remove-tags.html",
    "a load balancer takes at most 10 tags, and the 11th fails with the code LoadBalancerNotFound (AWS: 50, then TooManyTags)",
)
def tag_limit(_table: dict[str, Any]) -> None:
    # "Maximum number of tags per resource: 50"
    def add_tag(self, key: str, value: str) -> None:
        if len(self.tags) >= 50 and key not in self.tags:
            raise TooManyTags("The quota for the number of tags that can be assigned to a load balancer has been reached")
        self.tags[key] = value

    elb_models.LoadBalancer.add_tag = add_tag


@patch(
    "delete-listeners",
    f"{API}/API_DeleteLoadBalancerListeners.html",
    "DeleteLoadBalancerListeners with several ports leaves duplicated listeners behind instead of removing exactly those ports",
)
def delete_listeners(_table: dict[str, Any]) -> None:
    def delete(self, name, ports):
        lb = _load_balancer(self, name)
        doomed = {int(p) for p in ports}
        lb.listeners = [x for x in lb.listeners if int(x.load_balancer_port) not in doomed]
        return lb

    elb_models.ELBBackend.delete_load_balancer_listeners = delete


# AWS's health check for a load balancer that was never given one ("HealthyThreshold 10, Interval 30").
DEFAULT_HEALTHY_THRESHOLD = 10
DEFAULT_INTERVAL = 30


@patch(
    "registration-in-progress",
    f"{GUIDE}/ts-elb-register-instance.html",
    "a newly registered running instance is InService at once, and registrationDelayFactor cannot bring AWS's 'Instance registration is still in progress' period back",
)
def registration_in_progress(_table: dict[str, Any]) -> None:
    # "Your instance is not InService until one health check succeeds": simulated, when a test
    # asks for it, as HealthyThreshold x Interval seconds times the factor, from registration.
    @wrap(elb_models.ELBBackend, "register_instances")
    def register(original, self, load_balancer_name, instance_ids, from_autoscaling=False):
        instance_ids = list(instance_ids)
        lb = _load_balancer(self, load_balancer_name)
        already = set(lb.instance_ids)
        result = original(self, load_balancer_name, instance_ids, from_autoscaling)
        registered_at = getattr(lb, "elbx_registered_at", {})
        for instance_id in instance_ids:
            if instance_id not in already:
                registered_at[instance_id] = time.monotonic()
        lb.elbx_registered_at = registered_at
        return result

    @wrap(elb_models.ELBBackend, "describe_instance_health")
    def describe(original, self, lb_name, instances):
        states = original(self, lb_name, instances)
        factor = OPTIONS["registrationDelayFactor"]
        if not factor:
            return states
        lb = self.get_load_balancer(lb_name)
        check = lb.health_check
        threshold = int(check.healthy_threshold) if check else DEFAULT_HEALTHY_THRESHOLD
        interval = int(check.interval) if check else DEFAULT_INTERVAL
        pending = threshold * interval * factor
        registered_at = getattr(lb, "elbx_registered_at", {})
        now = time.monotonic()
        for state in states:
            since = registered_at.get(state["InstanceId"])
            if state["State"] == "InService" and since is not None and now - since < pending:
                state.update(
                    State="OutOfService",
                    ReasonCode="Instance",
                    Description="Instance registration is still in progress",
                )
        return states

    def describe_response(self):
        # moto's answer says "N/A" for every reason and description; pass the backend's through.
        lb_name = self._get_param("LoadBalancerName")
        instances = self.elb_backend.describe_instance_health(lb_name, self._get_param("Instances", []))
        return ActionResult(
            {
                "InstanceStates": [
                    {
                        "InstanceId": s["InstanceId"],
                        "State": s["State"],
                        "ReasonCode": s.get("ReasonCode", "N/A"),
                        "Description": s.get("Description", "N/A"),
                    }
                    for s in instances
                ]
            }
        )

    ELBResponse.describe_instance_health = describe_response


def _options_response(request: Any, full_url: str, headers: Any):
    if request.method == "POST":
        body = json.loads(request.data.decode() or "{}")
        unknown = sorted(set(body) - set(DEFAULT_OPTIONS))
        if unknown:
            return 400, {}, json.dumps({"error": f"unknown options: {', '.join(unknown)}", "known": sorted(DEFAULT_OPTIONS)})
        OPTIONS.update({k: float(v) for k, v in body.items()})
    return 200, {"Content-Type": "application/json"}, json.dumps(OPTIONS)


def apply(table: dict[str, Any]) -> None:
    """Applies every patch, and serves /moto-api/elbx/options for the switchable ones."""
    for p in PATCHES:
        p.apply(table)
    moto_api_urls.url_paths["{0}/moto-api/elbx/options"] = _options_response

    @wrap(MotoAPIBackend, "reset")
    def reset(original, self):
        original(self)
        OPTIONS.clear()
        OPTIONS.update(DEFAULT_OPTIONS)
