/** The append-only, hash-chained audit log: appending, reading and verifying it. */
@NullMarked
package com.aiw3.audit.log;

import org.jspecify.annotations.NullMarked;
