/** The append-only, hash-chained audit log: appending, reading and verifying it. */
package com.aiw3.audit.log;
