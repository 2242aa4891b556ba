/** Checks of the Kubernetes manifests: strict parsing, kustomize rendering, drift from the code. */
@NullMarked
package com.aiw3.deploy;

import org.jspecify.annotations.NullMarked;
