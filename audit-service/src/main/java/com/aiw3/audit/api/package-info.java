/** The operator-only read and verify API of the audit log. */
package com.aiw3.audit.api;
