"""The AWS guide's CLI workflow in one Python process with boto3: the peer elbx is measured
against when every request costs a round trip. The same requests as bench/lib/workflow-aws.js,
one after another (as a plain script would send them), then delete the load balancer and the
certificate. Prints the wall time in ms as JSON on stdout.

Usage: python3 workflow-boto3.py NAME CERT_FILE KEY_FILE SUBNET,SUBNET INSTANCE,INSTANCE
(endpoint, region and credentials from the environment, as for the aws CLI)."""
import json
import subprocess
import sys
import time

started = time.perf_counter()
import boto3  # noqa: E402  (import time is part of the tool's cost, as for elbx's SDK)

SSL_POLICY = "ELBSecurityPolicy-TLS-1-2-2017-01"
name, cert_file, key_file, subnets, instances = sys.argv[1:6]
subnets = subnets.split(",")
instances = [{"InstanceId": i} for i in instances.split(",")]
session = boto3.session.Session()
elb = session.client("elb")
iam = session.client("iam")

cert_name = f"{name}-cert"
with open(cert_file) as f:
    body = f.read()
with open(key_file) as f:
    key = f.read()
arn = iam.upload_server_certificate(
    ServerCertificateName=cert_name, CertificateBody=body, PrivateKey=key
)["ServerCertificateMetadata"]["Arn"]
elb.create_load_balancer(
    LoadBalancerName=name,
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
elb.register_instances_with_load_balancer(LoadBalancerName=name, Instances=instances)
elb.get_waiter("instance_in_service").wait(
    LoadBalancerName=name, Instances=instances, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
)
elb.delete_load_balancer(LoadBalancerName=name)
iam.delete_server_certificate(ServerCertificateName=cert_name)
print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))
