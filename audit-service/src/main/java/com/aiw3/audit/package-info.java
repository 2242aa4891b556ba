/** Tamper-evident compliance log of every event. */
@NullMarked
package com.aiw3.audit;

import org.jspecify.annotations.NullMarked;
