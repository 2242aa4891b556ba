/** Checks of the Kubernetes manifests: strict parsing, kustomize rendering, drift from the code. */
package com.aiw3.deploy;
