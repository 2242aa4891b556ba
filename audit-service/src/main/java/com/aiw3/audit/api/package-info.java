/** The operator-only read and verify API of the audit log. */
@NullMarked
package com.aiw3.audit.api;

import org.jspecify.annotations.NullMarked;
