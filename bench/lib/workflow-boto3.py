"""The AWS guide's CLI workflow in one Python process with boto3: the peer elbx is measured
against when every request costs a round trip. The same requests as bench/lib/workflow-aws.js,
one after another (as a plain script would send them), then delete the load balancer and the
certificate. Prints the wall time in ms as JSON on stdout.

With --same-as-elbx it sends, one after another, every request `elbx create` and `elbx destroy
--delete-certificate` send (the reads that check the account first, the security group, the
attributes): the same work as elbx, done the plain way.

Usage: python3 workflow-boto3.py [--same-as-elbx] NAME CERT_FILE KEY_FILE SUBNET,SUBNET INSTANCE,INSTANCE
(endpoint, region and credentials from the environment, as for the aws CLI)."""
import json
import subprocess
import sys
import time

started = time.perf_counter()
import boto3  # noqa: E402  (import time is part of the tool's cost, as for elbx's SDK)

SSL_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01"
args = sys.argv[1:]
same_as_elbx = args[:1] == ["--same-as-elbx"]
if same_as_elbx:
    args = args[1:]
name, cert_file, key_file, subnets, instances = args[:5]
subnets = subnets.split(",")
instances = [{"InstanceId": i} for i in instances.split(",")]
session = boto3.session.Session()
elb = session.client("elb")
iam = session.client("iam")
ec2 = session.client("ec2") if same_as_elbx else None

cert_name = f"{name}-cert"
with open(cert_file) as f:
    body = f.read()
with open(key_file) as f:
    key = f.read()
security_groups = []
if same_as_elbx:
    # elbx's reads before its first write, and the group it makes for the listener ports.
    try:
        elb.describe_load_balancers(LoadBalancerNames=[name])
    except elb.exceptions.AccessPointNotFoundException:
        pass
    vpc_id = ec2.describe_subnets(SubnetIds=subnets)["Subnets"][0]["VpcId"]
    ec2.describe_security_groups(Filters=[{"Name": "tag:elbx:load-balancer", "Values": [name]}])
    ec2.describe_instances(InstanceIds=[i["InstanceId"] for i in instances])
    try:
        iam.get_server_certificate(ServerCertificateName=f"{name}-cert")
    except iam.exceptions.NoSuchEntityException:
        pass
arn = iam.upload_server_certificate(
    ServerCertificateName=cert_name, CertificateBody=body, PrivateKey=key
)["ServerCertificateMetadata"]["Arn"]
if same_as_elbx:
    group_id = ec2.create_security_group(
        GroupName=f"elbx-{name}", Description=f"Load balancer {name}", VpcId=vpc_id
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": p, "ToPort": p, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
            for p in (80, 443)
        ],
    )
    security_groups = [group_id]
elb.create_load_balancer(
    LoadBalancerName=name,
    **({"SecurityGroups": security_groups} if security_groups else {}),
    Listeners=[
        {"Protocol": "http", "LoadBalancerPort": 80, "InstanceProtocol": "http", "InstancePort": 80},
        {
            "Protocol": "https",
            "LoadBalancerPort": 443,
            "InstanceProtocol": "https",
            "InstancePort": 443,
            "SSLCertificateId": arn,
        },
    ],
    Subnets=subnets,
)
elb.create_load_balancer_policy(
    LoadBalancerName=name,
    PolicyName="my-SSLNegotiation-policy",
    PolicyTypeName="SSLNegotiationPolicyType",
    PolicyAttributes=[{"AttributeName": "Reference-Security-Policy", "AttributeValue": SSL_POLICY}],
)
elb.set_load_balancer_policies_of_listener(
    LoadBalancerName=name, LoadBalancerPort=443, PolicyNames=["my-SSLNegotiation-policy"]
)
pem = subprocess.run(
    ["openssl", "x509", "-in", cert_file, "-pubkey", "-noout"], capture_output=True, text=True, check=True
).stdout
public_key = "".join(l for l in pem.splitlines() if l and not l.startswith("-----"))
elb.create_load_balancer_policy(
    LoadBalancerName=name,
    PolicyName="my-PublicKey-policy",
    PolicyTypeName="PublicKeyPolicyType",
    PolicyAttributes=[{"AttributeName": "PublicKey", "AttributeValue": public_key}],
)
elb.create_load_balancer_policy(
    LoadBalancerName=name,
    PolicyName="my-authentication-policy",
    PolicyTypeName="BackendServerAuthenticationPolicyType",
    PolicyAttributes=[{"AttributeName": "PublicKeyPolicyName", "AttributeValue": "my-PublicKey-policy"}],
)
elb.set_load_balancer_policies_for_backend_server(
    LoadBalancerName=name, InstancePort=443, PolicyNames=["my-authentication-policy"]
)
elb.configure_health_check(
    LoadBalancerName=name,
    HealthCheck={
        "Target": "HTTP:80/ping",
        "Interval": 30,
        "UnhealthyThreshold": 2,
        "HealthyThreshold": 2,
        "Timeout": 3,
    },
)
if same_as_elbx:
    elb.modify_load_balancer_attributes(
        LoadBalancerName=name,
        LoadBalancerAttributes={
            "CrossZoneLoadBalancing": {"Enabled": True},
            "ConnectionDraining": {"Enabled": True, "Timeout": 300},
            "ConnectionSettings": {"IdleTimeout": 60},
        },
    )
elb.register_instances_with_load_balancer(LoadBalancerName=name, Instances=instances)
elb.get_waiter("instance_in_service").wait(
    LoadBalancerName=name, Instances=instances, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
)
if same_as_elbx:
    # destroy's reads: the load balancer, elbx's group, the certificates it may delete.
    elb.describe_load_balancers(LoadBalancerNames=[name])
    ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": [f"elbx-{name}"]}])
    iam.list_server_certificates()
elb.delete_load_balancer(LoadBalancerName=name)
if same_as_elbx:
    ec2.delete_security_group(GroupId=security_groups[0])
iam.delete_server_certificate(ServerCertificateName=cert_name)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
