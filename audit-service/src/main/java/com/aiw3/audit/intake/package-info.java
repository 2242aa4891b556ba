/** Consumes every topic of the registry into the audit log. */
@NullMarked
package com.aiw3.audit.intake;

import org.jspecify.annotations.NullMarked;
