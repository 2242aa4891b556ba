package com.aiw3.upgrade.upgrade;

/** This instance's name in leases: the pod name in Kubernetes. */
record InstanceId(String value) {}
