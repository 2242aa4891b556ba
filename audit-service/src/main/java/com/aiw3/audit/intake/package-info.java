/** Consumes every topic of the registry into the audit log. */
package com.aiw3.audit.intake;
